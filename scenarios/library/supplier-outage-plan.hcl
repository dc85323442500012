# Larkspur Bank DAC: ICT incident and business continuity plan for critical third parties.
#
# Exercised by scenario "supplier-outage". Larkspur (a Dublin retail bank, 420,000 members)
# runs its core ledger, cards and payments on Quayside Core Services, a managed SaaS platform.
# As a financial entity it is subject to DORA: major ICT-related incidents are classified and
# reported to the Central Bank of Ireland (initial notification no later than 24 hours after
# awareness, intermediate report within 72 hours of the initial one).
#
# Branch & Contact Centre report (tier 1), IT Operations responds (tier 2), Supplier
# Management, Payments Operations, Risk & Compliance and Member Communications support
# (tier 3), and the Executive Incident Management Team decides (tier 4).
plan "larkspur-third-party-bcp" {
  title   = "Larkspur Bank critical supplier incident and continuity plan"
  version = "2.0"

  team "branch_ops" {
    title = "Branch & Contact Centre Operations"
    tier  = 1
  }
  team "it_ops" {
    title = "IT Operations & Major Incident Management"
    tier  = 2
  }
  team "vendor_mgmt" {
    title = "Supplier Management"
    tier  = 3
  }
  team "payments" {
    title = "Payments Operations"
    tier  = 3
  }
  team "compliance" {
    title = "Risk & Compliance"
    tier  = 3
  }
  team "comms" {
    title = "Member Communications"
    tier  = 3
  }
  team "exec" {
    title = "Executive Incident Management Team"
    tier  = 4
  }

  # --- outside Larkspur: played by control, reached by escalation, never scored ---

  team "cbi" {
    title    = "Central Bank of Ireland (supervision)"
    tier     = 4
    external = true
  }
  team "quayside" {
    title    = "Quayside Core Services (the supplier)"
    tier     = 2
    external = true
  }

  severity "local" {
    level = 1
    title = "Degraded service from a supplier"
  }
  severity "operational" {
    level = 2
    title = "Major ICT incident"
  }
  severity "continuity" {
    level = 3
    title = "Business continuity event: critical supplier unavailable"
  }
  severity "crisis" {
    level = 4
    title = "Crisis: impact tolerance at risk and members harmed"
  }

  # --- preparation ---

  action "check_supplier_contacts" {
    title       = "Reach Quayside's named incident contact and get a written status"
    owner       = team.vendor_mgmt
    phase       = "preparation"
    capability  = "supplier_management"
    due         = "1h"
    on_severity = severity.local
    escalate_to = team.quayside
  }

  action "confirm_rto_rpo" {
    title       = "Confirm the RTO and RPO in the contract and the time of the last data export received"
    owner       = team.it_ops
    phase       = "preparation"
    capability  = "continuity"
    due         = "2h"
    on_severity = severity.operational
  }

  action "review_exit_plan" {
    title       = "Pull the Quayside stressed-exit plan and check it is current"
    owner       = team.vendor_mgmt
    phase       = "preparation"
    capability  = "supplier_management"
    due         = "8h"
    on_severity = severity.continuity
  }

  # --- detection ---

  action "log_report" {
    title      = "Log the members' reports and open a major incident"
    owner      = team.branch_ops
    phase      = "detection"
    capability = "incident_reporting"
    due        = "15m"
  }

  action "escalate_to_it" {
    title       = "Escalate to IT Operations"
    owner       = team.branch_ops
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.log_report]
    escalate_to = team.it_ops
  }

  action "confirm_supplier_outage" {
    title      = "Confirm the outage is at Quayside and not in Larkspur's network"
    owner      = team.it_ops
    phase      = "detection"
    capability = "analysis"
    due        = "1h"
    after      = [action.escalate_to_it]
  }

  action "classify_major" {
    title       = "Classify the incident against the DORA major-incident criteria"
    owner       = team.compliance
    phase       = "detection"
    capability  = "regulatory_reporting"
    due         = "4h"
    on_severity = severity.operational
    weight      = 2
  }

  action "escalate_to_exec" {
    title       = "Escalate to the Executive Incident Management Team"
    owner       = team.it_ops
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    on_severity = severity.continuity
    escalate_to = team.exec
    weight      = 2
  }

  # --- containment ---

  action "cut_supplier_connectivity" {
    title      = "Shut the VPN tunnels and API trust with Quayside until it confirms containment"
    owner      = team.it_ops
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    weight     = 2
    critical   = true # until Quayside is known clean, every tunnel is a way in
  }

  action "rotate_shared_credentials" {
    title      = "Rotate every credential, certificate and API key shared with Quayside"
    owner      = team.it_ops
    phase      = "containment"
    capability = "containment"
    due        = "4h"
    after      = [action.cut_supplier_connectivity]
  }

  action "invoke_contract_notice" {
    title      = "Serve notice under the contract's incident and audit clauses and request the IR firm's findings"
    owner      = team.vendor_mgmt
    phase      = "containment"
    capability = "supplier_management"
    due        = "24h"
  }

  # --- eradication ---

  action "ioc_sweep" {
    title      = "Sweep Larkspur's estate for the indicators Quayside's IR firm published"
    owner      = team.it_ops
    phase      = "eradication"
    capability = "threat_hunting"
    due        = "6h"
  }

  # Ownership is the weak point: IT Operations owns it, but Supplier Management holds the
  # relationship and the contract's audit right. Watch who does it, and whether anyone does.
  action "assurance_before_reconnect" {
    title      = "Obtain independent assurance (IR firm's letter, clean-rebuild evidence) before reconnecting"
    owner      = team.it_ops
    phase      = "eradication"
    capability = "supplier_management"
    due        = "6h"
    after      = [action.cut_supplier_connectivity]
    weight     = 2
  }

  # --- recovery ---

  action "invoke_bcp" {
    title       = "Invoke the business continuity plan for payments and member servicing"
    owner       = team.exec
    phase       = "recovery"
    capability  = "continuity"
    due         = "1h"
    on_severity = severity.continuity
    weight      = 3
  }

  action "branch_workaround" {
    title       = "Switch branches to offline cash limits (EUR 300) and the paper withdrawal log"
    owner       = team.branch_ops
    phase       = "recovery"
    capability  = "continuity"
    due         = "2h"
    after       = [action.invoke_bcp]
    on_severity = severity.continuity
  }

  action "manual_payments" {
    title       = "Run urgent payments manually through the sponsor bank's contingency portal"
    owner       = team.payments
    phase       = "recovery"
    capability  = "payments"
    due         = "4h"
    after       = [action.invoke_bcp]
    on_severity = severity.continuity
    weight      = 2
  }

  action "member_comms" {
    title       = "Publish the status page, app banner and contact-centre message"
    owner       = team.comms
    phase       = "recovery"
    capability  = "communications"
    due         = "2h"
    on_severity = severity.continuity
  }

  action "salary_file" {
    title      = "Post Friday's incoming salary credits from the sponsor bank file to the shadow ledger"
    owner      = team.payments
    phase      = "recovery"
    capability = "payments"
    due        = "6h"
    after      = [action.manual_payments]
    weight     = 2
  }

  action "board_briefing" {
    title       = "Brief the board and the Central Bank supervisor in person"
    owner       = team.exec
    phase       = "recovery"
    capability  = "governance"
    due         = "4h"
    on_severity = severity.crisis
  }

  action "reconcile" {
    title      = "Start the replay of the transaction gap and reconcile it against Quayside's restored ledger"
    owner      = team.payments
    phase      = "recovery"
    capability = "payments"
    due        = "4h"
    after      = [action.manual_payments]
  }

  # --- post-incident: legal deadlines and lessons learned ---

  action "dora_initial_notification" {
    title       = "Send the DORA initial notification to the Central Bank of Ireland"
    owner       = team.compliance
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "24h"
    after       = [action.classify_major]
    fixed       = true # DORA Art. 19: no later than 24 hours after becoming aware
    weight      = 3
    escalate_to = team.cbi
  }

  action "dora_intermediate_report" {
    title       = "Send the DORA intermediate report"
    owner       = team.compliance
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "72h"
    after       = [action.dora_initial_notification]
    fixed       = true
    escalate_to = team.cbi
  }

  action "lessons_learned" {
    title      = "Commission the supplier post-incident review: contract, concentration risk, exit plan"
    owner      = team.vendor_mgmt
    phase      = "post_incident"
    capability = "lessons_learned"
    due        = "2h"
  }
}
