# Rule: a quoted reference that already names its kind gets a hint without a second prefix.
# want: 10:13 Invalid reference | Write team.a, without quotes.

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = "team.a"
    phase = "detection"
    due   = "1h"
  }
}
