# Shared Calling users are Enterprise Voice enabled without a number of their own.
resource "teamsphone_enterprise_voice_users" "seattle" {
  user_ids = [
    "ann@contoso.onmicrosoft.com",
    "bob@contoso.onmicrosoft.com",
  ]
}
