# Northwind Outfitters plc: security incident response plan (online retail, 3.2m customer
# accounts, card payments through an acquirer, UK GDPR controller).
#
# Exercised by scenario "customer-data-breach". Customer Care reports (tier 1), Security
# Operations responds (tier 2), Platform Engineering, Payments & Fraud and Communications
# support (tier 3), Legal & DPO and the Executive Crisis Team decide (tier 4).
plan "northwind-irp" {
  title   = "Northwind Outfitters security incident response plan"
  version = "1.4"

  team "customer_care" {
    title = "Customer Care & Social Media"
    tier  = 1
  }
  team "security" {
    title = "Security Operations & Incident Response"
    tier  = 2
  }
  team "platform" {
    title = "Platform Engineering (API & identity)"
    tier  = 3
  }
  team "fraud" {
    title = "Payments & Fraud"
    tier  = 3
  }
  team "comms" {
    title = "Corporate Communications"
    tier  = 3
  }
  team "legal" {
    title = "Legal & Data Protection Officer"
    tier  = 4
  }
  team "exec" {
    title = "Executive Crisis Team"
    tier  = 4
  }

  # --- outside Northwind: played by control, reached by escalation, never scored ---

  team "ico" {
    title    = "Information Commissioner's Office"
    tier     = 4
    external = true
  }
  team "acquirer" {
    title    = "Acquiring bank (Harbour Merchant Services)"
    tier     = 3
    external = true
  }
  team "police" {
    title    = "Action Fraud and the National Crime Agency"
    tier     = 3
    external = true
  }

  severity "local" {
    level = 1
    title = "Security event under investigation"
  }
  severity "operational" {
    level = 2
    title = "Confirmed personal data breach"
  }
  severity "continuity" {
    level = 3
    title = "Business-impacting incident: trading services degraded"
  }
  severity "crisis" {
    level = 4
    title = "Crisis: customer data public"
  }

  # --- preparation ---

  action "verify_log_retention" {
    title       = "Confirm 90 days of API gateway, WAF and identity-provider logs are exported off-platform"
    owner       = team.platform
    phase       = "preparation"
    capability  = "logging"
    due         = "2h"
    on_severity = severity.local
  }

  action "activate_retainer" {
    title       = "Activate the DFIR retainer and get the forensic firm's arrival time"
    owner       = team.security
    phase       = "preparation"
    capability  = "forensics"
    due         = "2h"
    on_severity = severity.operational
  }

  action "legal_hold" {
    title       = "Issue a legal hold on logs, tickets and mailboxes"
    owner       = team.legal
    phase       = "preparation"
    capability  = "evidence"
    due         = "4h"
    on_severity = severity.operational
  }

  # --- detection ---

  action "log_report" {
    title      = "Log the report as a security incident, not a complaint"
    owner      = team.customer_care
    phase      = "detection"
    capability = "incident_reporting"
    due        = "15m"
  }

  action "escalate_to_security" {
    title       = "Escalate to Security Operations"
    owner       = team.customer_care
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.log_report]
    escalate_to = team.security
    weight      = 2
  }

  action "verify_sample" {
    title      = "Verify the sample against the customer database and find which system it came from"
    owner      = team.security
    phase      = "detection"
    capability = "analysis"
    due        = "1h"
    after      = [action.escalate_to_security]
  }

  action "scope_access" {
    title      = "Scope which accounts and which fields were read, and since when"
    owner      = team.security
    phase      = "detection"
    capability = "analysis"
    due        = "6h"
    after      = [action.verify_sample]
    weight     = 2
    critical   = true # every hour it stays up, more orders leak
  }

  # Personal data means the DPO, at any hour: the 72-hour clock does not wait for office hours.
  action "inform_dpo" {
    title       = "Escalate to Legal & DPO: personal data is involved"
    owner       = team.security
    phase       = "detection"
    capability  = "escalation"
    due         = "1h"
    on_severity = severity.operational
    escalate_to = team.legal
    weight      = 2
  }

  action "escalate_to_exec" {
    title       = "Escalate to the Executive Crisis Team"
    owner       = team.security
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    on_severity = severity.continuity
    escalate_to = team.exec
  }

  # --- containment ---

  action "block_credential_stuffing" {
    title      = "Block the attacking proxy ranges at the WAF and force CAPTCHA on login"
    owner      = team.platform
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }

  action "disable_orders_api" {
    title      = "Disable the vulnerable /v2/orders endpoint"
    owner      = team.platform
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    after      = [action.verify_sample]
    weight     = 2
  }

  action "preserve_evidence" {
    title      = "Snapshot the gateway logs, the orders database audit trail and the mailbox"
    owner      = team.security
    phase      = "containment"
    capability = "evidence"
    due        = "4h"
    after      = [action.verify_sample]
  }

  action "reset_affected_accounts" {
    title      = "Force a password reset and revoke sessions for every account used by the attacker"
    owner      = team.platform
    phase      = "containment"
    capability = "containment"
    due        = "4h"
    after      = [action.scope_access]
  }

  action "notify_acquirer" {
    title       = "Notify the acquiring bank and ask for monitoring of the exposed card data"
    owner       = team.fraud
    phase       = "containment"
    capability  = "payments"
    due         = "24h"
    on_severity = severity.continuity
    escalate_to = team.acquirer # the card scheme rules' notification
  }

  # --- eradication ---

  action "fix_authorisation" {
    title      = "Deploy the object-level authorisation fix and have it retested"
    owner      = team.platform
    phase      = "eradication"
    capability = "remediation"
    due        = "24h"
    after      = [action.disable_orders_api]
  }

  action "engage_pfi" {
    title      = "Engage a PCI Forensic Investigator as the acquirer requires"
    owner      = team.fraud
    phase      = "eradication"
    capability = "payments"
    due        = "48h"
    after      = [action.notify_acquirer]
  }

  # --- recovery ---

  action "restore_orders_api" {
    title      = "Re-enable the orders API behind the fix, with alerting on sequential reads"
    owner      = team.platform
    phase      = "recovery"
    capability = "remediation"
    due        = "12h"
    after      = [action.fix_authorisation]
  }

  action "holding_statement" {
    title       = "Publish a holding statement on the website and social channels"
    owner       = team.comms
    phase       = "recovery"
    capability  = "communications"
    due         = "2h"
    on_severity = severity.crisis
  }

  action "breach_helpline" {
    title       = "Open the breach helpline and publish the customer FAQ"
    owner       = team.customer_care
    phase       = "recovery"
    capability  = "communications"
    due         = "12h"
    on_severity = severity.crisis
  }

  # --- post-incident: legal deadlines and lessons learned ---

  action "notify_ico" {
    title       = "Notify the ICO of the personal data breach (UK GDPR Art. 33)"
    owner       = team.legal
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "72h"
    fixed       = true
    weight      = 3
    escalate_to = team.ico
  }

  # Owned by Communications, drafted by Legal: the plan is silent on who presses send.
  action "notify_customers" {
    title       = "Notify affected customers without undue delay (UK GDPR Art. 34)"
    owner       = team.comms
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "48h"
    after       = [action.scope_access]
    on_severity = severity.crisis
    weight      = 2
  }

  action "report_to_police" {
    title       = "Report the extortion to Action Fraud and the NCA and record the crime reference"
    owner       = team.legal
    phase       = "post_incident"
    capability  = "law_enforcement"
    due         = "24h"
    escalate_to = team.police
  }

  action "lessons_learned" {
    title      = "Commission the post-incident review and name its owner"
    owner      = team.exec
    phase      = "post_incident"
    capability = "lessons_learned"
    due        = "6h"
  }
}
