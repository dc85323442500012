rehearsal "slow-containment" {
  scenario = "hospital-ransomware"

  respond {
    team   = "service_desk"
    action = "log_report"
    at     = "5m"
  }
  escalate {
    from = "service_desk"
    to   = "irt"
    text = "Ward 3 looks like ransomware"
    at   = "20m"
  }
  respond {
    team   = "irt"
    action = "contain_hosts"
    at     = "1h10m"
  }
  choose {
    team     = "cmt"
    decision = "ransom"
    option   = "refuse"
    at       = "2h15m"
  }
  note {
    team = "cmt"
    text = "Holding statement drafted"
    at   = "3h"
  }
}
