# Rule: (v2) credit keys are options.
# want: 36:31 Credit for an unknown option | Did you mean "pay"?

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

  inject "demand" {
    at      = "2h"
    to      = [team.b]
    channel = "email"

    decision "ransom" {
      prompt  = "Pay?"
      options = { refuse = "Refuse", pay = "Pay" }
      credit  = { refuse = 1, paye = 0.5 }
    }
  }
}
