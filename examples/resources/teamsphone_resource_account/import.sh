# A resource account is imported by its user principal name or its object id. An account with exactly
# one license imports with that license as license_sku_id. A timeouts block lives only in Terraform's
# state, so after an import it shows once as an in-place update.
terraform import teamsphone_resource_account.seattle aa-seattle@contoso.onmicrosoft.com
terraform import teamsphone_resource_account.seattle 0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11
