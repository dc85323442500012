# Rule: scenario names are unique.
# want: 28:10 Duplicate scenario

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
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

scenario "s" {
  plan     = "p"
  duration = "4h"

  inject "first" {
    at      = "0s"
    to      = [team.a]
    channel = "email"
  }
}
