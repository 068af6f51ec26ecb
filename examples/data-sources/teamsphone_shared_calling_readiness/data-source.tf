data "teamsphone_shared_calling_readiness" "seattle" {
  policy_name = "Seattle"
  user_ids    = ["ann@contoso.onmicrosoft.com", "bob@contoso.onmicrosoft.com"]
}

# Who will not call out as Seattle's shared number yet, and why: shown in every plan.
output "seattle_not_ready" {
  value = {
    for u in data.teamsphone_shared_calling_readiness.seattle.not_ready : u.user_id => u.reasons
  }
}
