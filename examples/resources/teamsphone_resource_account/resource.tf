resource "teamsphone_resource_account" "seattle" {
  user_principal_name = "aa-seattle@contoso.onmicrosoft.com"
  display_name        = "Seattle main line"
  account_type        = "auto_attendant"
  usage_location      = "US"
  # Microsoft Teams Phone Resource Account license.
  license_sku_id = "440eaaa8-b3e0-484b-a8be-62870b9ba70a"
}
