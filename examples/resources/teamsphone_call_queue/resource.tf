# The Seattle reception queue: Ann and Bob take calls in turn. A caller who waits 5 minutes is
# forwarded to the front desk's number; once 10 callers wait, new ones go to the team's shared
# voicemail (a Microsoft 365 group), read in the queue's language.
resource "teamsphone_call_queue" "reception" {
  name                   = "Seattle reception"
  language_id            = "en-US"
  routing_method         = "round_robin"
  agents                 = ["cccccccc-0000-0000-0000-000000000001", "cccccccc-0000-0000-0000-000000000002"]
  agent_alert_time       = 20
  presence_based_routing = true

  overflow {
    threshold = 10
    action    = "shared_voicemail"
    target    = "dddddddd-0000-0000-0000-000000000001"
  }

  timeout {
    seconds = 300
    action  = "forward"
    target  = "tel:+12065550199"
  }
}
