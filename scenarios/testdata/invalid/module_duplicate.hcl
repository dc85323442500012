# Rule: (v2) module names are unique; the duplicate names the first.
# want: 24:10 Duplicate module | module_duplicate.hcl:21:3

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
    at = "0s"
  }
  module "one" {
    at = "1h"
  }

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }
}
