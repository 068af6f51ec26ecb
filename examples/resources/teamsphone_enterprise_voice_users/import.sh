# A comma-separated list of users; those with Enterprise Voice enabled are imported.
terraform import teamsphone_enterprise_voice_users.seattle ann@contoso.onmicrosoft.com,bob@contoso.onmicrosoft.com
