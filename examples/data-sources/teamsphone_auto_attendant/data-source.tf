# An auto attendant made in the Teams admin center, looked up by name (or by id).
data "teamsphone_auto_attendant" "main_menu" {
  name = "Seattle main menu"
}

output "main_menu" {
  value = {
    id                   = data.teamsphone_auto_attendant.main_menu.id
    time_zone_id         = data.teamsphone_auto_attendant.main_menu.time_zone_id
    resource_account_ids = data.teamsphone_auto_attendant.main_menu.resource_account_ids
  }
}
