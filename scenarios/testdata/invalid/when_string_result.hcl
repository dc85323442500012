# Rule: when gives a bool, not a value.
# want: 43:15 when is not a condition

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
  }
}

scenario "s" {
  plan     = "p"
  duration = "8h"

  inject "first" {
    at      = "0s"
    to      = [team.a]
    channel = "email"
  }

  inject "demand" {
    at      = "2h"
    to      = [team.b]
    channel = "email"

    decision "ransom" {
      prompt   = "Pay?"
      options  = { refuse = "Refuse", pay = "Pay" }
      expected = "refuse"
    }
  }

  inject "late" {
    at      = "3h"
    to      = [team.a]
    channel = "chat"
    when    = decision.ransom.choice
  }
}
