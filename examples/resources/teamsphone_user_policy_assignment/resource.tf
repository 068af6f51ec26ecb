# Shared Calling users need the shared calling policy and an emergency call routing policy.
resource "teamsphone_user_policy_assignment" "ann_shared_calling" {
  user_id     = "ann@contoso.onmicrosoft.com"
  policy_name = "Existing"
}

resource "teamsphone_user_policy_assignment" "ann_emergency" {
  user_id     = "ann@contoso.onmicrosoft.com"
  policy_type = "TeamsEmergencyCallRoutingPolicy"
  policy_name = "Tacoma-E911"
}
