terraform {
  # Plain object and list variables only (no optional() attributes), so Terraform 1.0 applies it.
  required_version = ">= 1.0"
  required_providers {
    teamsphone = {
      source = "teamsphone/teamsphone"
    }
  }
}
