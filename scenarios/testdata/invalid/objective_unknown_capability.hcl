# Rule: (v2) an objective names capabilities that a plan action or a decision of the scenario carries.
# want: 23:36 Unknown capability | Did you mean "containment"?

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
  objective "contain" {
    title        = "Contain it"
    capabilities = ["containment", "containmnt"]
  }

  inject "first" {
    at      = "0s"
    to      = [team.a, team.b]
    channel = "email"
  }
}
