# Rule: (v2) decided_by names at least one team.
# want: 37:20 No deciding team

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
      expected   = "refuse"
      decided_by = []
    }
  }
}
