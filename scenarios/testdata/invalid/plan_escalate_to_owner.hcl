# Rule: escalate_to is not the owner.
# want: 14:19 Escalation to the owner

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    on_severity = severity.low
    escalate_to = team.a
  }
}
