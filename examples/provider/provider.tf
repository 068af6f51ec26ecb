provider "teamsphone" {
  tenant_id = "11111111-2222-3333-4444-555555555555"
  client_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
  # The credential comes from the environment: TEAMSPHONE_CLIENT_SECRET (or ARM_CLIENT_SECRET),
  # a certificate (client_certificate_path) or workload identity federation (use_oidc).
}
