# Rule: (v2) a rehearsal's teams are teams of the plan.
# want: 39:20 Unknown team | Did you mean "desk"?

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  team "desk" { tier = 1 }
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
    to        = [team.a, team.desk]
    channel   = "chat"
    questions = ["What now?"]
  }
}

rehearsal "r" {
  scenario = "s"
  teams    = ["a", "dsk"]
}
