# Rule: (v2, warning) an action triggered by an at inject whose deadline lies past duration.
# want-warning: 32:17 Deadline past the end | In scenario "s"

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

  inject "late" {
    at       = "7h30m"
    to       = [team.a]
    channel  = "email"
    triggers = [action.x]
  }
}
