# Rule: (v2) module at values strictly increase.
# want: 28:10 Modules out of order

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
  module "two" {
    at = "2h"
  }
  module "three" {
    at = "2h"
  }

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }
}
