# One configuration, several customer tenants: a provider alias per tenant, the same module for each.
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

provider "teamsphone" {
  alias                   = "contoso"
  tenant_id               = "aaaaaaaa-0000-0000-0000-00000000000a"
  client_id               = var.client_id
  client_secret           = var.tenant_secrets["aaaaaaaa-0000-0000-0000-00000000000a"]
  max_concurrent_requests = 4
}

provider "teamsphone" {
  alias                   = "fabrikam"
  tenant_id               = "bbbbbbbb-0000-0000-0000-00000000000b"
  client_id               = var.client_id
  client_secret           = var.tenant_secrets["bbbbbbbb-0000-0000-0000-00000000000b"]
  max_concurrent_requests = 4
}

module "contoso" {
  source              = "./modules/shared-calling"
  office              = "Seattle"
  resource_account_id = "3f0c9a51-7b1e-4c52-9f4a-0d2b8e6a1c01"
  providers           = { teamsphone = teamsphone.contoso }
}

module "fabrikam" {
  source              = "./modules/shared-calling"
  office              = "Berlin"
  resource_account_id = "5b7d3c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
  providers           = { teamsphone = teamsphone.fabrikam }
}
