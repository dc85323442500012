# Rule: an action has an owner.
# want: 9:14 Missing required argument

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    phase = "detection"
    due   = "1h"
  }
}
