# Rule: text attributes are literal: ${ must be doubled.
# want: 5:20 Reference not allowed | $${

plan "p" {
  title = "Costs ${amount}"
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
