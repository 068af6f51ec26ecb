# A reception auto attendant: a menu on weekdays 9 to 5, a closed message outside those hours,
# and two holidays. Key 1 reaches the front desk call queue (through its resource account), key 0
# the operator.
data "teamsphone_user" "operator" {
  user_id = "ann@contoso.onmicrosoft.com"
}

resource "teamsphone_resource_account" "front_desk" {
  user_principal_name = "cq-reception@contoso.onmicrosoft.com"
  display_name        = "Reception front desk"
  account_type        = "call_queue"
}

resource "teamsphone_auto_attendant" "reception" {
  name         = "Reception"
  language_id  = "en-US"
  time_zone_id = "Pacific Standard Time"

  operator {
    type = "user"
    id   = data.teamsphone_user.operator.id
  }

  default_call_flow {
    greeting = "Thank you for calling Contoso."
    action   = "menu"
    menu {
      prompt       = "For the front desk, press 1. For the operator, press 0. To search the directory, say a name."
      dial_by_name = true
      options {
        key    = "Tone1"
        action = "transfer"
        target {
          type = "resource_account"
          id   = teamsphone_resource_account.front_desk.id
        }
      }
      options {
        key    = "Tone0"
        action = "transfer"
        target {
          type = "operator"
        }
      }
    }
  }

  business_hours {
    monday    = ["09:00-17:00"]
    tuesday   = ["09:00-17:00"]
    wednesday = ["09:00-17:00"]
    thursday  = ["09:00-17:00"]
    friday    = ["09:00-12:30", "13:30-17:00"]
  }

  after_hours_call_flow {
    greeting = "Our offices are closed. Please call again Monday to Friday between 9 and 5."
    action   = "disconnect"
  }

  holidays {
    name = "Christmas 2026"
    dates {
      start = "2026-12-24T12:00"
      end   = "2026-12-27"
    }
    call_flow {
      greeting = "Our offices are closed for Christmas."
      action   = "disconnect"
    }
  }

  holidays {
    name = "New Year 2027"
    dates {
      start = "2027-01-01"
      end   = "2027-01-02"
    }
    call_flow {
      greeting = "Happy new year. For urgent matters you are connected to our answering service."
      action   = "transfer"
      target {
        type = "external_pstn"
        id   = "tel:+12065550199"
      }
    }
  }
}
