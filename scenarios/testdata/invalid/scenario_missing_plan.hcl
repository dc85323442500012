# Rule: a scenario names its plan.
# want: 17:14 Missing required argument

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
  duration = "8h"
}
