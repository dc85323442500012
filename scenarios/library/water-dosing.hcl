# Someone else's hand on the dosing pump, played against plan "harrow-vale-ot-irp".
#
# A tabletop in the shape of CISA's Tabletop Exercise Packages: three modules, each opened by
# its injects and closed by its discussion questions, then the hot wash (after the end the
# exercise stays open for observations, answers and the participants' feedback forms until the
# facilitator closes it). Suggested pace: about 45 minutes a module at speed 60, advancing
# between injects once the room has discussed them.
#
# Facilitator notes. At 13:30 on a Saturday the only operator at Longmere treatment works
# watches the cursor open the dosing screen and raise the sodium hydroxide setpoint a
# hundredfold. The weak points it probes:
# - whether the operator reverses the change at once and treats it as a cyber incident, not a
#   glitch (nobody on site has been told what to do when the HMI moves by itself);
# - who may switch off the vendor's remote access, which the maintenance contract requires;
# - the supply decision, where the cautious answer is to isolate the works and feed the zone
#   from Ashby, not to issue a do-not-drink notice to 40,000 people;
# - the DWI notification, which the company has promised within the hour of a water quality
#   event, and the rumour that "hackers poisoned the water".
scenario "water-dosing" {
  title      = "Someone else's hand on the dosing pump"
  summary    = "A remote session raises the caustic soda dose at a water treatment works a hundredfold; the operator notices. A CTEP-style tabletop in three modules, then the hot wash."
  plan       = "harrow-vale-ot-irp"
  duration   = "26h"
  start_time = "2026-05-16T13:30:00+01:00"

  objective "protect" {
    title        = "Keep unsafe water out of supply: reverse the change and take control of the process"
    capabilities = ["process_safety", "containment"]
  }
  objective "escalate" {
    title        = "Recognise a cyber attack on the OT network and escalate it within the plan's times"
    capabilities = ["incident_reporting", "escalation", "analysis", "command_and_control"]
  }
  objective "public_health" {
    title        = "Protect public health and public confidence: sampling, the supply decision, customers"
    capabilities = ["water_quality", "crisis_decisions", "communications"]
  }
  objective "report" {
    title        = "Meet the duties to the Drinking Water Inspectorate and the NCSC"
    capabilities = ["regulatory_reporting", "external_reporting"]
  }

  module "cursor" {
    title = "Module 1: the cursor moves by itself"
    at    = "0s"
    questions = [
      "What does your team do in the first ten minutes when a control screen changes by itself, and is it written down anywhere?",
      "Who may switch off a vendor's remote access on a Saturday, and how do they reach the vendor?",
    ]
  }
  module "intrusion" {
    title = "Module 2: who else is in?"
    at    = "2h"
    questions = [
      "What would make you keep the works in supply, isolate it, or issue a do-not-drink notice?",
      "Which of your OT systems could be run by hand for a week, and who would do it?",
    ]
  }
  module "confidence" {
    title = "Module 3: restoring confidence in the water"
    at    = "6h"
    questions = [
      "What will you tell the 40,000 customers of the Longmere zone, and when, if nothing unsafe left the works?",
      "What would you change in the plan, the contract with the vendor or the training before this happens again?",
    ]
  }

  # --- Module 1 ---

  inject "cursor-moves" {
    at       = "0s"
    to       = [team.control_room]
    channel  = "phone"
    from     = "Sam Achebe, duty operator, Longmere treatment works"
    subject  = "The dosing screen changed while I watched"
    body     = <<-EOT
      At 13:28 the mouse moved by itself on the HMI, opened the chemical dosing screen and
      raised the **sodium hydroxide setpoint from 100 ppm to 11,100 ppm**. A remote desktop
      session from an ID I do not know was open for about three minutes; it has closed.
      I am the only operator on site until 18:00.
    EOT
    triggers = [action.reverse_setpoint, action.log_anomaly, action.escalate_to_ot]
    notes    = "If asked: the dose takes 40 to 60 minutes to reach the contact tank; the high-pH alarm is set at 10.5. The remote desktop tool is the vendor's, installed for the maintenance contract."
  }

  # A contingency inject: only if nobody has reversed the setpoint within 12 minutes.
  inject "ph-alarm" {
    at       = "12m"
    when     = !action.reverse_setpoint.done
    to       = [team.control_room, team.water_quality]
    channel  = "ticket"
    from     = "SCADA alarm list"
    subject  = "HIGH pH 10.9 at the contact tank inlet"
    body     = <<-EOT
      `LMW-AIT-0412 pH HIGH 10.9` (limit 10.5), rising. Dosing pump P-3 running at 96%.
    EOT
    severity = severity.continuity
    prompts  = [action.reverse_setpoint]
    notes    = "Plays only if the setpoint is still high. A reversal after this alarm counts as prompted."
  }

  # Fifteen minutes after OT Security is told, the vendor answers their call.
  inject "vendor-denies" {
    after   = action.escalate_to_ot
    delay   = "15m"
    to      = [team.ot_security]
    channel = "phone"
    from    = "Aquatec Controls, weekend support line"
    subject = "That session was not one of ours"
    body    = <<-EOT
      None of our engineers connected to Longmere today. Our remote desktop accounts for your
      sites share one password, and it has not changed since the install in 2022.
    EOT
  }

  # --- Module 2 ---

  inject "jump-host-logs" {
    at       = "2h"
    to       = [team.ot_security, team.it_security]
    channel  = "email"
    from     = "Priya Natarajan, IT Security Operations on call"
    subject  = "The same session ID reached two other works this month"
    body     = <<-EOT
      The vendor's remote desktop ID **841 552 907** connected to Longmere, Ashby and Corfe
      Road on 2, 9 and 16 May, each time from a VPN address in a range used for credential
      stuffing. The engineers' VPN also shows a login for `j.harding`, who left in March.
    EOT
    severity = severity.operational
    triggers = [action.disable_remote_access, action.preserve_hmi_evidence, action.check_it_ot_boundary]
  }

  inject "imt-sitrep" {
    at       = "3h"
    to       = [team.imt, team.water_quality]
    channel  = "sitrep"
    from     = "Duty manager, Operations"
    subject  = "SITREP 1: Longmere still in supply"
    body     = <<-EOT
      pH at the works outlet has stayed at 7.4 to 7.6 since 13:35. The first samples are at
      the laboratory; results at about 19:30. Ashby works can feed the Longmere zone through
      the trunk main for up to 36 hours. The IMT has not met yet.
    EOT
    severity = severity.continuity

    decision "supply" {
      prompt = "What does the Incident Management Team decide for the Longmere zone?"
      options = {
        isolate_works  = "Take Longmere out of supply and feed the zone from Ashby until the samples are back"
        keep_supplying = "Keep Longmere in supply under manual control with extra sampling"
        do_not_drink   = "Issue a do-not-drink notice to the Longmere zone now"
      }
      decided_by = [team.imt]                                # Water Quality advises; the IMT decides
      credit     = { isolate_works = 1, do_not_drink = 0.5 } # safe, at a heavy cost to 40,000 people
      due        = "30m"
      default    = "keep_supplying" # no decision leaves the works in supply
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 2
    }
  }

  # Two hours after the evidence is taken, the first findings.
  inject "forensics-findings" {
    after     = action.preserve_hmi_evidence
    delay     = "2h"
    to        = [team.ot_security, team.it_security]
    channel   = "email"
    from      = "Ironbridge OT Forensics"
    subject   = "First findings from the HMI image"
    body      = <<-EOT
      The HMI's remote desktop client auto-accepts connections with the shared password. No
      malware on the HMI so far; the historian shows three earlier visits to the dosing screen
      without changes (reconnaissance). We recommend rotating every OT credential.
    EOT
    questions = ["What do three quiet visits before the change tell you about how this attacker works?"]
  }

  # A contingency inject: only if nobody has told the Inspectorate.
  inject "dwi-call" {
    at      = "5h"
    when    = !action.notify_dwi.done
    to      = [team.water_quality]
    channel = "phone"
    from    = "Drinking Water Inspectorate, duty inspector"
    subject = "We have heard about Longmere from the press office"
    body    = <<-EOT
      A journalist has asked us about a "chemical incident" at your Longmere works. We have
      no event notification from you. What happened, and what has gone into supply?
    EOT
    prompts = [action.notify_dwi]
    notes   = "Plays only if Water Quality has not notified. A notification after this call counts as prompted."
  }

  # --- Module 3 ---

  inject "samples-back" {
    at      = "6h"
    to      = [team.water_quality, team.imt]
    channel = "email"
    from    = "Harrow Vale Water laboratory"
    subject = "Longmere samples: all within limits"
    body    = <<-EOT
      Works outlet, Hilltop and Fenby service reservoirs: pH 7.3 to 7.6, sodium within the
      prescribed concentration, no other exceedances. Repeat samples booked for 07:00.
    EOT
  }

  inject "radio-enquiry" {
    at      = "6h30m"
    to      = [team.comms, team.imt]
    channel = "phone"
    from    = "Vale FM newsroom"
    subject = "Did hackers poison the water in Longmere?"
    body    = <<-EOT
      Listeners say a worker at Longmere told them hackers "put chemicals in the water". Is the
      water safe to drink? We go on air at 20:00.
    EOT

    # The plan is silent on telling customers when nothing unsafe left the works: discussed,
    # answered, never scored.
    decision "tell_customers" {
      prompt = "Do you tell customers about the intrusion itself?"
      options = {
        full_account = "Yes: what happened, what we did, and that the water is safe"
        safety_only  = "Only that the water is safe; say nothing of the intrusion yet"
        no_comment   = "Nothing until the police and the NCSC agree"
      }
      decided_by = [team.imt]
    }
  }

  # Only if there is still no customer advice an hour after the radio call.
  inject "rumour" {
    after   = inject.radio-enquiry
    delay   = "1h"
    when    = !action.customer_advice.done
    to      = [team.comms]
    channel = "social"
    from    = "Longmere Community Noticeboard (8,200 members)"
    subject = "\"DON'T DRINK THE TAP WATER\" post shared 1,400 times"
    body    = <<-EOT
      A post says the water has been "poisoned by Russian hackers" and that the company is
      hiding it. Supermarkets in Longmere report bottled water selling out.
    EOT
  }

  inject "ncsc-follow-up" {
    at      = "20h"
    to      = [team.it_security]
    channel = "email"
    from    = "NCSC incident management"
    subject = "Two other water companies use the same vendor"
    body    = <<-EOT
      We are aware of similar remote desktop sessions at two other water companies that use
      Aquatec Controls. Can you share the session IDs, source addresses and times?
    EOT
  }

  inject "stand-down" {
    at       = "24h"
    to       = [team.imt, team.control_room, team.ot_security]
    channel  = "sitrep"
    from     = "Incident manager"
    subject  = "Longmere back in supply; standing down the IMT"
    body     = <<-EOT
      Repeat samples are clear and Longmere went back into supply at 12:40 under manual control.
      Remote access stays off until every OT credential is rotated. Name the owner and date of
      the post-incident review before the IMT stands down.
    EOT
    triggers = [action.lessons_learned]
  }
}
