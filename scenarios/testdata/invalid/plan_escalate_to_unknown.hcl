# Rule: escalate_to resolves to a team.
# want: 14:19 Unknown team

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
    escalate_to = team.legal
  }
}
