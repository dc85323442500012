# Checked with ../valid/harbour-plan.hcl: a severity that jumps levels, chains that skip,
# and conditions over who did what first and on time.
scenario "quiet-night" {
  title    = "A quiet night shift"
  summary  = "The power fails at the terminal and the night shift has to carry it."
  plan     = "harbour-irp"
  duration = "2h"

  inject "tip-off" {
    at       = "0s"
    to       = [team.ops]
    channel  = "phone"
    subject  = "Anonymous call about the crane PLCs"
    triggers = [action.open_ticket]
  }

  # From minor straight to continuity: every on_severity at or below it triggers now.
  inject "blackout" {
    at       = "20m"
    to       = [team.it, team.exec]
    channel  = "sitrep"
    subject  = "Terminal power lost"
    severity = severity.continuity
  }

  inject "chain-1" {
    after   = inject.blackout
    delay   = "5m"
    to      = [team.ops]
    channel = "chat"
    subject = "Generators not starting"
  }

  # Due at once after chain-1 (no delay); soc recorded open_ticket first, so skipped.
  inject "chain-2" {
    after   = inject.chain-1
    to      = [team.ops]
    channel = "chat"
    subject = "Ops logged it first"
    when    = inject.chain-1.delivered && action.open_ticket.by == "ops"
  }

  inject "chain-3" {
    after   = inject.chain-2
    delay   = "10m"
    to      = [team.ops]
    channel = "chat"
    subject = "Follows chain-2"
  }

  # restore_backups is not yet recorded at 30m: not on time yet.
  inject "too-early" {
    at      = "30m"
    to      = [team.it]
    channel = "ticket"
    subject = "Backups already restored?"
    when    = action.restore_backups.on_time
  }

  inject "whodunnit" {
    at      = "1h"
    to      = [team.soc]
    channel = "email"
    subject = "Why did the SOC open the ops ticket?"
    when    = action.open_ticket.by == "soc" && action.open_ticket.done
  }

  inject "check-on-time" {
    at      = "1h10m"
    to      = [team.it]
    channel = "email"
    subject = "Backups restored within the plan's deadline"
    when    = action.restore_backups.on_time && severity.level == 3
  }

  # A lower severity does not lower the incident.
  inject "downgrade" {
    at       = "1h30m"
    to       = [team.ops, team.soc, team.it, team.exec]
    channel  = "sitrep"
    subject  = "Power back on one quay"
    severity = severity.minor
  }
}

rehearsal "night-shift" {
  scenario = "quiet-night"

  respond {
    team   = "soc"
    action = "open_ticket"
    at     = "10m"
  }
  respond {
    team   = "ops"
    action = "open_ticket"
    at     = "12m"
  }
  respond {
    team   = "it"
    action = "restore_backups"
    at     = "40m"
  }
}
