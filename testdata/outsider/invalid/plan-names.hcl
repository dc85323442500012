# Names are unique in their kind: teams, severities, actions and plans.
plan "names-irp" {
  title   = "Duplicate names"
  version = "1"

  team "desk" {
    title = "Desk"
    tier  = 1
  }
  team "desk" { # want: desk
    title = "Desk again"
    tier  = 2
  }
  # a severity may share a team's name: the kinds differ
  severity "desk" {
    level = 1
    title = "Desk-level"
  }
  severity "high" {
    level = 2
    title = "High"
  }
  severity "high" { # want: high
    level = 3
    title = "Higher"
  }

  action "triage" {
    title      = "Triage"
    owner      = team.desk
    phase      = "detection"
    capability = "triage"
    due        = "10m"
  }
  action "triage" { # want: triage
    title      = "Triage twice"
    owner      = team.desk
    phase      = "detection"
    capability = "triage"
    due        = "20m"
  }
}

plan "names-irp" { # want: names-irp
  title   = "The same plan name"
  version = "2"
  team "solo" {
    title = "Solo"
    tier  = 1
  }
  severity "only" {
    level = 1
    title = "Only"
  }
}
