# Rule: a scenario refers to a loaded plan.
# want: 18:14 Unknown plan

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
  plan     = "q"
  duration = "8h"

  inject "first" {
    at      = "0s"
    to      = [team.a]
    channel = "email"
  }
}
