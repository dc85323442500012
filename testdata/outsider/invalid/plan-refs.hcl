# Every reference resolves within the plan.
plan "refs-irp" {
  title   = "Dangling references"
  version = "0.1"

  team "desk" {
    title = "Desk"
    tier  = 1
  }
  team "sec" {
    title = "Security"
    tier  = 2
  }
  severity "low" {
    level = 1
    title = "Low"
  }
  severity "high" {
    level = 2
    title = "High"
  }

  action "ring_manager" {
    title      = "Ring the duty manager"
    owner      = team.nightshift # want: nightshift
    phase      = "detection"
    capability = "escalation"
    due        = "10m"
  }
  action "file_report" {
    title      = "File the report"
    owner      = team.desk
    phase      = "detection"
    capability = "reporting"
    due        = "10m"
    after      = [action.ring_manager, action.ghost_step] # want: ghost_step
  }
  action "call_sec" {
    title       = "Call security"
    owner       = team.desk
    phase       = "detection"
    capability  = "escalation"
    due         = "15m"
    escalate_to = team.phantom # want: phantom
  }
  action "lock_doors" {
    title       = "Lock the doors"
    owner       = team.sec
    phase       = "containment"
    capability  = "containment"
    due         = "30m"
    on_severity = severity.apocalypse # want: apocalypse
  }
  action "wake_ciso" {
    title       = "Wake the CISO"
    owner       = team.sec
    phase       = "containment"
    capability  = "escalation"
    due         = "30m"
    on_severity = team.sec # want: severity
  }
}
