# Rule: action names are unique in a plan.
# want: 15:10 Duplicate action | An action named "x"

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
  action "x" {
    owner = team.b
    phase = "detection"
    due   = "2h"
  }
}
