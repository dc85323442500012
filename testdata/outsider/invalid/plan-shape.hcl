# References are bare traversals, not strings; every action has an owner and a deadline;
# an attribute the language does not know is an error.
plan "shape-irp" {
  title   = "Shape"
  version = "1"

  team "desk" {
    title  = "Desk"
    tier   = 1
    colour = "red" # want: colour
  }
  severity "low" {
    level = 1
    title = "Low"
  }

  action "quoted_owner" {
    title      = "Owner as a string"
    owner      = "team.desk" # want: owner
    phase      = "detection"
    capability = "x"
    due        = "10m"
  }
  action "no_owner" { # want: owner
    title      = "Nobody owns this"
    phase      = "detection"
    capability = "x"
    due        = "10m"
  }
  action "no_due" { # want: due
    title      = "No deadline"
    owner      = team.desk
    phase      = "detection"
    capability = "x"
  }
}
