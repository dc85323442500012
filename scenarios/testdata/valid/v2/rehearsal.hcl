rehearsal "slow-containment" {
  scenario = "hospital-ransomware"
  teams    = ["service_desk", "irt", "cmt", "legal"] # (v2) the teams that play; ico is external

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
  answer {
    team     = "service_desk"
    question = "module.detection.1"
    text     = "The duty manager, once the Service Desk has logged it"
    at       = "10m"
  }
  answer {
    team     = "irt"
    question = "inject.forensics-in.1" # or "module.detection.1"
    text     = "Phishing e-mail to the ward clerk, 09:12"
    at       = "4h20m"
  }
}
