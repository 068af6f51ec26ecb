# Direct members of the group get the emergency call routing policy unless they hold one directly.
resource "teamsphone_group_policy_assignment" "seattle_light_users" {
  group_id    = "dddddddd-0000-0000-0000-000000000001"
  policy_type = "TeamsEmergencyCallRoutingPolicy"
  policy_name = "Tacoma-E911"
  rank        = 1
}
