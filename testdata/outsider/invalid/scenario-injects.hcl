# Checked with ../valid/harbour-plan.hcl: every inject rule of language.md broken once.
scenario "bad-injects" {
  title    = "Injects that cannot be scheduled"
  plan     = "harbour-irp"
  duration = "4h"

  # One problem, reported on the block or on either attribute.
  inject "both" {         # want(both): after
    at      = "10m"       # want(both): after
    after   = inject.fine # want(both): after
    to      = [team.ops]
    channel = "phone"
    subject = "Both at and after"
  }
  inject "neither" { # want: at
    to      = [team.ops]
    channel = "phone"
    subject = "Neither at nor after"
  }
  inject "fine" {
    at      = "0s"
    to      = [team.ops]
    channel = "phone"
    subject = "A good one"
  }
  inject "delay_with_at" {
    at      = "20m"
    delay   = "5m" # want: delay
    to      = [team.soc]
    channel = "chat"
    subject = "delay without after"
  }
  inject "too_late" {
    at      = "4h30m" # want: duration
    to      = [team.soc]
    channel = "chat"
    subject = "After the end"
  }
  inject "loop_a" {
    after   = inject.loop_b # want(loop): cycle
    to      = [team.soc]
    channel = "chat"
    subject = "Loop A"
  }
  inject "loop_b" {
    after   = inject.loop_a # want(loop): cycle
    delay   = "5m"
    to      = [team.soc]
    channel = "chat"
    subject = "Loop B"
  }
  inject "nobody" {
    at      = "30m"
    to      = [] # want: to
    channel = "email"
    subject = "Addressed to no one"
  }
  inject "stranger" {
    at      = "30m"
    to      = [team.ops, team.harbour_master] # want: harbour_master
    channel = "email"
    subject = "Unknown team"
  }
  inject "orphan" {
    after   = inject.vanished # want: vanished
    to      = [team.ops]
    channel = "email"
    subject = "After an inject that does not exist"
  }
  inject "fax" {
    at      = "40m"
    to      = [team.ops]
    channel = "fax" # want: channel
    subject = "Sent by fax"
  }
  inject "raise" {
    at       = "50m"
    to       = [team.ops]
    channel  = "sitrep"
    subject  = "Unknown severity"
    severity = severity.armageddon # want: armageddon
  }
  inject "kick" {
    at       = "55m"
    to       = [team.ops]
    channel  = "ticket"
    subject  = "Triggers an unknown action"
    triggers = [action.open_ticket, action.launch_lifeboats] # want: launch_lifeboats
  }
  inject "ask" {
    at      = "1h"
    to      = [team.exec]
    channel = "email"
    subject = "A decision whose expected answer is not an option"

    decision "evacuate" {
      prompt = "Evacuate the quay?"
      options = {
        yes = "Evacuate"
        no  = "Stay"
      }
      expected   = "maybe" # want: expected
      capability = "decisions"
      phase      = "containment"
    }
  }
}
