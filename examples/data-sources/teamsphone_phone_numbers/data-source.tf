# Free US Direct Routing numbers, e.g. to pick emergency callback numbers for a policy.
data "teamsphone_phone_numbers" "free_us" {
  number_type       = "direct_routing"
  assignment_status = "unassigned"
  iso_country_code  = "US"
}

output "free_us_numbers" {
  value = data.teamsphone_phone_numbers.free_us.numbers[*].telephone_number
}
