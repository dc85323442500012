# Scores whose second decimal is a 5: rounding is half away from zero.
plan "round-irp" {
  title   = "Rounding"
  version = "1"

  team "crew" {
    title = "Crew"
    tier  = 1
  }
  severity "low" {
    level = 1
    title = "Low"
  }

  action "a1" {
    title      = "Step a1"
    owner      = team.crew
    phase      = "recovery"
    capability = "alpha"
    due        = "10m"
  }

  action "a2" {
    title      = "Step a2"
    owner      = team.crew
    phase      = "recovery"
    capability = "alpha"
    due        = "10m"
  }

  action "a3" {
    title      = "Step a3"
    owner      = team.crew
    phase      = "recovery"
    capability = "alpha"
    due        = "10m"
  }

  action "a4" {
    title      = "Step a4"
    owner      = team.crew
    phase      = "recovery"
    capability = "alpha"
    due        = "10m"
  }

  action "b1" {
    title      = "Step b1"
    owner      = team.crew
    phase      = "recovery"
    capability = "beta"
    due        = "10m"
  }

  action "b2" {
    title      = "Step b2"
    owner      = team.crew
    phase      = "recovery"
    capability = "beta"
    due        = "10m"
  }

  action "b3" {
    title      = "Step b3"
    owner      = team.crew
    phase      = "recovery"
    capability = "beta"
    due        = "10m"
  }

  action "b4" {
    title      = "Step b4"
    owner      = team.crew
    phase      = "recovery"
    capability = "beta"
    due        = "10m"
  }
}
