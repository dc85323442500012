# Outsider v2 fixture: a business e-mail compromise at a small logistics firm.
# Written from docs/design/language.md and scoring.md alone; see WORKING.md.
plan "kestrel-bec" {
  title   = "Kestrel Freight incident response plan"
  version = "1.3"

  team "finance" {
    title = "Finance and Accounts Payable"
    tier  = 1
  }
  team "it" {
    title = "IT and Security"
    tier  = 2
  }
  team "comms" {
    title = "Customer Communications"
    tier  = 3
  }
  team "mgmt" {
    title = "Management Team"
    tier  = 4
  }
  team "legal" {
    title = "Legal and Insurance"
    tier  = 4
  }
  team "bank" {
    title    = "Harbour Bank fraud desk"
    tier     = 3
    external = true
  }
  team "ico" {
    title    = "Information Commissioner's Office"
    tier     = 4
    external = true
  }

  severity "local" {
    level = 1
    title = "Local incident"
  }
  severity "operational" {
    level = 2
    title = "Operational incident"
  }
  severity "crisis" {
    level = 3
    title = "Company crisis"
  }

  # 1
  action "report_fraud" {
    title      = "Report the suspicious change of bank details"
    owner      = team.finance
    phase      = "detection"
    capability = "incident_reporting"
    due        = "15m"
  }

  # 2
  action "escalate_it" {
    title       = "Escalate the suspected mailbox compromise to IT"
    owner       = team.finance
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.report_fraud]
    escalate_to = team.it
  }

  # 3
  action "reset_mailbox" {
    title      = "Reset the accounts payable mailbox password and revoke its sessions"
    owner      = team.it
    phase      = "containment"
    capability = "containment"
    due        = "30m"
    after      = [action.escalate_it]
    critical   = true
    weight     = 1.5
  }

  # 4
  action "block_rules" {
    title      = "Remove the attacker's forwarding rules"
    owner      = team.it
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    after      = [action.preserve_evidence]
    weight     = 0.5
  }

  # 5
  action "preserve_evidence" {
    title      = "Export the mailbox audit log and sign-in records"
    owner      = team.it
    phase      = "eradication"
    capability = "forensics"
    due        = "1h"
  }

  # 6
  action "recall_payment" {
    title       = "Ask the bank to recall the diverted payment"
    owner       = team.finance
    phase       = "containment"
    capability  = "payment_recovery"
    due         = "1h"
    escalate_to = team.bank
    weight      = 2
  }

  # 7
  action "brief_mgmt" {
    title       = "Brief the management team"
    owner       = team.it
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    on_severity = severity.operational
    escalate_to = team.mgmt
  }

  # 8
  action "customer_notice" {
    title      = "Warn customers not to act on bank-detail changes from us"
    owner      = team.comms
    phase      = "recovery"
    capability = "communications"
    due        = "2h"
  }

  # 9
  action "press_statement" {
    title      = "Issue a press statement"
    owner      = team.comms
    phase      = "recovery"
    capability = "communications"
    due        = "1h"
  }

  # 10
  action "notify_ico" {
    title       = "Report the personal data breach to the ICO"
    owner       = team.mgmt
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "72h"
    on_severity = severity.operational
    fixed       = true
    escalate_to = team.ico
  }

  # 11
  action "legal_hold" {
    title      = "Notify the cyber insurer and place a legal hold"
    owner      = team.legal
    phase      = "post_incident"
    capability = "legal"
    due        = "1h"
  }
}
