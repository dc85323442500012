# Rule: tier is positive.
# want: 6:21 Not positive

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 0 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    on_severity = severity.low
  }
}
