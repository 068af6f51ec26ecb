# One Shared Calling site, everything Microsoft requires in the order Teams needs it: a resource
# account holding the shared number (with its emergency location), optionally answering for an auto
# attendant or call queue so callbacks reach someone, the shared calling policy that lends the
# number, an emergency call routing policy, and the users: Enterprise Voice, then both policies
# granted as one set each. Inputs are in variables.tf, outputs in outputs.tf; README.md shows a call.

# 1. The resource account whose number the site's users borrow.
resource "teamsphone_resource_account" "site" {
  user_principal_name = var.resource_account_upn
  display_name        = var.resource_account_display_name
  account_type        = var.account_type
  usage_location      = var.usage_location
  license_sku_id      = var.license_sku_id
}

# 2. Its number, with the emergency location Shared Calling requires.
resource "teamsphone_phone_number_assignment" "shared_number" {
  telephone_number = var.telephone_number
  target_id        = teamsphone_resource_account.site.id
  number_type      = var.number_type
  location_id      = var.emergency_location_id
}

# 3. Inbound calls (and emergency callbacks) to the shared number reach this configuration.
resource "teamsphone_resource_account_association" "inbound" {
  # Counting on `associate` when it is set keeps the count known at plan time even when the
  # configuration is created in the same apply.
  count = (var.associate != null ? var.associate : var.configuration_id != null) ? 1 : 0

  resource_account_id = teamsphone_resource_account.site.id
  configuration_id    = var.configuration_id
  configuration_type  = teamsphone_resource_account.site.account_type
  call_priority       = var.call_priority
}

# 4. The shared calling policy: its users call out as the resource account's number.
resource "teamsphone_shared_calling_policy" "site" {
  name                = var.site
  description         = var.shared_calling_policy_description
  resource_account_id = teamsphone_resource_account.site.id
  emergency_numbers   = var.emergency_callback_numbers

  # The account must hold its number (with a location) before a policy can use it.
  depends_on = [teamsphone_phone_number_assignment.shared_number]
}

# 5. Microsoft requires an emergency call routing policy for every Shared Calling user.
resource "teamsphone_emergency_call_routing_policy" "site" {
  name                        = var.emergency_policy_name
  description                 = var.emergency_policy_description
  enhanced_emergency_services = var.enhanced_emergency_services
  emergency_numbers           = var.emergency_dial_numbers
}

# 6. The users: Enterprise Voice without a number of their own, then both policies.
resource "teamsphone_enterprise_voice_users" "site" {
  user_ids = var.users
}

resource "teamsphone_policy_assignment_set" "emergency" {
  policy_type = "TeamsEmergencyCallRoutingPolicy"
  policy_name = teamsphone_emergency_call_routing_policy.site.name
  user_ids    = var.users
}

resource "teamsphone_policy_assignment_set" "shared_calling" {
  policy_name = teamsphone_shared_calling_policy.site.name
  user_ids    = var.users

  # Only Enterprise Voice users call out as the shared number.
  depends_on = [teamsphone_enterprise_voice_users.site]
}
