# Rule: owner resolves to a team of the plan.
# want: 10:13 Unknown team

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.c
    phase = "detection"
    due   = "1h"
  }
}
