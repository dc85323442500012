plan "phase-irp" {
  title   = "Phases and deadlines"
  version = "1"

  team "desk" {
    title = "Desk"
    tier  = 1
  }
  severity "low" {
    level = 1
    title = "Low"
  }

  action "a_phase" {
    title      = "Made-up phase"
    owner      = team.desk
    phase      = "response" # want: phase
    capability = "x"
    due        = "10m"
  }
  action "b_phase_case" {
    title      = "Phase in capitals"
    owner      = team.desk
    phase      = "Detection" # want: phase
    capability = "x"
    due        = "10m"
  }
  action "c_words" {
    title      = "Deadline in words"
    owner      = team.desk
    phase      = "recovery"
    capability = "x"
    due        = "fifteen minutes" # want: due
  }
  action "d_zero" {
    title      = "Zero deadline"
    owner      = team.desk
    phase      = "recovery"
    capability = "x"
    due        = "0s" # want: due
  }
  action "e_negative" {
    title      = "Negative deadline"
    owner      = team.desk
    phase      = "eradication"
    capability = "x"
    due        = "-5m" # want: due
  }
  action "f_unitless" {
    title      = "No unit"
    owner      = team.desk
    phase      = "post_incident"
    capability = "x"
    due        = "90" # want: due
  }
}
