# Rule: phase is one of the six.
# want: 11:13 Invalid phase

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "response"
    due   = "1h"
  }
}
