# Rule: a plan has a severity ladder.
# want: 4:1 No severity ladder

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
  }
}
