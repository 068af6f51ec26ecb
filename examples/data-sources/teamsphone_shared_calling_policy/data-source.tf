data "teamsphone_shared_calling_policy" "existing" {
  name = "Existing"
}

output "existing_policy_numbers" {
  value = data.teamsphone_shared_calling_policy.existing.emergency_numbers
}
