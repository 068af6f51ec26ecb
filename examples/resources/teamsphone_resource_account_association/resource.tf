# A call queue account, answering for a queue made in the Teams admin center.
resource "teamsphone_resource_account" "front_desk" {
  user_principal_name = "cq-front-desk@contoso.onmicrosoft.com"
  display_name        = "Seattle front desk"
  account_type        = "call_queue"
}

data "teamsphone_call_queue" "front_desk" {
  name = "Seattle front desk"
}

resource "teamsphone_resource_account_association" "front_desk" {
  resource_account_id = teamsphone_resource_account.front_desk.id
  configuration_id    = data.teamsphone_call_queue.front_desk.id
  configuration_type  = teamsphone_resource_account.front_desk.account_type # call_queue
  call_priority       = 2                                                   # 1 (first) to 5; default 3
}
