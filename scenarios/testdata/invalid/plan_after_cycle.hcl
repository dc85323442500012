# Rule: the after graph has no cycle (the cycle is named).
# want: 18:14 Cycle in after | action.x → action.z → action.y → action.x

plan "p" {
  team "a" { tier = 1 }
  severity "low" { level = 1 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    on_severity = severity.low
    after = [action.z]
  }
  action "y" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    after = [action.x]
  }
  action "z" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    after = [action.y]
  }
}
