# Rule: plan names are unique.
# want: 17:6 Duplicate plan

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

plan "p" {
  team "a" { tier = 1 }
  severity "low" { level = 1 }
}
