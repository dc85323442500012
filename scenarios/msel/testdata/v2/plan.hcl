# The plan of v2.hcl: an external regulator the legal team escalates to.
plan "acme-irp" {
  title   = "Acme"
  version = "2.1"

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
    external = true
  }

  severity "local" {
    level = 1
    title = "Local incident"
  }
  severity "crisis" {
    level = 2
    title = "Enterprise crisis"
  }

  action "contain_hosts" {
    title      = "Isolate the hosts"
    owner      = team.irt
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    critical   = true
  }
  action "notify_regulator" {
    title       = "Notify the regulator"
    owner       = team.legal
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "72h"
    escalate_to = team.ico
  }
}
