# Outsider v2 fixture: the scripted responses; legal does not play. See WORKING.md.
rehearsal "kestrel-tuesday" {
  scenario = "diverted-payment"
  teams    = ["finance", "it", "mgmt", "comms"]

  answer {
    team     = "finance"
    question = "module.detection.1"
    text     = "Only the finance manager, after a call-back to the supplier"
    at       = "5m"
  }
  respond {
    team   = "finance"
    action = "report_fraud"
    at     = "10m"
  }
  answer {
    team     = "finance"
    question = "module.detection.1"
    text     = "Correction: anyone in AP can, which is the problem"
    at       = "30m"
  }
  respond {
    team   = "it"
    action = "reset_mailbox"
    at     = "45m"
  }
  escalate {
    from = "finance"
    to   = "it"
    text = "We think the AP mailbox is compromised"
    at   = "50m"
  }
  answer {
    team     = "mgmt"
    question = "module.response.2"
    text     = "The MD calls Northway's owner"
    at       = "1h5m"
  }
  respond {
    team   = "finance"
    action = "brief_mgmt"
    at     = "1h10m"
  }
  choose {
    team     = "mgmt"
    decision = "hold_payments"
    option   = "hold"
    at       = "1h20m"
  }
  answer {
    team     = "it"
    question = "inject.forensics-in.1"
    text     = "The 09:02 sign-in from a VPN exit node"
    at       = "1h25m"
  }
  escalate {
    from = "finance"
    to   = "bank"
    text = "Please recall payment 4471"
    at   = "1h45m"
  }
  choose {
    team     = "comms"
    decision = "customer_message"
    option   = "holding_line"
    at       = "2h10m"
  }
  respond {
    team   = "it"
    action = "block_rules"
    at     = "2h30m"
  }
  note {
    team = "bank"
    text = "Recall request sent to Lakeside Bank"
    at   = "2h35m"
  }
  respond {
    team   = "comms"
    action = "customer_notice"
    at     = "2h40m"
  }
  choose {
    team     = "mgmt"
    decision = "customer_message"
    option   = "holding_line"
    at       = "2h45m"
  }
  choose {
    team     = "finance"
    decision = "root_cause"
    option   = "process"
    at       = "4h10m"
  }
  choose {
    team     = "it"
    decision = "root_cause"
    option   = "technology"
    at       = "4h15m"
  }
  choose {
    team     = "mgmt"
    decision = "root_cause"
    option   = "process"
    at       = "4h20m"
  }
  answer {
    team     = "comms"
    question = "module.response.1"
    text     = "The payment reference and the time it left"
    at       = "4h30m"
  }
  note {
    team = "mgmt"
    text = "Board to be told tomorrow"
    at   = "4h40m"
  }
}
