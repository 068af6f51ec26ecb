# Shared Calling from zero: a resource account that holds the shared number with an emergency location
# and answers for the Seattle auto attendant, a shared calling policy whose users call out with that
# number (with two emergency callback numbers), an emergency call routing policy, and the users with
# Enterprise Voice and both policies. The site itself is the module in ../modules/shared-calling-site;
# this file says which site.
#
# Credentials and endpoints come from the environment (TEAMSPHONE_TENANT_ID, TEAMSPHONE_CLIENT_ID,
# TEAMSPHONE_CLIENT_SECRET and, for the emulator, TEAMSPHONE_*_ENDPOINT); scripts/demo.sh sets them.

terraform {
  required_providers {
    teamsphone = {
      source = "teamsphone/teamsphone"
    }
  }
}

provider "teamsphone" {}

variable "domain" {
  description = "A verified domain of the tenant, for the resource account's sign-in name."
  type        = string
  default     = "contoso.onmicrosoft.com"
}

variable "emergency_location_id" {
  description = "Emergency location (civic address) of the Seattle office, as listed by Get-CsOnlineLisLocation."
  type        = string
  default     = "5a0c7e1e-7a4b-4f3e-9d0a-5ea771e00001"
}

variable "license_sku_id" {
  description = "SKU id of the Microsoft Teams Phone Resource Account license."
  type        = string
  default     = "440eaaa8-b3e0-484b-a8be-62870b9ba70a"
}

variable "light_users" {
  description = "Users who call out with the shared number (object ids or user principal names)."
  type        = list(string)
  default     = ["ann@contoso.onmicrosoft.com", "bob@contoso.onmicrosoft.com"]
}

# Inbound calls to the shared number (and callbacks) reach the existing Seattle auto attendant.
data "teamsphone_auto_attendant" "seattle" {
  name = "Seattle main menu"
}

module "seattle" {
  source = "../modules/shared-calling-site"

  # 1-2. The resource account and its number, with the emergency location Shared Calling requires.
  resource_account_upn          = "aa-seattle@${var.domain}"
  resource_account_display_name = "Seattle main line"
  account_type                  = "auto_attendant"
  usage_location                = "US"
  license_sku_id                = var.license_sku_id
  telephone_number              = "+1 206 555 0140"
  number_type                   = "direct_routing"
  emergency_location_id         = var.emergency_location_id
  configuration_id              = data.teamsphone_auto_attendant.seattle.id

  # 3. The policy: same number type and country for the emergency numbers, assigned to nobody.
  site                              = "Seattle"
  shared_calling_policy_description = "Seattle office: light PSTN users call out as the main line"
  emergency_callback_numbers        = ["+12065550150", "+12065550151"]

  # 4-6. Microsoft requires an emergency call routing policy for every Shared Calling user.
  emergency_policy_name        = "Seattle-E911"
  emergency_policy_description = "Seattle office emergency routing"
  enhanced_emergency_services  = true
  emergency_dial_numbers = [
    { dial_string = "911", dial_masks = ["933"], pstn_usage = "US-Emergency" },
  ]

  # The light PSTN users: Enterprise Voice without a number of their own, and both policies.
  users = var.light_users
}

output "resource_account_id" {
  value = module.seattle.resource_account_id
}

output "shared_number" {
  value = module.seattle.shared_number
}

output "shared_calling_policy_id" {
  value = module.seattle.shared_calling_policy_id
}
