resource "teamsphone_resource_account" "seattle" {
  user_principal_name = "aa-seattle@contoso.onmicrosoft.com"
  display_name        = "Seattle main line"
  account_type        = "auto_attendant"
  usage_location      = "US"
  license_sku_id      = "440eaaa8-b3e0-484b-a8be-62870b9ba70a"
}

resource "teamsphone_phone_number_assignment" "seattle_main_line" {
  telephone_number = "+1 206 555 0140"
  target_id        = teamsphone_resource_account.seattle.id
  number_type      = "direct_routing"
  # Emergency location (civic address) of the office; Shared Calling requires one.
  location_id = "5a0c7e1e-7a4b-4f3e-9d0a-5ea771e00001"
}
