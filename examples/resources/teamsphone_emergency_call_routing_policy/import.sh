# An emergency call routing policy is imported by its name (with or without the Tag: prefix).
terraform import teamsphone_emergency_call_routing_policy.seattle Seattle-E911
