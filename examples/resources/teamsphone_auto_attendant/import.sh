# An auto attendant is imported by its id (Get-CsAutoAttendant shows it as Identity); its
# business hours and holidays come with it.
terraform import teamsphone_auto_attendant.reception 6f1c1f0e-4f7b-4b6a-9a53-2a4b3c5d6e7f
