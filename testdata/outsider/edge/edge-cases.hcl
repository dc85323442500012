# Checked with ../valid/harbour-plan.hcl and ../valid/crane-hijack.hcl: the corners of
# scoring.md (records before the trigger, the floor at 0, unanswered decisions).
rehearsal "edge-cases" {
  scenario = "crane-hijack"

  # Before page_soc (its after) is recorded: out of order.
  respond {
    team   = "soc"
    action = "isolate_gateway"
    at     = "15m"
  }
  # ops' action, by soc, past twice its deadline, before open_ticket (its after): 0.25,
  # halved, minus 0.25: floored at 0.
  respond {
    team   = "soc"
    action = "page_soc"
    at     = "50m"
  }
  # Before ransom triggers it at 2h: on time.
  respond {
    team   = "it"
    action = "restore_backups"
    at     = "1h"
  }
  # Records brief_exec (soc's escalate_to exec) before continuity triggers it at 2h.
  escalate {
    from = "soc"
    to   = "exec"
    text = "Heads up: the cranes"
    at   = "1h30m"
  }
  # Past twice its deadline of 1h: 0.25.
  respond {
    team   = "ops"
    action = "check_cctv"
    at     = "2h30m"
  }
}
