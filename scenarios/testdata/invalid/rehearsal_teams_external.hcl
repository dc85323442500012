# Rule: (v2) an external team in a rehearsal's teams is a load error.
# want: 42:20 External team in play

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  team "ico" {
    tier     = 4
    external = true
  }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner       = team.a
    phase       = "containment"
    capability  = "containment"
    due         = "1h"
    on_severity = severity.low
  }
}

scenario "s" {
  plan     = "p"
  duration = "8h"

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }

  inject "ask" {
    at        = "1h"
    to        = [team.a]
    channel   = "chat"
    questions = ["What now?"]
  }
}

rehearsal "r" {
  scenario = "s"
  teams    = ["a", "ico"]
}
