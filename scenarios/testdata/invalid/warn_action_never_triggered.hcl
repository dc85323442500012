# Rule: (v2, warning) a plan action nothing in the scenario can trigger.
# want-warning: 16:3 Action never triggered | In scenario "s"

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
  action "invoke_bcp" {
    owner       = team.b
    phase       = "recovery"
    due         = "1h"
    on_severity = severity.high
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
}
