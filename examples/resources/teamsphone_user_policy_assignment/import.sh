# A user's grant is imported as <user object id>/<policy type>.
terraform import teamsphone_user_policy_assignment.ann_emergency cccccccc-0000-0000-0000-000000000001/TeamsEmergencyCallRoutingPolicy
