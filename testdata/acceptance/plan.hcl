# Acceptance fixture: a small plan whose exercise results are computed by hand in README.md.
plan "acceptance-plan" {
  title   = "Acceptance fixture plan"
  version = "1.0"

  team "desk" {
    title = "Service Desk"
    tier  = 1
  }
  team "irt" {
    title = "Incident Response Team"
    tier  = 2
  }
  team "ops" {
    title = "IT Operations"
    tier  = 3
  }
  team "cmt" {
    title = "Crisis Management Team"
    tier  = 4
  }

  severity "local" {
    level = 1
    title = "Local incident"
  }
  severity "major" {
    level = 2
    title = "Major incident"
  }
  severity "crisis" {
    level = 3
    title = "Crisis"
  }

  # Triggered by the starting level at 0s.
  action "open_bridge" {
    title       = "Open the incident bridge"
    owner       = team.irt
    phase       = "preparation"
    capability  = "coordination"
    due         = "30m"
    on_severity = severity.local
  }

  action "log" {
    title      = "Log the report"
    owner      = team.desk
    phase      = "detection"
    capability = "reporting"
    due        = "15m"
  }

  action "escalate" {
    title       = "Escalate to the IRT"
    owner       = team.desk
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.log]
    escalate_to = team.irt
  }

  action "contain" {
    title      = "Contain the affected hosts"
    owner      = team.irt
    phase      = "containment"
    capability = "containment"
    due        = "1h"
    after      = [action.escalate]
    weight     = 2
  }

  action "brief_cmt" {
    title       = "Brief the Crisis Management Team"
    owner       = team.irt
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    on_severity = severity.major
    escalate_to = team.cmt
  }

  action "isolate_backups" {
    title      = "Take the backups offline"
    owner      = team.ops
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }

  action "eradicate" {
    title      = "Remove the attacker's persistence"
    owner      = team.ops
    phase      = "eradication"
    capability = "eradication"
    due        = "1h"
    after      = [action.contain]
  }

  action "invoke_bcp" {
    title       = "Invoke the business continuity plan"
    owner       = team.cmt
    phase       = "recovery"
    capability  = "continuity"
    due         = "1h"
    on_severity = severity.crisis
  }

  action "notify_regulator" {
    title       = "Notify the regulator"
    owner       = team.cmt
    phase       = "post_incident"
    capability  = "regulatory"
    due         = "72h"
    on_severity = severity.crisis
    fixed       = true
  }

  # Triggered only by "quiet-press", which is skipped: never in play.
  action "press_release" {
    title      = "Issue a press release"
    owner      = team.cmt
    phase      = "recovery"
    capability = "communications"
    due        = "1h"
  }
}
