data "teamsphone_user" "ann" {
  user_id = "ann@contoso.onmicrosoft.com"
}

# Which shared calling policy Ann gets, and whether directly or through a group.
output "ann_shared_calling" {
  value = [
    for p in data.teamsphone_user.ann.effective_policies : p
    if p.policy_type == "TeamsSharedCallingRoutingPolicy"
  ]
}
