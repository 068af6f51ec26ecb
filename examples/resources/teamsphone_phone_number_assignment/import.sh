# An assignment is imported by its telephone number; the spelling you import with is kept, so use the
# one in your configuration. A timeouts block lives only in Terraform's state, so after an import it
# shows once as an in-place update.
terraform import teamsphone_phone_number_assignment.seattle_main_line "+1 206 555 0140"
