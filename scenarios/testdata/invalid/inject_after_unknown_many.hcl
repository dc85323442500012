# Rule: an unknown name among many lists the closest known ones and how many more there are.
# want: 146:15 Unknown inject | Did you mean "server"? Known: alarm, badge, camera, door, email, fence, gate, jetty, kiosk, ledger, pager, server, and 10 more.

plan "p" {
  team "a" { tier = 1 }
  severity "low" { level = 1 }
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

  inject "alarm" {
    at      = "0m"
    to      = [team.a]
    channel = "email"
  }

  inject "badge" {
    at      = "1m"
    to      = [team.a]
    channel = "email"
  }

  inject "camera" {
    at      = "2m"
    to      = [team.a]
    channel = "email"
  }

  inject "door" {
    at      = "3m"
    to      = [team.a]
    channel = "email"
  }

  inject "email" {
    at      = "4m"
    to      = [team.a]
    channel = "email"
  }

  inject "fence" {
    at      = "5m"
    to      = [team.a]
    channel = "email"
  }

  inject "gate" {
    at      = "6m"
    to      = [team.a]
    channel = "email"
  }

  inject "hotline" {
    at      = "7m"
    to      = [team.a]
    channel = "email"
  }

  inject "intranet" {
    at      = "8m"
    to      = [team.a]
    channel = "email"
  }

  inject "jetty" {
    at      = "9m"
    to      = [team.a]
    channel = "email"
  }

  inject "kiosk" {
    at      = "10m"
    to      = [team.a]
    channel = "email"
  }

  inject "ledger" {
    at      = "11m"
    to      = [team.a]
    channel = "email"
  }

  inject "modem" {
    at      = "12m"
    to      = [team.a]
    channel = "email"
  }

  inject "network" {
    at      = "13m"
    to      = [team.a]
    channel = "email"
  }

  inject "office" {
    at      = "14m"
    to      = [team.a]
    channel = "email"
  }

  inject "pager" {
    at      = "15m"
    to      = [team.a]
    channel = "email"
  }

  inject "quay" {
    at      = "16m"
    to      = [team.a]
    channel = "email"
  }

  inject "radio" {
    at      = "17m"
    to      = [team.a]
    channel = "email"
  }

  inject "server" {
    at      = "18m"
    to      = [team.a]
    channel = "email"
  }

  inject "tablet" {
    at      = "19m"
    to      = [team.a]
    channel = "email"
  }

  inject "uplink" {
    at      = "20m"
    to      = [team.a]
    channel = "email"
  }

  inject "late" {
    after   = inject.servr
    to      = [team.a]
    channel = "email"
  }
}
