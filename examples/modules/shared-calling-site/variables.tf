variable "site" {
  description = "Name of the site, e.g. \"Seattle\": the shared calling policy's name (bare, without Tag:)."
  type        = string
}

variable "shared_calling_policy_description" {
  description = "Description of the shared calling policy; null for none."
  type        = string
  default     = null
}

variable "resource_account_upn" {
  description = "User principal name of the resource account that holds the shared number, e.g. aa-seattle@contoso.onmicrosoft.com."
  type        = string
}

variable "resource_account_display_name" {
  description = "Display name of the resource account."
  type        = string
}

variable "account_type" {
  description = "auto_attendant or call_queue: the kind of resource account, and so of the configuration it may answer for."
  type        = string
  default     = "auto_attendant"
}

variable "usage_location" {
  description = "Two-letter country of the resource account (required for its license)."
  type        = string
}

variable "license_sku_id" {
  description = "SKU id of the Microsoft Teams Phone Resource Account license; null to license it elsewhere."
  type        = string
  default     = null
}

variable "telephone_number" {
  description = "The shared number, in E.164 form (spaces allowed), assigned to the resource account."
  type        = string
}

variable "number_type" {
  description = "direct_routing, calling_plan or operator_connect: how the shared number is provided."
  type        = string
  default     = "direct_routing"
}

variable "emergency_location_id" {
  description = "Emergency location (civic address) id of the shared number; Shared Calling requires one."
  type        = string
}

variable "emergency_callback_numbers" {
  description = "Numbers emergency services call back: same number type and country as the shared number, assigned to nobody. May be empty."
  type        = list(string)
  default     = []
}

variable "configuration_id" {
  description = "Id of the auto attendant or call queue (matching account_type) that answers inbound calls to the shared number, e.g. teamsphone_auto_attendant.x.id or data.teamsphone_auto_attendant.x.id; null for no association."
  type        = string
  default     = null
}

variable "associate" {
  description = "Whether the resource account is associated with configuration_id. Null: exactly when configuration_id is set, which Terraform must know at plan time; set true when configuration_id is made in the same apply (a teamsphone_auto_attendant or teamsphone_call_queue)."
  type        = bool
  default     = null
}

variable "call_priority" {
  description = "Priority of calls through the resource account, 1 (answered first) to 5; used only with configuration_id."
  type        = number
  default     = 3
}

variable "emergency_policy_name" {
  description = "Name of the emergency call routing policy created for the site's users (bare, without Tag:)."
  type        = string
}

variable "emergency_policy_description" {
  description = "Description of the emergency call routing policy; null for none."
  type        = string
  default     = null
}

variable "enhanced_emergency_services" {
  description = "Whether the emergency call routing policy enables dynamic emergency calling (enhanced emergency services)."
  type        = bool
  default     = true
}

variable "emergency_dial_numbers" {
  description = "Emergency numbers of the emergency call routing policy: dial_string, dial_masks (each 1-10 digits) and pstn_usage (null for none)."
  type = list(object({
    dial_string = string
    dial_masks  = list(string)
    pstn_usage  = string
  }))
}

variable "users" {
  description = "Users who call out as the shared number (object ids or user principal names): made Enterprise Voice users and granted both policies."
  type        = list(string)

  validation {
    condition     = length(var.users) > 0
    error_message = "A site needs at least one user: Enterprise Voice and both grants are made for them."
  }
}
