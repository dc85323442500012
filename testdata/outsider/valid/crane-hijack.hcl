scenario "crane-hijack" {
  title    = "Cranes that will not stop"
  summary  = "A gate camera shows a stranger at the crane control room; an hour later the cranes obey someone else."
  plan     = "harbour-irp"
  duration = "6h"

  inject "alarm" {
    at       = "0s"
    to       = [team.ops]
    channel  = "phone"
    from     = "Gate 4 guard"
    subject  = "Someone badged into the crane control room"
    body     = "A contractor we do not know used a **cloned badge** at 02:10."
    triggers = [action.open_ticket, action.page_soc, action.isolate_gateway]
  }

  inject "scada-alert" {
    at       = "30m"
    to       = [team.soc]
    channel  = "ticket"
    subject  = "Unknown host talking Modbus to crane PLCs"
    severity = severity.major
    when     = !action.isolate_gateway.done
  }

  # Listed before crane-stops: both come due at 1h and press must fire first.
  inject "press" {
    at      = "1h"
    to      = [team.exec]
    channel = "news"
    subject = "Harbour blog: cranes frozen mid-lift"
    when    = action.page_soc.on_time
  }

  inject "press-followup" {
    after   = inject.press
    delay   = "10m"
    to      = [team.exec]
    channel = "social"
    subject = "Video of a swinging container goes viral"
  }

  inject "crane-stops" {
    after   = inject.scada-alert
    delay   = "30m"
    to      = [team.ops, team.it]
    channel = "chat"
    subject = "Cranes 3 and 4 stopped with loads in the air"
  }

  inject "ransom" {
    at       = "2h"
    to       = [team.exec, team.it]
    channel  = "email"
    subject  = "Your terminal operating system is ours"
    severity = severity.continuity

    decision "pay" {
      prompt = "The crew wants 20 BTC to give the cranes back. What now?"
      options = {
        refuse = "Refuse and restore from offline backups"
        pay    = "Pay"
      }
      expected   = "refuse"
      capability = "decisions"
      phase      = "recovery"
      weight     = 2
    }
  }

  inject "regulator-call" {
    at      = "3h"
    to      = [team.exec]
    channel = "phone"
    subject = "The maritime authority heard you refused; they want a call"
    when    = decision.pay.choice == "refuse"
  }

  inject "late-news" {
    at      = "4h"
    to      = [team.exec]
    channel = "social"
    subject = "Shipping line threatens to divert to another port"
    when    = severity.level >= 3 && elapsed >= 14400
  }

  inject "all-clear" {
    at       = "5h"
    to       = [team.ops, team.soc, team.it, team.exec]
    channel  = "sitrep"
    subject  = "Cranes back under local control"
    severity = severity.major
    triggers = [action.isolate_gateway]
  }
}
