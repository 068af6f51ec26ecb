# Shared Calling from zero: a shared calling policy whose users call out with the number of a resource
# account, with two emergency callback numbers.
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

variable "resource_account_id" {
  description = "Object id of the Auto Attendant or Call Queue resource account that holds the shared number."
  type        = string
  default     = "3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01"
}

resource "teamsphone_shared_calling_policy" "seattle" {
  name                = "Seattle"
  description         = "Seattle office: light PSTN users call out as the main line"
  resource_account_id = var.resource_account_id
  emergency_numbers   = ["+1 206 555 0150", "+1 206 555 0151"]
}

output "shared_calling_policy_id" {
  value = teamsphone_shared_calling_policy.seattle.id
}
