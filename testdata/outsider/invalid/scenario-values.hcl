# Checked with ../valid/harbour-plan.hcl: durations parse, names are unique in their kind.
scenario "bad-values" {
  title    = "Values that do not parse"
  plan     = "harbour-irp"
  duration = "six hours" # want: duration

  inject "soon" {
    at      = "soon" # want: at
    to      = [team.ops]
    channel = "phone"
    subject = "Unparsable at"
  }
  inject "first" {
    at      = "0s"
    to      = [team.ops]
    channel = "phone"
    subject = "First"

    decision "call" {
      prompt = "Call the police?"
      options = {
        yes = "Yes"
        no  = "No"
      }
      expected   = "yes"
      capability = "decisions"
      phase      = "containment"
    }
  }
  inject "later" {
    after   = inject.first
    delay   = "a while" # want: delay
    to      = [team.ops]
    channel = "phone"
    subject = "Unparsable delay"
  }
  inject "first" { # want: first
    at      = "5m"
    to      = [team.soc]
    channel = "chat"
    subject = "Same name as another inject"
  }
  inject "second" {
    at      = "10m"
    to      = [team.exec]
    channel = "email"
    subject = "A decision with a name already taken"

    decision "call" { # want: call
      prompt = "Call the police now?"
      options = {
        yes = "Yes"
        no  = "No"
      }
      expected   = "no"
      capability = "decisions"
      phase      = "containment"
    }
  }
}

scenario "bad-values" { # want: bad-values
  title    = "The same scenario name"
  plan     = "harbour-irp"
  duration = "1h"

  inject "only" {
    at      = "0s"
    to      = [team.ops]
    channel = "phone"
    subject = "Only"
  }
}
