# Checked with ../valid/harbour-plan.hcl and ../valid/crane-hijack.hcl. language.md: a
# scripted input whose target does not exist is an error in the report, not a crash; the
# loader may warn about it (a warning, so validate still exits 0).
rehearsal "misfits" {
  scenario = "crane-hijack"

  respond {
    team   = "dockers" # warn: dockers
    action = "open_ticket"
    at     = "5m"
  }
  respond {
    team   = "ops"
    action = "dance" # warn: dance
    at     = "6m"
  }
  escalate {
    from = "ops"
    to   = "coastguard" # warn: coastguard
    text = "help"
    at   = "7m"
  }
  choose {
    team     = "exec"
    decision = "pay"
    option   = "maybe" # warn: maybe
    at       = "2h5m"
  }
  choose {
    team     = "exec"
    decision = "pay"
    option   = "refuse"
    at       = "1h"
  }
  respond {
    team   = "ops"
    action = "open_ticket"
    at     = "9h" # warn: 9h
  }
}
