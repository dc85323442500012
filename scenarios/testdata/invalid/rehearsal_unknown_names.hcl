# Rule: unknown teams, actions, decisions and options are warnings (reported when they play).
# want-warning: 49:14 Unknown team
# want-warning: 50:14 Unknown action
# want-warning: 55:12 Unknown team
# want-warning: 62:16 Unknown option
# want-warning: 67:16 Unknown decision
# want-warning: 74:12 Step after the end

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
}

rehearsal "r" {
  scenario = "s"

  respond {
    team   = "c"
    action = "y"
    at     = "5m"
  }
  escalate {
    from = "a"
    to   = "legal"
    text = "Please advise"
    at   = "10m"
  }
  choose {
    team     = "b"
    decision = "ransom"
    option   = "negotiate"
    at       = "2h5m"
  }
  choose {
    team     = "b"
    decision = "backup"
    option   = "yes"
    at       = "2h10m"
  }
  note {
    team = "b"
    text = "Late note"
    at   = "9h"
  }
}
