# Outsider v2 fixture: the exercise; see WORKING.md for what each inject tests.
scenario "diverted-payment" {
  title    = "The supplier who changed banks"
  summary  = "A supplier's 'new bank details' were the attacker's; 48,000 GBP has gone."
  plan     = "kestrel-bec"
  duration = "5h"

  objective "stop_the_money" {
    title        = "Contain the compromise and recover the payment"
    capabilities = ["payment_recovery", "containment"]
  }
  objective "keep_people_informed" {
    title        = "Tell the right people in time"
    capabilities = ["escalation", "communications", "regulatory_reporting"]
  }
  objective "report_and_decide" {
    title        = "Report early and decide clearly"
    capabilities = ["incident_reporting", "crisis_decisions"]
  }

  module "detection" {
    title     = "Module 1: new bank details"
    at        = "0s"
    questions = ["Who in finance may approve a change of a supplier's bank details?"]
  }
  module "response" {
    title = "Module 2: the money is gone"
    at    = "1h"
    questions = [
      "What is the first thing you tell the bank?",
      "Who speaks to the supplier?",
    ]
  }
  module "recovery" {
    title = "Module 3: customers and lessons"
    at    = "4h"
  }

  inject "invoice-change" {
    at       = "0s"
    to       = [team.finance]
    channel  = "email"
    from     = "Northway Pallets accounts"
    subject  = "Updated bank details for our invoices"
    body     = "Please pay invoice 4471 (48,000 GBP) to our new account at Lakeside Bank."
    triggers = [action.report_fraud, action.escalate_it]
    notes    = "The e-mail came from the real Northway mailbox; the reply-to is a look-alike domain."
  }

  inject "it-alert" {
    at       = "20m"
    to       = [team.it]
    channel  = "ticket"
    subject  = "Impossible-travel sign-in on the accounts payable mailbox"
    triggers = [action.reset_mailbox, action.block_rules, action.preserve_evidence]
  }

  inject "supplier-chases" {
    at       = "1h"
    to       = [team.finance, team.mgmt]
    channel  = "phone"
    from     = "Northway Pallets credit controller"
    subject  = "We never received invoice 4471's payment"
    severity = severity.operational
    triggers = [action.recall_payment, action.customer_notice]

    decision "hold_payments" {
      prompt = "Do you keep paying suppliers today?"
      options = {
        hold     = "Hold all supplier payments until bank details are re-verified"
        continue = "Keep paying; verify only new changes"
      }
      decided_by = [team.mgmt]
      expected   = "hold"
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 1.5
    }
  }

  inject "forensics-in" {
    after     = action.reset_mailbox
    delay     = "30m"
    to        = [team.it]
    channel   = "email"
    subject   = "Sign-in logs from the mail provider"
    questions = ["Which sign-in first used the stolen password?"]
  }

  inject "bank-calls" {
    at      = "1h30m"
    when    = !action.recall_payment.done
    to      = [team.finance]
    channel = "phone"
    from    = "Harbour Bank fraud desk"
    subject = "Do you want us to try a recall of payment 4471?"
    prompts = [action.recall_payment]
  }

  inject "customers-ask" {
    at      = "2h"
    to      = [team.comms, team.mgmt]
    channel = "email"
    subject = "Two customers got 'new bank details' e-mails from us"

    decision "customer_message" {
      prompt = "What do you tell customers?"
      options = {
        full_disclosure = "Tell all customers what happened and how to check"
        holding_line    = "A short holding line to the two who asked"
        say_nothing     = "Say nothing until the investigation ends"
      }
      credit     = { full_disclosure = 1, holding_line = 0.5 }
      due        = "30m"
      capability = "communications"
      phase      = "recovery"
    }
  }

  inject "bank-advice" {
    at       = "2h30m"
    to       = [team.mgmt, team.legal, team.bank]
    channel  = "phone"
    from     = "Harbour Bank fraud desk"
    subject  = "The recall is pending; we advise a crime report"
    triggers = [action.legal_hold]

    decision "police_report" {
      prompt = "Do you report the fraud to the police now?"
      options = {
        report = "Report to Action Fraud and the police now"
        wait   = "Wait for the bank's recall result"
      }
      expected   = "report"
      due        = "20m"
      default    = "wait"
      capability = "crisis_decisions"
      phase      = "containment"
    }
  }

  inject "press-leak" {
    at       = "3h"
    when     = !action.customer_notice.done
    to       = [team.comms]
    channel  = "news"
    subject  = "Trade press: 'Kestrel customers targeted by fake invoices'"
    triggers = [action.press_statement]
  }

  inject "police-followup" {
    after   = decision.police_report
    delay   = "15m"
    when    = decision.police_report.choice == "wait"
    to      = [team.mgmt]
    channel = "phone"
    from    = "Harbour Bank fraud desk"
    subject = "The recall failed: the funds left Lakeside Bank this morning"
  }

  inject "forensic-report" {
    after   = action.preserve_evidence
    delay   = "1h"
    to      = [team.it]
    channel = "email"
    subject = "What the audit log shows"
  }

  inject "hot-wash-prompt" {
    at      = "4h"
    to      = [team.finance, team.it, team.mgmt, team.comms]
    channel = "sitrep"
    subject = "Before we close: what failed first?"

    decision "root_cause" {
      prompt = "What let the attacker's e-mail through?"
      options = {
        process    = "A gap in the payment-change process"
        training   = "Staff training"
        technology = "No MFA on the mailboxes"
      }
    }
  }
}
