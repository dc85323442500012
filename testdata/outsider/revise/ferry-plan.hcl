# Ferry operator's plan, written to be revised: each action below is tested by the
# rehearsals in ferry-rehearsals.hcl.
plan "ferry-irp" {
  title   = "Northstrait Ferries response plan"
  version = "2.3"

  team "bridge" {
    title = "Bridge crew"
    tier  = 1
  }
  team "shore" {
    title = "Shore operations"
    tier  = 2
  }
  team "board" {
    title = "Board"
    tier  = 4
  }

  severity "minor" {
    level = 1
    title = "Minor"
  }
  severity "major" {
    level = 2
    title = "Major"
  }

  # Always done by shore in practice: revise should move it there.
  action "log_position" {
    title      = "Log the vessel's position"
    owner      = team.bridge # the master's duty on paper
    phase      = "detection"
    capability = "reporting"
    due        = "10m"
  }

  # Always late: revise should give it the slowest observed time, rounded up to 5 minutes.
  action "muster" {
    title      = "Muster passengers"
    owner      = team.bridge
    phase      = "containment"
    capability = "safety"
    due        = "15m"
  }

  # Late too, but a legal deadline: revise must not relax it.
  action "report_coastguard" {
    title      = "Report to the coastguard"
    owner      = team.shore
    phase      = "detection"
    capability = "regulatory"
    due        = "20m"
    fixed      = true
  }

  # Missed: no edit, a corrective action in the report instead.
  action "brief_board" {
    title      = "Brief the board"
    owner      = team.board
    phase      = "recovery"
    capability = "governance"
    due        = "30m"
  }
}
