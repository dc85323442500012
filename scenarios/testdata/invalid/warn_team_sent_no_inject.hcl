# Rule: (v2, warning) a team, not external, in the to of no inject.
# want-warning: 7:3 Team sent no inject | In scenario "s"

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  team "c" { tier = 3 }
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
}
