scenario "hospital-ransomware" {
  title      = "Ransomware on the wards"
  summary    = "A nurse reports a strange screen; by lunchtime the hospital is on paper."
  plan       = "acme-irp"
  duration   = "8h"                   # the exercise ends here
  start_time = "2026-03-14T07:30:00Z" # optional: the simulated wall clock at T+0

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
    at      = "2h"
    to      = [team.cmt]
    channel = "email"
    subject = "Your files are encrypted"

    decision "ransom" {
      prompt = "The attackers demand 40 BTC within 24 hours. What do you do?"
      options = {
        refuse    = "Refuse and restore from backups"
        pay       = "Pay the ransom"
        negotiate = "Engage a negotiator"
      }
      expected   = "refuse"
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 2
    }
  }
}
