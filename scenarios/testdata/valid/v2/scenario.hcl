scenario "hospital-ransomware" {
  title      = "Ransomware on the wards"
  summary    = "A nurse reports a strange screen; by lunchtime the hospital is on paper."
  plan       = "acme-irp"
  duration   = "8h"                   # the exercise ends here
  start_time = "2026-03-14T07:30:00Z" # optional: the simulated wall clock at T+0

  # (v2) what the exercise sets out to test, each over some of the plan's capabilities
  objective "contain" {
    title        = "Contain the outbreak within the plan's deadlines"
    capabilities = ["containment", "escalation"]
  }

  # (v2) the scenario's modules (CTEP/HSEEP): named stretches of the timeline, each from its `at`
  # to the next module's; every inject belongs to the module it falls in. Its questions are put
  # to every team in play (not external) when the module starts.
  module "detection" {
    title     = "Module 1: a strange screen"
    at        = "0s"
    questions = ["Who in your team decides that this is a security incident?"]
  }
  module "crisis" {
    title = "Module 2: the demand"
    at    = "2h"
  }

  inject "helpdesk-call" {
    at       = "0s" # simulated offset from the start
    to       = [team.service_desk]
    channel  = "phone" # email | phone | chat | news | social | ticket | sitrep
    from     = "Ward 3 charge nurse"
    subject  = "Screens showing a strange message"
    body     = <<-EOT
      Two workstations on Ward 3 show a red screen asking for payment.
    EOT
    triggers = [action.log_report, action.escalate_to_irt, action.contain_hosts] # start their deadlines now
    notes    = "If asked: Ward 3 has 12 PCs, all on the clinical VLAN."          # (v2) facilitators and evaluators only
  }

  inject "spreading" {
    at       = "40m"
    to       = [team.service_desk, team.irt]
    channel  = "ticket"
    subject  = "Pharmacy and radiology report the same screen"
    severity = severity.operational       # raises the incident to this level when delivered
    when     = !action.contain_hosts.done # delivered only if true when it comes due
  }

  inject "reporter" {
    after   = inject.spreading # fires `delay` after that inject is delivered;
    delay   = "1h"             # skipped if it was skipped
    to      = [team.cmt]
    channel = "news"
    subject = "Local radio asks about a cyber attack at the hospital"
  }

  inject "demand" {
    at       = "2h"
    to       = [team.cmt, team.legal]
    channel  = "email"
    subject  = "Your files are encrypted"
    severity = severity.continuity # (beyond language.md) so invoke_bcp and notify_regulator are triggered

    decision "ransom" {
      prompt = "The attackers demand 40 BTC within 24 hours. What do you do?"
      options = { # (v2) shown to the teams in the order written
        refuse    = "Refuse and restore from backups"
        pay       = "Pay the ransom"
        negotiate = "Engage a negotiator"
      }
      decided_by = [team.cmt]                      # (v2) default: the teams in `to` that are not external
      credit     = { refuse = 1, negotiate = 0.5 } # (v2) instead of `expected`; unlisted options earn 0
      due        = "30m"                           # (v2) to be answered within this, from delivery
      default    = "negotiate"                     # (v2) what happens for a team that has not answered by `due`
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 2
    }
  }

  # (v2) chained to a decision: `delay` after the decision is first settled (answered, or
  # defaulted at its `due`); with `when`, a branch on the answer
  inject "payment-wallet" {
    after   = decision.ransom
    delay   = "10m"
    when    = decision.ransom.choice == "pay"
    to      = [team.cmt]
    channel = "email"
    subject = "Wallet address and instructions"
  }

  # (v2) a contingency inject: it tells the teams to do something the plan expects of them, so an
  # action recorded after it was delivered counts as prompted (scoring.md)
  inject "regulator-calls" {
    at      = "6h"
    when    = !action.notify_regulator.done
    to      = [team.legal]
    channel = "phone"
    from    = "ICO duty officer"
    subject = "Have you anything to report to us?"
    prompts = [action.notify_regulator]
  }

  # (v2) chained to an action: `delay` after it is first recorded, by any team
  inject "forensics-in" {
    after     = action.contain_hosts
    delay     = "2h"
    to        = [team.irt]
    channel   = "email"
    subject   = "Forensic images are ready"
    questions = ["What do the images tell you about the first entry point?"] # (v2) put to the teams in `to`
  }
}
