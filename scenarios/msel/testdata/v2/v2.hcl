# Every v2 field of the language that an MSEL carries, for the round trip.
scenario "v2" {
  title      = "Every v2 field"
  summary    = "A scenario with objectives and modules."
  plan       = "acme-irp"
  duration   = "8h"
  start_time = "2026-03-14T07:30:00Z"

  objective "contain" {
    title        = "Contain the outbreak"
    capabilities = ["containment", "crisis_decisions"]
  }

  module "detection" {
    title     = "Module 1: a strange screen"
    at        = "0s"
    questions = ["Who decides this is an incident?"]
  }
  module "crisis" {
    title = "Module 2: the demand"
    at    = "2h"
  }

  inject "call" {
    at       = "0s"
    to       = [team.irt]
    channel  = "phone"
    subject  = "Red screens"
    body     = <<-EOT
      Ward 3's screens went red.
    EOT
    triggers = [action.contain_hosts]
    notes    = "Ward 3 has 12 PCs."
  }

  inject "demand" {
    at       = "2h"
    to       = [team.cmt, team.legal]
    channel  = "email"
    subject  = "Your files are encrypted"
    triggers = [action.notify_regulator]

    decision "ransom" {
      prompt = "The attackers demand 40 BTC. What do you do?"
      options = {
        refuse    = "Refuse and restore"
        pay       = "Pay the ransom"
        negotiate = "Engage a negotiator"
      }
      decided_by = [team.cmt]
      credit     = { refuse = 1, negotiate = 0.5 }
      due        = "30m"
      default    = "negotiate"
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 2
    }
  }

  inject "wallet" {
    after   = decision.ransom
    delay   = "10m"
    to      = [team.cmt]
    channel = "email"
    subject = "Wallet address"
  }

  inject "regulator-calls" {
    at      = "6h"
    to      = [team.legal]
    channel = "phone"
    subject = "Anything to report?"
    prompts = [action.notify_regulator]
  }

  inject "forensics-in" {
    after     = action.contain_hosts
    delay     = "2h"
    to        = [team.irt]
    channel   = "email"
    subject   = "Images ready"
    questions = ["What was the first entry point?"]
  }

  inject "tell-staff" {
    at      = "3h"
    to      = [team.cmt]
    channel = "email"
    subject = "Staff are asking"

    decision "staff_message" {
      prompt = "What do you tell the staff?"
      options = {
        all   = "Everything we know"
        facts = "Only the confirmed facts"
      }
    }
  }
}

rehearsal "v2-played" {
  scenario = "v2"

  respond {
    team   = "irt"
    action = "contain_hosts"
    at     = "20m"
  }
  answer {
    team     = "irt"
    question = "module.detection.1"
    text     = "The IRT lead, on the on-call rota."
    at       = "30m"
  }
  answer {
    team     = "irt"
    question = "inject.forensics-in.1"
    text     = "A phishing e-mail to Ward 3."
    at       = "2h30m"
  }
  choose {
    team     = "cmt"
    decision = "staff_message"
    option   = "facts"
    at       = "3h10m"
  }
  escalate {
    from = "legal"
    to   = "ico"
    text = "Personal data may be involved; initial notification."
    at   = "6h20m"
  }
}
