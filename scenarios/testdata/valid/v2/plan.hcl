plan "acme-irp" {
  title   = "Acme Health incident response plan"
  version = "2.1"

  team "service_desk" {
    title = "Service Desk"
    tier  = 1 # escalation tier: 1 reports, 2 responds, 3 supports, 4 decides
  }
  team "irt" {
    title = "Incident Response Team"
    tier  = 2
  }
  team "cmt" {
    title = "Crisis Management Team"
    tier  = 4
  }
  team "legal" {
    title = "Legal & Compliance"
    tier  = 4
  }
  team "ico" {
    title    = "Information Commissioner's Office"
    tier     = 4
    external = true # (v2) outside the organisation: played by control, never scored
  }

  # the ladder, lowest first; levels strictly increase
  severity "local" {
    level = 1
    title = "Local incident"
  }
  severity "operational" {
    level = 2
    title = "Operational incident"
  }
  severity "continuity" {
    level = 3
    title = "Business continuity event"
  }
  severity "crisis" {
    level = 4
    title = "Enterprise crisis"
  }

  action "log_report" {
    title = "Log the report and open an incident ticket"
    owner = team.service_desk
    # phase: preparation | detection | containment | eradication | recovery | post_incident
    phase      = "detection"
    capability = "incident_reporting" # free label; scores are grouped by it
    due        = "15m"                # deadline, counted from the moment it is triggered
  }

  action "escalate_to_irt" {
    title       = "Escalate to the Incident Response Team"
    owner       = team.service_desk
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.log_report] # should be done after these
    escalate_to = team.irt            # done by sending an escalation to that team
  }

  action "contain_hosts" {
    title      = "Isolate the affected hosts from the network"
    owner      = team.irt
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    after      = [action.escalate_to_irt]
    critical   = true # (v2) a safety or containment step: revisions never relax its deadline
  }

  action "invoke_bcp" {
    title       = "Invoke the business continuity plan"
    owner       = team.cmt
    phase       = "recovery"
    capability  = "continuity"
    due         = "1h"
    on_severity = severity.continuity # triggered when the incident reaches this level
    weight      = 2                   # default 1
  }

  action "notify_regulator" {
    title       = "Notify the data protection regulator"
    owner       = team.legal
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "72h"
    on_severity = severity.continuity
    fixed       = true     # a legal deadline: revisions never relax it
    escalate_to = team.ico # (v2) an external team: the notification is an escalation to it
  }
}
