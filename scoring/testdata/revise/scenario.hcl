scenario "ward-ransomware" {
  title    = "Ransomware on the wards"
  plan     = "acme-irp"
  duration = "96h"

  inject "helpdesk-call" {
    at       = "0s"
    to       = [team.service_desk]
    channel  = "phone"
    subject  = "Screens showing a strange message"
    triggers = [action.log_report, action.escalate_to_irt, action.contain_hosts]
  }

  inject "outage" {
    at       = "1h"
    to       = [team.cmt, team.legal]
    channel  = "email"
    subject  = "The EPR is down"
    severity = severity.continuity
  }
}
