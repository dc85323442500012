# Rule: references are bare traversals, not strings.
# want: 10:13 Invalid reference | Write team.a, without quotes.

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = "a"
    phase = "detection"
    due   = "1h"
  }
}
