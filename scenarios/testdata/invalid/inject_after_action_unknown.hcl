# Rule: (v2) after = action.NAME names a plan action.
# want: 29:15 Unknown action

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
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

  inject "next" {
    after   = action.y
    to      = [team.a]
    channel = "email"
  }
}
