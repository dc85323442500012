# Rule: after chains have no cycle (the cycle is named).
# want: 34:15 Cycle in after | inject.second → inject.third → inject.second

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
    to      = [team.a, team.b]
    channel = "email"
  }

  inject "second" {
    after   = inject.third
    to      = [team.a]
    channel = "email"
  }

  inject "third" {
    after   = inject.second
    to      = [team.a]
    channel = "email"
  }
}
