# Acme Health incident response plan, as the continuity manager keeps it.
plan "acme-irp" {
  title   = "Acme Health incident response plan"
  # ttx revise: version 2.2 follows 2.1, from exercises ex-a, ex-b
  version = "2.2" # bumped by every accepted revision

  team "service_desk" {
    title = "Service Desk"
    tier  = 1
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

  severity "local" {
    level = 1
    title = "Local incident"
  }
  severity "continuity" {
    level = 3
    title = "Business continuity event"
  }

  # The service desk logs every report first.
  action "log_report" {
    title      = "Log the report and open an incident ticket"
    # ttx revise 2.2: owner was team.service_desk; wrong_owner in every exercise, always done by irt: ex-a at 5m0s; ex-b at 5m0s
    owner      = team.irt
    phase      = "detection"
    capability = "incident_reporting"
    due        = "15m" # the SLA of a P1 ticket
  }

  action "escalate_to_irt" {
    title       = "Escalate to the Incident Response Team"
    owner       = team.service_desk
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.log_report]
    escalate_to = team.irt
  }

  action "contain_hosts" {
    title      = "Isolate the affected hosts from the network"
    owner      = team.irt
    phase      = "containment"
    capability = "containment"
    # ttx revise 2.2: due was "1h"; late in every exercise, median 1h16m0s from trigger to record, rounded up to 1h20m: ex-a triggered 0s, recorded 1h10m0s; ex-b triggered 0s, recorded 1h22m0s
    due        = "1h20m"
    after      = [action.escalate_to_irt]
  }

  action "invoke_bcp" {
    title       = "Invoke the business continuity plan"
    owner       = team.cmt
    phase       = "recovery"
    capability  = "continuity"
    due         = "1h"
    on_severity = severity.continuity
    weight      = 2
  }

  action "notify_regulator" {
    title       = "Notify the data protection regulator"
    owner       = team.legal
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "72h"
    on_severity = severity.continuity
    fixed       = true # a legal deadline: revisions never relax it
  }
}
