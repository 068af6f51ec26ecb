# Grants one policy to many users with batched writes; only direct grants count.
resource "teamsphone_policy_assignment_set" "seattle_light_users" {
  policy_name = "Existing"
  user_ids = [
    "ann@contoso.onmicrosoft.com",
    "bob@contoso.onmicrosoft.com",
  ]
}
