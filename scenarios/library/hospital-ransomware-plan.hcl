# St Aldric's Hospital NHS Foundation Trust: cyber incident response plan.
#
# Exercised by scenario "hospital-ransomware". The plan follows the trust's EPRR structure:
# the IT Service Desk reports (tier 1), the Cyber Incident Response Team and the Clinical Site
# Team respond (tier 2), Infrastructure, Communications and Information Governance support
# (tier 3), and Gold Command decides (tier 4). Severity follows the NHS EPRR language: a local
# IT problem, a major IT incident, a business continuity incident and a critical incident.
# The parties outside the trust that the plan reports to (NHS England's CSOC, the ICO, the
# police and the ambulance service) are external teams: someone from control plays them, and
# a report to one of them is an escalation to it.
plan "st-aldrics-cyber-irp" {
  title   = "St Aldric's Hospital cyber incident response plan"
  version = "3.2"

  team "service_desk" {
    title = "IT Service Desk"
    tier  = 1
  }
  team "cyber_irt" {
    title = "Cyber Incident Response Team"
    tier  = 2
  }
  team "clinical_site" {
    title = "Clinical Site Team (Silver)"
    tier  = 2
  }
  team "infrastructure" {
    title = "Infrastructure & EPR Support"
    tier  = 3
  }
  team "comms" {
    title = "Communications Office"
    tier  = 3
  }
  team "ig" {
    title = "Information Governance & DPO"
    tier  = 3
  }
  team "gold" {
    title = "Gold Command (Executive on call)"
    tier  = 4
  }

  # --- outside the trust: played by control, never scored ---

  team "nhs_csoc" {
    title    = "NHS England Cyber Security Operations Centre"
    tier     = 3
    external = true
  }
  team "ico" {
    title    = "Information Commissioner's Office"
    tier     = 4
    external = true
  }
  team "police" {
    title    = "Action Fraud and the National Crime Agency"
    tier     = 3
    external = true
  }
  team "ambulance" {
    title    = "Regional ambulance service (tactical commander)"
    tier     = 3
    external = true
  }

  severity "local" {
    level = 1
    title = "Local IT incident"
  }
  severity "operational" {
    level = 2
    title = "Major IT incident"
  }
  severity "continuity" {
    level = 3
    title = "Business continuity incident: clinical systems unavailable"
  }
  severity "crisis" {
    level = 4
    title = "Critical incident: patient safety at risk"
  }

  # --- preparation: the things that should already be true, checked as soon as it starts ---

  action "confirm_on_call" {
    title       = "Confirm tonight's on-call rota for Cyber, Infrastructure and Gold"
    owner       = team.cyber_irt
    phase       = "preparation"
    capability  = "planning"
    due         = "1h"
    on_severity = severity.local
  }

  action "verify_offline_backups" {
    title       = "Confirm the last offline backup of EPR, PACS and LIMS and take the catalogue offline"
    owner       = team.infrastructure
    phase       = "preparation"
    capability  = "backup_and_restore"
    due         = "1h"
    on_severity = severity.operational
    weight      = 2
  }

  action "check_downtime_kits" {
    title       = "Check every ward has its downtime kit and this morning's BCP printout"
    owner       = team.clinical_site
    phase       = "preparation"
    capability  = "continuity"
    due         = "2h"
    on_severity = severity.operational
  }

  # --- detection ---

  action "log_report" {
    title      = "Log the report and open a P1 ticket"
    owner      = team.service_desk
    phase      = "detection"
    capability = "incident_reporting"
    due        = "15m"
  }

  action "escalate_to_irt" {
    title       = "Escalate to the Cyber Incident Response Team"
    owner       = team.service_desk
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.log_report]
    escalate_to = team.cyber_irt
  }

  action "triage_alerts" {
    title      = "Triage the EDR alerts and confirm a security incident"
    owner      = team.cyber_irt
    phase      = "detection"
    capability = "analysis"
    due        = "30m"
    after      = [action.escalate_to_irt]
  }

  action "report_to_csoc" {
    title       = "Report to the NHS England Cyber Security Operations Centre"
    owner       = team.cyber_irt
    phase       = "detection"
    capability  = "external_reporting"
    due         = "1h"
    after       = [action.triage_alerts]
    on_severity = severity.operational
    escalate_to = team.nhs_csoc
  }

  action "escalate_to_gold" {
    title       = "Escalate to Gold Command"
    owner       = team.cyber_irt
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    on_severity = severity.operational
    escalate_to = team.gold
    weight      = 2
  }

  # --- containment ---

  action "isolate_hosts" {
    title      = "Network-contain the infected Ward 7 workstations through the EDR console"
    owner      = team.cyber_irt
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    after      = [action.escalate_to_irt]
    weight     = 2
    critical   = true # every hour uncontained is more wards encrypted
  }

  # Deliberately owned by Infrastructure: in the last exercise the IRT did it themselves, on
  # accounts they do not administer. Watch who records it.
  action "disable_service_accounts" {
    title      = "Disable the compromised service accounts and block SMB between clinical VLANs"
    owner      = team.infrastructure
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    after      = [action.triage_alerts]
  }

  action "disconnect_hscn" {
    title       = "Disconnect the trust from HSCN and the internet, keeping analysers on standalone"
    owner       = team.infrastructure
    phase       = "containment"
    capability  = "containment"
    due         = "30m"
    on_severity = severity.continuity
    weight      = 2
    critical    = true # protects the other trusts on HSCN
  }

  action "preserve_evidence" {
    title      = "Preserve memory images and logs of the first hosts before any rebuild"
    owner      = team.cyber_irt
    phase      = "containment"
    capability = "forensics"
    due        = "4h"
    after      = [action.isolate_hosts]
  }

  action "declare_critical_incident" {
    title       = "Declare a critical incident and stand up Gold and Silver command"
    owner       = team.gold
    phase       = "containment"
    capability  = "command_and_control"
    due         = "30m"
    on_severity = severity.continuity
    weight      = 2
  }

  action "staff_briefing" {
    title       = "Brief all staff: downtime procedures, no USB sticks, no personal e-mail"
    owner       = team.comms
    phase       = "containment"
    capability  = "communications"
    due         = "1h"
    after       = [action.declare_critical_incident]
    on_severity = severity.continuity
  }

  # --- eradication ---

  action "identify_initial_access" {
    title      = "Identify patient zero and the initial access vector"
    owner      = team.cyber_irt
    phase      = "eradication"
    capability = "forensics"
    due        = "8h"
    after      = [action.preserve_evidence]
  }

  action "reset_privileged_credentials" {
    title      = "Reset every privileged credential and the krbtgt account twice"
    owner      = team.infrastructure
    phase      = "eradication"
    capability = "eradication"
    due        = "6h"
    after      = [action.identify_initial_access]
  }

  # --- recovery ---

  action "go_to_paper" {
    title       = "Invoke downtime procedures: paper records and manual prescribing on every ward"
    owner       = team.clinical_site
    phase       = "recovery"
    capability  = "continuity"
    due         = "30m"
    on_severity = severity.continuity
    weight      = 3
    critical    = true # patient safety: drug rounds cannot wait for the EPR
  }

  action "request_divert" {
    title       = "Request ambulance divert for time-critical patients through the regional ambulance service"
    owner       = team.clinical_site
    phase       = "recovery"
    capability  = "patient_safety"
    due         = "30m"
    after       = [action.declare_critical_incident]
    on_severity = severity.crisis
    weight      = 2
    escalate_to = team.ambulance
    critical    = true # time-critical patients
  }

  action "press_statement" {
    title       = "Issue a holding statement agreed with Gold"
    owner       = team.comms
    phase       = "recovery"
    capability  = "communications"
    due         = "1h"
    after       = [action.declare_critical_incident]
    on_severity = severity.crisis
  }

  action "restore_clinical_systems" {
    title      = "Restore the first clinical system from a clean backup in the isolated recovery network"
    owner      = team.infrastructure
    phase      = "recovery"
    capability = "backup_and_restore"
    due        = "6h"
    after      = [action.verify_offline_backups, action.reset_privileged_credentials]
    weight     = 2
  }

  # --- post-incident: legal deadlines and lessons learned ---

  action "notify_ico" {
    title       = "Report the personal data breach to the ICO through the DSPT incident tool"
    owner       = team.ig
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "72h"
    on_severity = severity.continuity
    fixed       = true # UK GDPR Art. 33
    weight      = 2
    escalate_to = team.ico
  }

  action "report_to_police" {
    title       = "Report the crime to Action Fraud and the NCA and record the crime reference"
    owner       = team.cyber_irt
    phase       = "post_incident"
    capability  = "law_enforcement"
    due         = "6h"
    escalate_to = team.police
  }

  action "hot_debrief" {
    title      = "Hold a hot debrief with every team before the night shift hands over"
    owner      = team.gold
    phase      = "post_incident"
    capability = "lessons_learned"
    due        = "1h"
  }
}
