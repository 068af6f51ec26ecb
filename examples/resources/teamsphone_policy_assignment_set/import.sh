# A set is imported as <policy type>/<policy name>: every user holding that policy directly.
terraform import teamsphone_policy_assignment_set.seattle_light_users TeamsSharedCallingRoutingPolicy/Existing
