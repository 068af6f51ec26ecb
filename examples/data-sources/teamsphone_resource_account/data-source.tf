# An Auto Attendant account made in the Teams admin center, looked up by its sign-in name.
data "teamsphone_resource_account" "main_line" {
  user_principal_name = "aa-existing@contoso.onmicrosoft.com"
}

output "main_line" {
  value = {
    id            = data.teamsphone_resource_account.main_line.id
    account_type  = data.teamsphone_resource_account.main_line.account_type
    phone_numbers = data.teamsphone_resource_account.main_line.phone_numbers
  }
}
