# Rule: tier is a whole number.
# want: 6:21 Not a whole number

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 1.5 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    on_severity = severity.low
  }
}
