# Rule: title is text.
# want: 5:11 Wrong type

plan "p" {
  title = ["a", "b"]
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
