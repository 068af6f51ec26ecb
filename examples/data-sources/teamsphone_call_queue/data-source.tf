# A call queue made in the Teams admin center, looked up by id (or by name).
data "teamsphone_call_queue" "front_desk" {
  id = "c0a00000-5ea7-4e00-9000-000000000001"
}

output "front_desk" {
  value = {
    name                 = data.teamsphone_call_queue.front_desk.name
    routing_method       = data.teamsphone_call_queue.front_desk.routing_method
    resource_account_ids = data.teamsphone_call_queue.front_desk.resource_account_ids
  }
}
