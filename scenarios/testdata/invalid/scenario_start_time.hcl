# Rule: start_time is RFC 3339.
# want: 20:16 Invalid start_time

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
  start_time = "14/03/2026 07:30"

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }
}
