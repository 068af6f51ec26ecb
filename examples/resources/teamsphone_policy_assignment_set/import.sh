# A set is imported as <policy type>/<policy name>: every user holding that policy directly, sorted
# by user principal name (case-insensitive); list them in that order for an empty plan.
terraform import teamsphone_policy_assignment_set.seattle_light_users TeamsSharedCallingRoutingPolicy/Existing
