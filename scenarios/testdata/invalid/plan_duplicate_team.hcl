# Rule: team names are unique in a plan.
# want: 6:8 Duplicate team

plan "p" {
  team "a" { tier = 1 }
  team "a" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    on_severity = severity.low
  }
}
