# Acceptance fixture: nine injects; the expected timeline and scores are in README.md.
scenario "acceptance" {
  title    = "Acceptance fixture scenario"
  summary  = "Small, but every rule of play and scoring shows up at least once."
  plan     = "acceptance-plan"
  duration = "4h"

  inject "report" {
    at       = "0s"
    to       = [team.desk]
    channel  = "email"
    from     = "A user"
    subject  = "Strange screen"
    body     = "My screen asks for bitcoin."
    triggers = [action.log, action.escalate, action.contain]
  }

  # True at 30m: contain is recorded only at 40m.
  inject "spread" {
    at       = "30m"
    when     = !action.contain.done
    to       = [team.desk, team.irt]
    channel  = "ticket"
    subject  = "More screens"
    severity = severity.major
  }

  # Due 45m; true: log was recorded by its owner (desk) at 10m, before its 15m deadline.
  inject "followup" {
    after    = inject.spread
    delay    = "15m"
    when     = action.log.on_time
    to       = [team.ops]
    channel  = "chat"
    subject  = "Are the backups safe?"
    triggers = [action.isolate_backups]
  }

  # False at 1h (contain was recorded at 40m): skipped, and so is "quiet-press".
  inject "quiet" {
    at      = "1h"
    when    = !action.contain.done
    to      = [team.irt]
    channel = "phone"
    subject = "Still spreading"
  }

  inject "quiet-press" {
    after    = inject.quiet
    delay    = "30m"
    to       = [team.cmt]
    channel  = "news"
    subject  = "Reporter calling"
    triggers = [action.press_release]
  }

  inject "demand" {
    at      = "1h30m"
    to      = [team.cmt]
    channel = "email"
    subject = "Pay us"

    decision "ransom" {
      prompt = "Pay?"
      options = {
        pay    = "Pay"
        refuse = "Refuse"
      }
      expected   = "refuse"
      capability = "crisis_decisions"
      phase      = "containment"
    }
  }

  # Due 2h, the same moment as "pay-call", and earlier in the file: it fires first.
  inject "crisis" {
    at       = "2h"
    when     = severity.level >= 2 && inject.spread.delivered
    to       = [team.cmt]
    channel  = "sitrep"
    subject  = "It is a crisis"
    severity = severity.crisis
  }

  # Due 1h30m + 30m = 2h; true: cmt chose "pay" at 1h45m.
  inject "pay-call" {
    after   = inject.demand
    delay   = "30m"
    when    = decision.ransom.choice == "pay"
    to      = [team.cmt]
    channel = "phone"
    subject = "About that payment"
  }

  inject "restore" {
    at       = "3h"
    to       = [team.irt, team.ops]
    channel  = "sitrep"
    subject  = "How do we restore?"
    triggers = [action.eradicate]

    decision "restore_order" {
      prompt = "Restore how?"
      options = {
        backups = "From backups"
        rebuild = "Rebuild from scratch"
      }
      expected   = "backups"
      capability = "recovery"
      phase      = "recovery"
    }
  }
}
