# Rule: plan names are unique.
# want: 16:6 Duplicate plan

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
  }
}

plan "p" {
  severity "low" { level = 1 }
}
