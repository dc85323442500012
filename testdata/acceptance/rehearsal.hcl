# Acceptance fixture: the scripted responses; see README.md for what each one tests.
rehearsal "acceptance-run" {
  scenario = "acceptance"

  # A non-owner records "log" first; the owner's later record is the one that counts.
  respond {
    team   = "irt"
    action = "log"
    at     = "5m"
  }
  respond {
    team   = "desk"
    action = "log"
    at     = "10m"
  }
  respond {
    team   = "irt"
    action = "open_bridge"
    at     = "20m"
  }
  # On time, but before "escalate" (its `after`) is recorded: out_of_order.
  respond {
    team   = "irt"
    action = "contain"
    at     = "40m"
  }
  # Records "escalate" (desk's action whose escalate_to is irt) at 50m: late, first band.
  escalate {
    from = "desk"
    to   = "irt"
    text = "Ransom screens on the first floor"
    at   = "50m"
  }
  # Only irt ever records the ops action: wrong_owner.
  respond {
    team   = "irt"
    action = "isolate_backups"
    at     = "1h20m"
  }
  # Records "brief_cmt" at 1h40m: late, second band.
  escalate {
    from = "irt"
    to   = "cmt"
    text = "We need the CMT"
    at   = "1h40m"
  }
  choose {
    team     = "cmt"
    decision = "ransom"
    option   = "pay"
    at       = "1h45m"
  }
  # ops owns no action with escalate_to = cmt: an escalation, no record.
  escalate {
    from = "ops"
    to   = "cmt"
    text = "Backups are offline"
    at   = "2h30m"
  }
  # Recorded before "restore" triggers it at 3h: a record before T counts.
  respond {
    team   = "ops"
    action = "eradicate"
    at     = "2h50m"
  }
  # At the same moment as "restore" is due: the inject fires first, so the decision exists.
  choose {
    team     = "irt"
    decision = "restore_order"
    option   = "backups"
    at       = "3h"
  }
  note {
    team = "cmt"
    text = "We never invoked the BCP"
    at   = "3h30m"
  }
}
