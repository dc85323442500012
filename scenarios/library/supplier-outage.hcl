# A critical SaaS supplier goes dark, played against plan "larkspur-third-party-bcp".
#
# Facilitator notes. Quayside Core Services, which runs Larkspur's core ledger, cards and
# payments, is hit by ransomware at 06:45 on Thursday 24 September; Friday the 25th is payday.
# Nothing at Larkspur is encrypted: the test is the plan for a supplier, not for an attack.
# The weak points it probes:
# - the named supplier contact, which nobody has checked since the account manager left;
# - the DORA initial notification, due no later than 24 hours after awareness: 07:10 on
#   Friday, before the compliance team is back at its desks;
# - the salary decision at 16:10, with the file due before midnight;
# - who owns the assurance that Quayside is clean before reconnecting (IT or Supplier
#   Management), under commercial pressure to reconnect by noon;
# - the plan has no action for Quayside's data-theft claim (Larkspur is the controller, Quayside
#   the processor): the "leak-claim" inject is there to see whether anybody notices.
scenario "supplier-outage" {
  title      = "The platform went dark"
  summary    = "The bank's core platform supplier is hit by ransomware the day before payday; a supplier outage becomes a continuity event and then a crisis."
  plan       = "larkspur-third-party-bcp"
  duration   = "36h"
  start_time = "2026-09-24T07:10:00+01:00"

  objective "continuity" {
    title        = "Keep members served and paid while the core platform is down"
    capabilities = ["continuity", "payments", "communications"]
  }
  objective "supplier" {
    title        = "Manage the supplier: contact, containment, assurance before reconnecting"
    capabilities = ["supplier_management", "containment", "crisis_decisions"]
  }
  objective "dora" {
    title        = "Classify and report the incident within DORA's deadlines"
    capabilities = ["regulatory_reporting"]
  }

  module "outage" {
    title = "Module 1: the platform goes dark"
    at    = "0s"
    questions = [
      "Who is Larkspur's named contact at Quayside, and when did anybody last check the number?",
      "When did Larkspur become aware of an ICT-related incident for DORA's purposes?",
    ]
  }
  module "payday" {
    title = "Module 2: payday without a ledger"
    at    = "9h"
    questions = [
      "What can members do tomorrow morning without the core platform, and what can they not?",
    ]
  }
  module "reconnect" {
    title = "Module 3: the board and the reconnection"
    at    = "22h"
    questions = [
      "What evidence would you need before trusting Quayside's network again, and who signs it off?",
    ]
  }

  # Larkspur becomes aware of an ICT incident here: the DORA 24-hour clock for the initial
  # notification starts now, not when Quayside confirms what it is.
  inject "contact-centre" {
    at       = "0s"
    to       = [team.branch_ops]
    channel  = "phone"
    from     = "Contact centre team leader, Cork"
    subject  = "App down and agents' desktops timing out"
    body     = <<-EOT
      Since about 06:50 the member app says *"Service unavailable"* and the agents' Quayside
      desktop times out. **140 calls** queued, card payments being declined at tills.
      The IT status page says everything is green.
    EOT
    triggers = [action.log_report, action.escalate_to_it, action.dora_initial_notification]
  }

  inject "synthetic-monitoring" {
    at       = "10m"
    to       = [team.it_ops]
    channel  = "ticket"
    from     = "Datadog synthetic monitoring"
    subject  = "Quayside API returning 503 since 06:47"
    body     = <<-EOT
      `POST https://api.quayside.io/v3/ledger/balance` returns 503 from all three probes since
      06:47. The IPsec tunnels to Quayside are up but carry no traffic. Card authorisations
      are falling back to stand-in processing (limit EUR 150).
    EOT
    triggers = [action.confirm_supplier_outage]
  }

  inject "status-page" {
    at       = "40m"
    to       = [team.it_ops, team.vendor_mgmt]
    channel  = "news"
    from     = "status.quayside.io"
    subject  = "Investigating: service disruption affecting some customers"
    body     = <<-EOT
      *07:45* We are investigating a disruption affecting some customers of Quayside Core.
      Our engineers are working to restore service. Next update in 60 minutes.
      (Two other Irish banks report the same outage on an industry WhatsApp group.)
    EOT
    severity = severity.operational
  }

  # Only if Supplier Management has not reached Quayside within 90 minutes.
  inject "supplier-silent" {
    at      = "1h30m"
    when    = !action.check_supplier_contacts.done
    to      = [team.vendor_mgmt]
    channel = "phone"
    from    = "Quayside service desk"
    subject = "You are not on our authorised contact list"
    body    = <<-EOT
      Your named incident contact, Dana Whyte, left Larkspur in June and nobody replaced her on
      our authorised list. We can only brief authorised contacts. Please send a signed change
      form; processing takes 2 working days.
    EOT
  }

  inject "ransomware-confirmed" {
    at       = "2h30m"
    to       = [team.vendor_mgmt, team.it_ops]
    channel  = "email"
    from     = "Quayside Chief Information Security Officer"
    subject  = "Security incident at Quayside Core: all client services offline"
    body     = <<-EOT
      We are responding to a ransomware attack on our hosting environment and have taken **all
      client services offline** as a precaution. We have engaged an incident response firm.
      We cannot yet give an ETA or rule out access to client data. Next update 13:00.
    EOT
    severity = severity.continuity
    triggers = [action.cut_supplier_connectivity, action.rotate_shared_credentials, action.invoke_contract_notice]
  }

  inject "resilience-sitrep" {
    after   = inject.ransomware-confirmed
    delay   = "30m"
    to      = [team.exec]
    channel = "sitrep"
    from    = "Head of Operational Resilience"
    subject = "Impact tolerance: make a payment, 24 hours"
    body    = <<-EOT
      Our impact tolerance for *make a payment* is 24 hours; we are at 3h20m. RPO in the
      contract is 15 minutes, but the last data export we hold is from **02:00**: nearly 5 hours
      of transactions exist only at Quayside. The exit plan assumes 9 months' notice.
    EOT
  }

  # Only if branches are still improvising at 11:10.
  inject "branch-queues" {
    at      = "4h"
    when    = !action.branch_workaround.done
    to      = [team.branch_ops]
    channel = "phone"
    from    = "Branch manager, Limerick"
    subject = "40 members queuing and we cannot see balances"
    body    = <<-EOT
      40 members in the branch and more outside. We cannot see balances, so we are refusing all
      withdrawals. One member needs EUR 2,000 for a funeral tomorrow. What are we allowed to pay out?
    EOT
  }

  # Only once manual payments are running: the workaround meets its real capacity.
  inject "portal-capacity" {
    after   = inject.resilience-sitrep
    delay   = "3h"
    when    = action.manual_payments.done
    to      = [team.payments]
    channel = "chat"
    from    = "Payments team lead"
    subject = "Sponsor bank portal: 60 payments an hour"
    body    = <<-EOT
      The contingency portal needs dual authorisation per payment: we manage about **60 an hour**.
      1,900 urgent payments are queued, including 37 house completions due today.
      We have 4 authorisers with tokens; two are on leave.
    EOT
  }

  inject "salary-decision" {
    at       = "9h"
    to       = [team.exec]
    channel  = "sitrep"
    from     = "Head of Payments"
    subject  = "Friday's salaries: 61,000 credits, EUR 142m"
    body     = <<-EOT
      Tomorrow is payday: about 61,000 incoming salary credits (EUR 142m) arrive through the
      sponsor bank overnight. Without Quayside we cannot post them to members' accounts.
      The BCP pre-approves advance credits from the sponsor bank file **up to EUR 5,000 per member**.
      The file must be loaded to the shadow ledger by 22:00 tonight to be visible at 06:00.
    EOT
    triggers = [action.salary_file]

    decision "salary_credit" {
      prompt = "What do members see in their accounts on payday morning?"
      options = {
        advance_capped    = "Advance-credit salaries from the sponsor bank file, capped at EUR 5,000, and reconcile later"
        advance_full      = "Advance-credit every salary in full from the sponsor bank file"
        wait_for_quayside = "Hold all credits until Quayside is back, to avoid duplicates"
      }
      credit     = { advance_capped = 1, advance_full = 0.5 } # members are paid, but the bank carries unlimited risk
      due        = "5h50m"                                    # the file must reach the shadow ledger by 22:00
      default    = "wait_for_quayside"                        # no decision means nothing is posted
      capability = "crisis_decisions"
      phase      = "recovery"
      weight     = 2
    }
  }

  inject "press-query" {
    at      = "11h"
    to      = [team.comms]
    channel = "email"
    from    = "Business desk, The Irish Times"
    subject = "Will Larkspur members get paid tomorrow?"
    body    = <<-EOT
      Three banks using Quayside are affected. Two have published statements. Can Larkspur
      confirm members will be able to access their salaries tomorrow, and since when the bank has
      known? Deadline 19:30.
    EOT
  }

  # Only if members have heard nothing from Larkspur two hours after the press query.
  inject "social-storm" {
    after   = inject.press-query
    delay   = "2h"
    when    = !action.member_comms.done
    to      = [team.comms, team.branch_ops]
    channel = "social"
    from    = "@larkspurbank mentions"
    subject = "Members: \"Is my money safe?\""
    body    = <<-EOT
      1,700 mentions in an hour. Top post: *"Larkspur app dead all day, branch turned me away, not
      a word from the bank. Is my money even there? Payday tomorrow."* (9,300 likes)
      A consumer-affairs presenter asks members to DM their stories.
    EOT
  }

  # Only if nothing has gone to the Central Bank by 21:10: the supervisor calls first.
  inject "regulator-call" {
    at      = "14h"
    when    = !action.dora_initial_notification.done
    to      = [team.compliance]
    channel = "phone"
    from    = "Central Bank of Ireland, supervision team"
    subject = "Have you classified the Quayside incident?"
    body    = <<-EOT
      Two other firms using Quayside notified us this afternoon. We have nothing from Larkspur.
      Have you classified this as a major ICT-related incident, and when will we receive your
      initial notification?
    EOT
    prompts = [action.dora_initial_notification]
    notes   = "A contingency inject: it plays only if nothing has gone to the Central Bank. A notification after it counts as prompted."
  }

  inject "ioc-bulletin" {
    at       = "16h"
    to       = [team.it_ops]
    channel  = "ticket"
    from     = "Quayside incident response firm, via Quayside"
    subject  = "Indicators of compromise for Quayside clients"
    body     = <<-EOT
      Initial access through a compromised support-engineer VPN account. Indicators: 4 IP
      addresses, 2 file hashes (`qsvc_update.exe`), the scheduled task `QSHealth`.
      Clients with site-to-site tunnels should sweep for them.
    EOT
    triggers = [action.ioc_sweep]
  }

  inject "leak-claim" {
    at       = "20h"
    to       = [team.compliance, team.vendor_mgmt, team.exec]
    channel  = "news"
    from     = "Threat intelligence feed"
    subject  = "Ransomware group lists Quayside Core: \"600 GB of client data from 40 banks\""
    body     = <<-EOT
      A ransomware group has listed Quayside Core on its leak site, claiming 600 GB of "client
      data from 40 banks" and publishing screenshots of what look like member account tables.
      Deadline on the site: 7 days.
    EOT
    severity = severity.crisis
    notes    = "The plan has no action for this: Larkspur is the controller, Quayside the processor. Watch whether anybody raises the GDPR Art. 33 notification to the Data Protection Commission."

    # The plan is silent here, so the answer is discussed, not scored.
    decision "leak_response" {
      prompt = "How does Larkspur treat Quayside's data-theft claim?"
      options = {
        notify_dpc_now = "As our own breach: notify the Data Protection Commission within 72 hours"
        await_quayside = "Ask Quayside to confirm what was taken before deciding"
        processor_only = "Quayside's breach to report, not ours"
      }
      decided_by = [team.compliance]
    }
  }

  inject "board-call" {
    at      = "22h"
    when    = severity.level >= 4
    to      = [team.exec]
    channel = "sitrep"
    from    = "Company Secretary"
    subject = "Emergency board meeting at 08:00"
    body    = <<-EOT
      The Chair has called an emergency board meeting at 08:00. The board wants a recommendation
      on Quayside: a credible exit plan, the cost, and what the Central Bank has been told.
    EOT

    decision "stressed_exit" {
      prompt = "What does the executive team recommend to the board about Quayside?"
      options = {
        prepare_exit = "Recover with Quayside, and mandate a stressed-exit plan in parallel"
        exit_now     = "Announce a migration to another provider now"
        stay         = "Stay with Quayside; the contract and its remedies are enough"
      }
      expected   = "prepare_exit"
      capability = "supplier_management"
      phase      = "recovery"
    }
  }

  inject "reconnect-offer" {
    at       = "26h"
    to       = [team.exec, team.vendor_mgmt, team.it_ops]
    channel  = "email"
    from     = "Quayside Chief Executive"
    subject  = "Platform restored: please reconnect by 12:00"
    body     = <<-EOT
      Quayside Core has been rebuilt from clean backups. Please re-enable your connections by
      **12:00** so today's payments can run; clients who reconnect later will be queued behind
      those who do. Our IR firm's report will follow next week.
    EOT
    triggers = [action.assurance_before_reconnect]

    decision "reconnect" {
      prompt = "Quayside wants Larkspur to reconnect by noon. What do you decide?"
      options = {
        reconnect_now             = "Reconnect now to get payday payments moving"
        reconnect_after_assurance = "Reconnect after the IR firm's letter and our IoC sweep, even if it means the queue"
        stay_disconnected         = "Stay disconnected until the full IR report arrives next week"
      }
      decided_by = [team.exec] # Supplier Management and IT hear the offer; the executives decide
      expected   = "reconnect_after_assurance"
      capability = "crisis_decisions"
      phase      = "eradication"
      weight     = 2
    }
  }

  # Only if the initial notification went in: the supervisor acknowledges it.
  inject "cbi-acknowledgement" {
    at      = "27h"
    when    = action.dora_initial_notification.done
    to      = [team.compliance]
    channel = "email"
    from    = "Central Bank of Ireland, DORA incident reporting"
    subject = "Initial notification received"
    body    = <<-EOT
      We acknowledge your initial notification of a major ICT-related incident (ref. CBI-DORA-26-0713).
      Your intermediate report is due within 72 hours of the initial notification.
    EOT
    # The intermediate report's 72 hours run past this 36-hour exercise, so it is not put in
    # play here: unrecorded it could only ever stay open. A longer exercise should trigger it.
  }

  inject "service-restored" {
    at       = "32h"
    to       = [team.it_ops, team.payments]
    channel  = "sitrep"
    from     = "Quayside service desk"
    subject  = "Larkspur tenant live again: gap to replay"
    body     = <<-EOT
      Your tenant is live. Transactions between **02:00 and 06:47 Thursday** were lost and must be
      replayed from your records and the sponsor bank's; 1,900 manual payments and the salary
      advances must be reconciled against the restored ledger.
    EOT
    triggers = [action.reconcile]
  }

  inject "stand-down" {
    at       = "34h"
    to       = [team.exec, team.vendor_mgmt]
    channel  = "sitrep"
    from     = "Major incident manager"
    subject  = "Standing down the incident team at 19:00"
    body     = <<-EOT
      Payments flowing, branches back on live balances, reconciliation under way.
      The incident team stands down at 19:00. The supplier review needs an owner and a date.
    EOT
    triggers = [action.lessons_learned]
  }
}
