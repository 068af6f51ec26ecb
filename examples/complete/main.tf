# Shared Calling from zero: a resource account that holds the shared number with an emergency location,
# and a shared calling policy whose users call out with that number, with two emergency callback numbers.
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

# 1. The resource account whose number Shared Calling users borrow.
resource "teamsphone_resource_account" "seattle" {
  user_principal_name = "aa-seattle@${var.domain}"
  display_name        = "Seattle main line"
  account_type        = "auto_attendant"
  usage_location      = "US"
  license_sku_id      = var.license_sku_id
}

# 2. Its phone number, with the emergency location Shared Calling requires.
resource "teamsphone_phone_number_assignment" "seattle_main_line" {
  telephone_number = "+1 206 555 0140"
  target_id        = teamsphone_resource_account.seattle.id
  number_type      = "direct_routing"
  location_id      = var.emergency_location_id
}

# 3. The policy: same number type and country for the emergency numbers, assigned to nobody.
resource "teamsphone_shared_calling_policy" "seattle" {
  name                = "Seattle"
  description         = "Seattle office: light PSTN users call out as the main line"
  resource_account_id = teamsphone_resource_account.seattle.id
  emergency_numbers   = ["+12065550150", "+12065550151"]

  # The account must hold its number (with a location) before a policy can use it.
  depends_on = [teamsphone_phone_number_assignment.seattle_main_line]
}

# 2b. Inbound calls to the shared number (and callbacks) reach the Seattle auto attendant.
data "teamsphone_auto_attendant" "seattle" {
  name = "Seattle main menu"
}

resource "teamsphone_resource_account_association" "seattle" {
  resource_account_id = teamsphone_resource_account.seattle.id
  configuration_id    = data.teamsphone_auto_attendant.seattle.id
  configuration_type  = teamsphone_resource_account.seattle.account_type
}

output "resource_account_id" {
  value = teamsphone_resource_account.seattle.id
}

output "shared_number" {
  value = teamsphone_phone_number_assignment.seattle_main_line.id
}

output "shared_calling_policy_id" {
  value = teamsphone_shared_calling_policy.seattle.id
}

# 4-6. The light PSTN users: Enterprise Voice without a number of their own, an emergency call routing
# policy (created here), and the shared calling policy.
variable "light_users" {
  description = "Users who call out with the shared number (object ids or user principal names)."
  type        = list(string)
  default     = ["ann@contoso.onmicrosoft.com", "bob@contoso.onmicrosoft.com"]
}

resource "teamsphone_enterprise_voice_users" "seattle" {
  user_ids = var.light_users
}

# Microsoft requires an emergency call routing policy for every Shared Calling user.
resource "teamsphone_emergency_call_routing_policy" "seattle" {
  name                        = "Seattle-E911"
  description                 = "Seattle office emergency routing"
  enhanced_emergency_services = true
  emergency_numbers = [
    { dial_string = "911", dial_masks = ["933"], pstn_usage = "US-Emergency" },
  ]
}

resource "teamsphone_policy_assignment_set" "seattle_emergency" {
  policy_type = "TeamsEmergencyCallRoutingPolicy"
  policy_name = teamsphone_emergency_call_routing_policy.seattle.name
  user_ids    = var.light_users
}

resource "teamsphone_policy_assignment_set" "seattle_shared_calling" {
  policy_name = teamsphone_shared_calling_policy.seattle.name
  user_ids    = var.light_users

  depends_on = [teamsphone_enterprise_voice_users.seattle]
}
