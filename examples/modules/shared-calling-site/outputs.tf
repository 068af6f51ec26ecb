output "resource_account_id" {
  description = "Object id of the resource account holding the shared number."
  value       = teamsphone_resource_account.site.id
}

output "shared_number" {
  description = "The shared number as assigned (E.164)."
  value       = teamsphone_phone_number_assignment.shared_number.id
}

output "shared_calling_policy_id" {
  description = "Id of the shared calling policy."
  value       = teamsphone_shared_calling_policy.site.id
}

output "shared_calling_policy_name" {
  description = "Bare name of the shared calling policy, for grants made elsewhere (e.g. to a group)."
  value       = teamsphone_shared_calling_policy.site.name
}

output "emergency_call_routing_policy_name" {
  description = "Bare name of the emergency call routing policy, for grants made elsewhere."
  value       = teamsphone_emergency_call_routing_policy.site.name
}

output "association_id" {
  description = "Id of the resource account's association (its object id), or null without configuration_id."
  value       = one(teamsphone_resource_account_association.inbound[*].id)
}
