# Rule: (v2) an objective names at least one capability.
# want: 22:20 No capabilities

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
  objective "contain" {
    capabilities = []
  }

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }
}
