# Rule: names can be used in references.
# want: 6:8 Invalid team name

plan "p" {
  team "a" { tier = 1 }
  team "crisis team" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    on_severity = severity.low
  }
}
