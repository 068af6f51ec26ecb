# Shared Calling from zero: a resource account that holds the shared number with an emergency location
# and answers for the Seattle reception auto attendant, a shared calling policy whose users call out
# with that number (with two emergency callback numbers), an emergency call routing policy, and the
# users with Enterprise Voice and both policies. The site itself is the module in
# ../modules/shared-calling-site; this file says which site, and builds what callers and callbacks
# reach: the reception auto attendant (business hours, an after-hours greeting, two holidays, a menu)
# and the call queue its key 1 transfers to, through the queue's own resource account.
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

# Inbound calls to the shared number (and callbacks) reach the reception auto attendant below. Its
# key 1 goes to the reception call queue, whose agents are the light users themselves.
data "teamsphone_user" "agent" {
  for_each = toset(var.light_users)
  user_id  = each.value
}

resource "teamsphone_call_queue" "reception" {
  name             = "Seattle reception queue"
  language_id      = "en-US"
  routing_method   = "round_robin"
  agents           = [for upn in var.light_users : data.teamsphone_user.agent[upn].id]
  agent_alert_time = 20

  timeout {
    seconds = 300
    action  = "disconnect"
  }
}

# A call queue is reached through a resource account of its own.
resource "teamsphone_resource_account" "queue" {
  user_principal_name = "cq-seattle-reception@${var.domain}"
  display_name        = "Seattle reception queue"
  account_type        = "call_queue"
}

resource "teamsphone_resource_account_association" "queue" {
  resource_account_id = teamsphone_resource_account.queue.id
  configuration_id    = teamsphone_call_queue.reception.id
  configuration_type  = teamsphone_resource_account.queue.account_type
}

resource "teamsphone_auto_attendant" "reception" {
  name         = "Seattle reception"
  language_id  = "en-US"
  time_zone_id = "Pacific Standard Time"

  default_call_flow {
    greeting = "Thank you for calling Contoso Seattle."
    action   = "menu"
    menu {
      prompt = "For reception, press 1."
      options {
        key    = "Tone1"
        action = "transfer"
        target {
          type = "resource_account"
          id   = teamsphone_resource_account.queue.id
        }
      }
    }
  }

  business_hours {
    monday    = ["09:00-17:00"]
    tuesday   = ["09:00-17:00"]
    wednesday = ["09:00-17:00"]
    thursday  = ["09:00-17:00"]
    friday    = ["09:00-17:00"]
  }

  after_hours_call_flow {
    greeting = "Our Seattle office is closed. Please call again Monday to Friday between 9 and 5."
    action   = "disconnect"
  }

  holidays {
    name = "Christmas 2026"
    dates {
      start = "2026-12-24T12:00"
      end   = "2026-12-27"
    }
    call_flow {
      greeting = "Our Seattle office is closed for Christmas."
      action   = "disconnect"
    }
  }

  holidays {
    name = "New Year 2027"
    dates {
      start = "2027-01-01"
      end   = "2027-01-02"
    }
    call_flow {
      greeting = "Our Seattle office is closed for the new year."
      action   = "disconnect"
    }
  }
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
  configuration_id              = teamsphone_auto_attendant.reception.id
  associate                     = true # the auto attendant is made in this apply

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

output "auto_attendant_id" {
  value = teamsphone_auto_attendant.reception.id
}

output "call_queue_id" {
  value = teamsphone_call_queue.reception.id
}
