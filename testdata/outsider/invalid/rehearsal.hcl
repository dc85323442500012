# Checked with ../valid/: a rehearsal names a scenario that exists and times that parse.
rehearsal "bad-rehearsal" {
  scenario = "crane-hijacking" # want: crane-hijacking
}

rehearsal "bad-times" {
  scenario = "crane-hijack"

  respond {
    team   = "ops"
    action = "open_ticket"
    at     = "whenever" # want: at
  }
  note {
    team = "ops"
    text = "fine"
    at   = "10m"
  }
}
