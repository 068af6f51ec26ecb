# A group assignment is imported as <group id>/<policy type>.
terraform import teamsphone_group_policy_assignment.seattle_light_users dddddddd-0000-0000-0000-000000000001/TeamsEmergencyCallRoutingPolicy
