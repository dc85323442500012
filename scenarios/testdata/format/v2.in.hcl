plan "p" {
  team "ico" {
    tier = 4
    external = true
  }
  action "contain" {
    owner = team.irt
    critical = true
  }
}

scenario "s" {
  objective "contain" {
    title = "Contain it"
    capabilities = [ "containment","escalation" ]
  }
  module detection {
    at = "0s"
    questions = [
        "Who decides?",
   "Who is told?",
    ]
  }
  inject "demand" {
    notes = "If asked: 12 PCs"
    prompts = [action.notify]
    questions = ["What now?"]
    decision "ransom" {
      options = {
        refuse = "Refuse"
        pay = "Pay"
      }
      decided_by = [team.cmt]
      credit = {refuse=1, pay=0.5}
      due = "30m"
      default = "refuse"
    }
  }
  inject "wallet" {
    after = decision.ransom
    when = "${decision.ransom.choice == "pay"}"
  }
}

rehearsal "r" {
  teams = ["irt","cmt"]
  answer {
    team = "irt"
    question = "module.detection.1"
    text = "The duty manager"
    at = "10m"
  }
}
