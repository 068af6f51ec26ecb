# A shared calling policy is imported by its name (with or without the Tag: prefix).
terraform import teamsphone_shared_calling_policy.seattle Seattle
