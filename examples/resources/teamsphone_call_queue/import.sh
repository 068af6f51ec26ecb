# A call queue is imported by its id (Get-CsCallQueue shows it as Identity).
terraform import teamsphone_call_queue.reception c0a00000-5ea7-4e00-9000-000000000001
