resource "teamsphone_shared_calling_policy" "seattle" {
  name                = "Seattle"
  description         = "Seattle office: light PSTN users call out as the main line"
  resource_account_id = "3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01"
  emergency_numbers   = ["+12065550150", "+12065550151"]
}
