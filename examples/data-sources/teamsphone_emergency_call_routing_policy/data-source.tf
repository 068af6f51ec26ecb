data "teamsphone_emergency_call_routing_policy" "tacoma" {
  name = "Tacoma-E911"
}

output "tacoma_dial_strings" {
  value = [for n in data.teamsphone_emergency_call_routing_policy.tacoma.emergency_numbers : n.dial_string]
}
