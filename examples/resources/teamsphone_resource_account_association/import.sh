# An association is imported by its resource account's object id. Teams does not show the call
# priority, so the import records the default (3): set call_priority to the value it was made with.
terraform import teamsphone_resource_account_association.front_desk 0e5a2a42-1b55-4b3b-9f68-1f0d6c0b2a11
