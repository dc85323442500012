# Rule: owner is a team reference, not another kind.
# want: 10:13 Wrong kind of reference

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = action.x
    phase = "detection"
    due   = "1h"
  }
}
