plan "graph-irp" {
  title   = "Cycles and self-escalation"
  version = "1"

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

  # A three-step loop: one diagnostic for the cycle, on any of its `after` lines.
  action "one" {
    title      = "One"
    owner      = team.desk
    phase      = "detection"
    capability = "x"
    due        = "10m"
    after      = [action.three] # want(loop): cycle
  }
  action "two" {
    title      = "Two"
    owner      = team.desk
    phase      = "detection"
    capability = "x"
    due        = "10m"
    after      = [action.one] # want(loop): cycle
  }
  action "three" {
    title      = "Three"
    owner      = team.sec
    phase      = "containment"
    capability = "x"
    due        = "10m"
    after      = [action.two] # want(loop): cycle
  }
  action "itself" {
    title      = "After itself"
    owner      = team.sec
    phase      = "containment"
    capability = "x"
    due        = "10m"
    after      = [action.itself] # want: itself
  }
  action "ring_self" {
    title       = "Escalate to ourselves"
    owner       = team.sec
    phase       = "containment"
    capability  = "x"
    due         = "10m"
    escalate_to = team.sec # want: escalate_to
  }
}
