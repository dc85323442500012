rehearsal "steady-hands" {
  scenario = "crane-hijack"

  # Written out of time order on purpose: inputs play in order of `at`.
  escalate {
    from = "ops"
    to   = "soc"
    text = "Possible intrusion at crane control"
    at   = "35m"
  }
  respond {
    team   = "ops"
    action = "open_ticket"
    at     = "5m"
  }
  respond {
    team   = "soc"
    action = "isolate_gateway"
    at     = "30m"
  }
  note {
    team = "ops"
    text = "Gate 4 footage saved"
    at   = "50m"
  }
  respond {
    team   = "soc"
    action = "check_cctv"
    at     = "50m"
  }
  choose {
    team     = "exec"
    decision = "pay"
    option   = "refuse"
    at       = "1h"
  }
  escalate {
    from = "soc"
    to   = "exec"
    text = "Cranes compromised, please stand up the executive"
    at   = "1h20m"
  }
  choose {
    team     = "it"
    decision = "pay"
    option   = "pay"
    at       = "2h10m"
  }
  choose {
    team     = "exec"
    decision = "pay"
    option   = "refuse"
    at       = "2h20m"
  }
  choose {
    team     = "soc"
    decision = "pay"
    option   = "refuse"
    at       = "2h30m"
  }
  note {
    team = "exec"
    text = "Board informed by phone"
    at   = "5h30m"
  }
}
