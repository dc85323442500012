rehearsal "first" {
  scenario = "engine-fire"

  respond {
    team   = "shore"
    action = "log_position"
    at     = "4m"
  }
  respond {
    team   = "bridge"
    action = "muster"
    at     = "22m"
  }
  respond {
    team   = "shore"
    action = "report_coastguard"
    at     = "31m"
  }
}

rehearsal "second" {
  scenario = "engine-fire"

  respond {
    team   = "shore"
    action = "log_position"
    at     = "6m"
  }
  respond {
    team   = "bridge"
    action = "muster"
    at     = "37m"
  }
  respond {
    team   = "shore"
    action = "report_coastguard"
    at     = "45m"
  }
}
