resource "teamsphone_shared_calling_policy" "seattle" {
  name                = "Seattle"
  description         = "Seattle office: light PSTN users call out as the main line"
  resource_account_id = "0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11"
  emergency_numbers   = ["+12065550150", "+12065550151"]
}
