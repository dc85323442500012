# Rule: (v2) the literal may be on either side of == or !=.
# want: 42:15 Unknown option in when | Did you mean "refuse"?

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
      expected = "refuse"
    }
  }

  inject "wallet" {
    at      = "3h"
    when    = "refused" != decision.ransom.choice
    to      = [team.b]
    channel = "email"
  }
}
