# Rule: (v2) an answer names a question of the scenario, or it is reported when it plays (a warning).
# want-warning: 47:16 Unknown question | Did you mean "inject.ask.1"?

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

  inject "ask" {
    at        = "1h"
    to        = [team.a]
    channel   = "chat"
    questions = ["What now?"]
  }
}

rehearsal "r" {
  scenario = "s"

  answer {
    team     = "a"
    question = "inject.ask.1"
    text     = "Call the vendor"
    at       = "1h5m"
  }
  answer {
    team     = "a"
    question = "inject.ask.2"
    text     = "And then?"
    at       = "1h10m"
  }
}
