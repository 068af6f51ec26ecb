# The per-tenant Shared Calling setup, applied once per tenant by the root module.
terraform {
  required_providers {
    teamsphone = {
      source = "teamsphone/teamsphone"
    }
  }
}

variable "office" {
  description = "Office name; becomes the shared calling policy's name."
  type        = string
}

variable "resource_account_id" {
  description = "Object id of the tenant's resource account holding the shared number."
  type        = string
}

resource "teamsphone_shared_calling_policy" "office" {
  name                = var.office
  resource_account_id = var.resource_account_id
}

output "policy_id" {
  value = teamsphone_shared_calling_policy.office.id
}
