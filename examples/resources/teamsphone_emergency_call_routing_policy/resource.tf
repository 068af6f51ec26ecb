# Emergency calls from Seattle: 911 (and 933, the test number) go out through the US-Emergency PSTN usage.
resource "teamsphone_emergency_call_routing_policy" "seattle" {
  name                        = "Seattle-E911"
  description                 = "Seattle office emergency routing"
  enhanced_emergency_services = true
  emergency_numbers = [
    { dial_string = "911", dial_masks = ["933"], pstn_usage = "US-Emergency" },
    { dial_string = "112", dial_masks = [], pstn_usage = null },
  ]
}
