# One configuration, several customer tenants: a provider alias per tenant, and the same site module
# (../modules/shared-calling-site) called once per tenant with that tenant's values.
# Secrets come from variables fed by your pipeline (for example TF_VAR_tenant_secrets), never from files.

terraform {
  required_providers {
    teamsphone = {
      source = "teamsphone/teamsphone"
    }
  }
}

variable "client_id" {
  description = "The multi-tenant app registration, consented in every customer tenant."
  type        = string
}

variable "tenant_secrets" {
  description = "Client secret per tenant id."
  type        = map(string)
  sensitive   = true
}

locals {
  # What differs between the customers; everything else is the module's defaults.
  tenants = {
    contoso = {
      tenant_id          = "aaaaaaaa-0000-0000-0000-00000000000a"
      domain             = "contoso.onmicrosoft.com"
      emergency_location = "5a0c7e1e-7a4b-4f3e-9d0a-5ea771e00001"
    }
    fabrikam = {
      tenant_id          = "bbbbbbbb-0000-0000-0000-00000000000b"
      domain             = "fabrikam.onmicrosoft.com"
      emergency_location = "5a0c7e1e-7a4b-4f3e-9d0a-5ea771e00001"
    }
  }
  # The Microsoft Teams Phone Resource Account license.
  resource_account_sku = "440eaaa8-b3e0-484b-a8be-62870b9ba70a"
}

provider "teamsphone" {
  alias                   = "contoso"
  tenant_id               = local.tenants.contoso.tenant_id
  client_id               = var.client_id
  client_secret           = var.tenant_secrets[local.tenants.contoso.tenant_id]
  max_concurrent_requests = 4
}

provider "teamsphone" {
  alias                   = "fabrikam"
  tenant_id               = local.tenants.fabrikam.tenant_id
  client_id               = var.client_id
  client_secret           = var.tenant_secrets[local.tenants.fabrikam.tenant_id]
  max_concurrent_requests = 4
}

module "contoso" {
  source    = "../modules/shared-calling-site"
  providers = { teamsphone = teamsphone.contoso }

  site                          = "Seattle"
  resource_account_upn          = "aa-seattle@${local.tenants.contoso.domain}"
  resource_account_display_name = "Contoso Seattle main line"
  usage_location                = "US"
  license_sku_id                = local.resource_account_sku
  telephone_number              = "+12065550140"
  emergency_location_id         = local.tenants.contoso.emergency_location
  emergency_callback_numbers    = ["+12065550150"]
  emergency_policy_name         = "Seattle-E911"
  emergency_dial_numbers = [
    { dial_string = "911", dial_masks = ["933"], pstn_usage = "US-Emergency" },
  ]
  users = ["ann@${local.tenants.contoso.domain}", "bob@${local.tenants.contoso.domain}"]
}

module "fabrikam" {
  source    = "../modules/shared-calling-site"
  providers = { teamsphone = teamsphone.fabrikam }

  site                          = "Seattle"
  resource_account_upn          = "aa-seattle@${local.tenants.fabrikam.domain}"
  resource_account_display_name = "Fabrikam Seattle main line"
  usage_location                = "US"
  license_sku_id                = local.resource_account_sku
  telephone_number              = "+12065550140"
  emergency_location_id         = local.tenants.fabrikam.emergency_location
  emergency_callback_numbers    = ["+12065550151"]
  emergency_policy_name         = "Seattle-E911"
  emergency_dial_numbers = [
    { dial_string = "911", dial_masks = ["933"], pstn_usage = "US-Emergency" },
  ]
  users = ["ann@${local.tenants.fabrikam.domain}"]
}

output "shared_numbers" {
  value = {
    contoso  = module.contoso.shared_number
    fabrikam = module.fabrikam.shared_number
  }
}
