scenario "round" {
  title    = "Rounding"
  plan     = "round-irp"
  duration = "1h"

  inject "go" {
    at       = "0s"
    to       = [team.crew]
    channel  = "chat"
    subject  = "Go"
    triggers = [action.a1, action.a2, action.a3, action.a4, action.b1, action.b2, action.b3, action.b4]
  }
}

# alpha: 0.25, 0, 0, 0 = 6.25 -> 6.3; beta: 0.5, 0.25, 0, 0 = 18.75 -> 18.8; overall 12.5.
rehearsal "round" {
  scenario = "round"

  respond {
    team   = "crew"
    action = "a1"
    at     = "25m"
  }
  respond {
    team   = "crew"
    action = "b1"
    at     = "15m"
  }
  respond {
    team   = "crew"
    action = "b2"
    at     = "21m"
  }
}
