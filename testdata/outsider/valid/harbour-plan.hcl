# Written by an outsider from language.md alone: a container port's response plan.
plan "harbour-irp" {
  title   = "Port of Kestrel Bay cyber response plan"
  version = "1.4"

  team "ops" {
    title = "Terminal Operations Desk"
    tier  = 1
  }
  team "soc" {
    title = "Security Operations"
    tier  = 2
  }
  team "it" {
    title = "IT Infrastructure"
    tier  = 3
  }
  team "exec" {
    title = "Port Executive"
    tier  = 4
  }

  severity "minor" {
    level = 1
    title = "Minor incident"
  }
  severity "major" {
    level = 2
    title = "Major incident"
  }
  severity "continuity" {
    level = 3
    title = "Terminal continuity event"
  }
  severity "crisis" {
    level = 5
    title = "Port crisis"
  }

  action "check_cctv" {
    title       = "Check the gate CCTV recordings"
    owner       = team.ops
    phase       = "preparation"
    capability  = "reporting"
    due         = "1h"
    on_severity = severity.minor
  }

  action "open_ticket" {
    title      = "Open an incident ticket"
    owner      = team.ops
    phase      = "detection"
    capability = "reporting"
    due        = "10m"
  }

  action "page_soc" {
    title       = "Page the SOC on-call analyst"
    owner       = team.ops
    phase       = "detection"
    capability  = "escalation"
    due         = "20m"
    after       = [action.open_ticket]
    escalate_to = team.soc
  }

  action "isolate_gateway" {
    title      = "Cut the crane-control gateway off the office network"
    owner      = team.soc
    phase      = "containment"
    capability = "containment"
    due        = "30m"
    after      = [action.page_soc]
  }

  action "brief_exec" {
    title       = "Brief the duty executive"
    owner       = team.soc
    phase       = "containment"
    capability  = "escalation"
    due         = "15m"
    on_severity = severity.major
    escalate_to = team.exec
  }

  action "restore_backups" {
    title       = "Restore the terminal operating system from offline backups"
    owner       = team.it
    phase       = "recovery"
    capability  = "recovery"
    due         = "2h"
    on_severity = severity.continuity
    weight      = 2
  }

  action "notify_authority" {
    title       = "Notify the maritime security authority"
    owner       = team.exec
    phase       = "post_incident"
    capability  = "regulatory"
    due         = "24h"
    on_severity = severity.continuity
    fixed       = true
  }

  action "lessons_learned" {
    title      = "Hold the lessons-learned review"
    owner      = team.exec
    phase      = "post_incident"
    capability = "review"
    due        = "1h"
  }
}
