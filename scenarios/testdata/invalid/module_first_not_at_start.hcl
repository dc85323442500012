# Rule: (v2) the first module is at "0s".
# want: 22:10 First module not at the start

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
  module "one" {
    at = "10m"
  }

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }
}
