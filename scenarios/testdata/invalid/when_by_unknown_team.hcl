# Rule: (v2) in when, action.NAME.by compared with a literal names a team of the plan.
# want: 30:30 Unknown team in when | Known: a, b.

plan "p" {
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner       = team.a
    phase       = "containment"
    capability  = "containment"
    due         = "1h"
    on_severity = severity.low
  }
}

scenario "s" {
  plan     = "p"
  duration = "8h"

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }

  inject "check" {
    at      = "1h"
    when    = action.x.by == "c"
    to      = [team.a]
    channel = "chat"
  }
}
