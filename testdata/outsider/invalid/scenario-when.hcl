# Checked with ../valid/harbour-plan.hcl: `when` may name only the variables of language.md.
scenario "bad-when" {
  title    = "Conditions over unknown things"
  plan     = "harbour-irp"
  duration = "2h"

  inject "start" {
    at      = "0s"
    to      = [team.ops]
    channel = "phone"
    subject = "Start"

    decision "route" {
      prompt = "Which route?"
      options = {
        north = "North"
        south = "South"
      }
      expected   = "north"
      capability = "decisions"
      phase      = "containment"
    }
  }
  inject "w1" {
    at      = "10m"
    to      = [team.ops]
    channel = "chat"
    subject = "Unknown action"
    when    = action.abandon_ship.done # want: abandon_ship
  }
  inject "w2" {
    at      = "20m"
    to      = [team.ops]
    channel = "chat"
    subject = "Unknown attribute of an action"
    when    = action.open_ticket.finished # want: finished
  }
  inject "w3" {
    at      = "30m"
    to      = [team.ops]
    channel = "chat"
    subject = "Unknown inject"
    when    = inject.mystery.delivered # want: mystery
  }
  inject "w4" {
    at      = "40m"
    to      = [team.ops]
    channel = "chat"
    subject = "Unknown decision"
    when    = decision.bribe.choice == "yes" # want: bribe
  }
  inject "w5" {
    at      = "50m"
    to      = [team.ops]
    channel = "chat"
    subject = "Severity has a level only"
    when    = severity.name == "major" # want: name
  }
  inject "w6" {
    at      = "1h"
    to      = [team.ops]
    channel = "chat"
    subject = "Unknown variable"
    when    = elapsed_minutes > 30 # want: elapsed_minutes
  }
  inject "w7" {
    at      = "1h10m"
    to      = [team.ops]
    channel = "chat"
    subject = "Teams are not when variables"
    when    = team.ops # want: team
  }
  inject "w8" {
    at      = "1h20m"
    to      = [team.ops]
    channel = "chat"
    subject = "Known things only: this one is fine"
    when    = decision.route.choice == "south" || action.page_soc.by == "soc" || inject.w1.delivered
  }
}
