# Rule: (v2) the graph of chains through injects and their decisions has no cycle.
# want: 41:15 Cycle in after | inject.demand → inject.follow → decision.ransom (of inject.demand)

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
    after   = inject.follow
    to      = [team.b]
    channel = "email"

    decision "ransom" {
      prompt   = "Pay?"
      options  = { refuse = "Refuse", pay = "Pay" }
      expected = "refuse"
    }
  }

  inject "follow" {
    after   = decision.ransom
    to      = [team.a]
    channel = "email"
  }
}
