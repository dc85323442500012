# Ransomware on the wards, played against plan "st-aldrics-cyber-irp".
#
# Facilitator notes. The exercise starts at 15:30 on a Friday on purpose: by the time the
# incident becomes a critical incident the day teams have gone home, Gold is the executive on
# call, and the night site manager inherits paper downtime. The weak points it probes:
# - whether the Service Desk escalates a "strange screen" as a security incident at all;
# - who disables the compromised service accounts (Infrastructure owns it; the IRT tends to);
# - whether anybody takes the backup catalogue offline before the attacker deletes it;
# - the HSCN disconnection decision, where the safe answer also cuts the lab interfaces;
# - the ransom decision, and whether Gold knows public bodies do not pay;
# - an unreported incident noticed first by NHS England's CSOC.
scenario "hospital-ransomware" {
  title      = "Ransomware on the wards"
  summary    = "A red screen on Ward 7 at half past three on a Friday; by midnight the hospital is on paper and diverting ambulances."
  plan       = "st-aldrics-cyber-irp"
  duration   = "18h"
  start_time = "2026-03-13T15:30:00Z"

  objective "contain" {
    title        = "Recognise, escalate and contain the ransomware within the plan's deadlines"
    capabilities = ["incident_reporting", "escalation", "analysis", "containment"]
  }
  objective "patient_safety" {
    title        = "Keep patients safe while the clinical systems are down"
    capabilities = ["continuity", "patient_safety"]
  }
  objective "command" {
    title        = "Command the incident and take the significant decisions at the right level"
    capabilities = ["command_and_control", "crisis_decisions"]
  }
  objective "report" {
    title        = "Meet every external reporting duty: CSOC, ICO and the police"
    capabilities = ["external_reporting", "regulatory_reporting", "law_enforcement"]
  }

  module "detection" {
    title = "Module 1: a red screen on Ward 7"
    at    = "0s"
    questions = [
      "At what point did your team treat this as a security incident rather than an IT fault, and who decided?",
      "What would you need to know before isolating a clinical workstation in the middle of a drug round?",
    ]
  }
  module "continuity" {
    title = "Module 2: the hospital on paper"
    at    = "2h15m"
    questions = [
      "Which clinical services can you not run on paper for more than a night, and what is your plan for each?",
    ]
  }
  module "crisis" {
    title = "Module 3: the demand and the leak"
    at    = "5h30m"
    questions = [
      "Who in the trust may authorise contact with the attackers, and who must be told before they do?",
      "What will you tell patients whose records may be published, and when?",
    ]
  }
  module "recovery" {
    title = "Module 4: recovery and hand-over"
    at    = "11h"
    questions = [
      "What would you change in the plan before the next night shift has to use it?",
    ]
  }

  inject "ward7-call" {
    at       = "0s"
    to       = [team.service_desk]
    channel  = "phone"
    from     = "Sister Amara Okafor, Ward 7 (Acute Medicine)"
    subject  = "Two workstations showing a red screen asking for payment"
    body     = <<-EOT
      Two PCs at the Ward 7 nurses' station (**W7-PC014** and **W7-PC022**) went red at 15:25.
      The screen says *"Your files are encrypted by LOCKD. Do not turn off your computer."*
      The drug round starts at 16:00 and we use W7-PC014 for the ePMA charts. Can you fix it?
    EOT
    triggers = [action.log_report, action.escalate_to_irt, action.isolate_hosts]
    notes    = "If the Service Desk asks: W7-PC014 is the ePMA workstation; Ward 7 has 11 other PCs on the same clinical VLAN. Play Sister Okafor as busy and reluctant to switch anything off before the drug round."
  }

  inject "edr-alert" {
    at       = "15m"
    to       = [team.cyber_irt]
    channel  = "ticket"
    from     = "Microsoft Defender for Endpoint"
    subject  = "High severity: ransomware behaviour on W7-PC014, W7-PC022"
    body     = <<-EOT
      - `vssadmin delete shadows /all /quiet` run on both hosts at 15:21
      - Process launched as **STALDRICS\svc_backup** (a service account, interactive logon)
      - 1,284 files renamed `*.lockd` on `\\FS01\wards$` in 4 minutes
      - Automated investigation: *partially remediated*; no host contained yet
    EOT
    triggers = [action.triage_alerts, action.disable_service_accounts, action.preserve_evidence]
    notes    = "Watch who disables svc_backup: the plan gives it to Infrastructure, and the IRT has done it itself before."
  }

  # Only if the IRT has not contained Ward 7 within 45 minutes: the encryption reaches
  # Pharmacy and Radiology. Either way the incident becomes operational at 1h30m.
  inject "pharmacy-and-radiology" {
    at       = "45m"
    when     = !action.isolate_hosts.done
    to       = [team.service_desk, team.cyber_irt]
    channel  = "ticket"
    from     = "Service Desk queue"
    subject  = "P2 x6: Pharmacy and Radiology report the same red screen"
    body     = <<-EOT
      Six new calls in ten minutes: four PCs in Pharmacy dispensary, two reporting stations in
      Radiology (RAD-RPT03, RAD-RPT07). Same red LOCKD screen. Radiology say PACS viewer is slow.
    EOT
    severity = severity.operational
  }

  inject "epma-down" {
    after   = inject.pharmacy-and-radiology
    delay   = "30m"
    to      = [team.clinical_site]
    channel = "chat"
    from    = "Chief Pharmacist on call"
    subject = "ePMA unavailable: we cannot verify drug charts"
    body    = <<-EOT
      The ePMA server is not responding. Nurses on 9 wards cannot see tonight's drug charts.
      Do we go to paper charts now? We need a decision before the 18:00 round.
    EOT
  }

  inject "file-servers-encrypted" {
    at       = "1h30m"
    to       = [team.cyber_irt, team.infrastructure]
    channel  = "ticket"
    from     = "Dev Patel, Infrastructure on call"
    subject  = "FS01 and FS02 encrypted; AD shows a new domain admin"
    body     = <<-EOT
      Both file servers: about **38,000 files** renamed `.lockd`, ransom note in every folder.
      A domain admin account `adm_helpdesk2` was created at 14:52 by svc_backup.
      I have not changed anything yet. Who is making decisions on this?
    EOT
    severity = severity.operational
  }

  inject "hypervisor-down" {
    at       = "2h15m"
    to       = [team.infrastructure, team.cyber_irt, team.clinical_site]
    channel  = "phone"
    from     = "Dev Patel, Infrastructure on call"
    subject  = "VMware cluster VMH-02 encrypted: EPR, PACS and LIMS down"
    body     = <<-EOT
      142 of 160 VMs on cluster VMH-02 are encrypted, including the **EPR** application servers,
      **PACS** and the pathology **LIMS**. ESXi hosts were encrypted from vCenter at 17:38.
      Realistic restore estimate: days, not hours.
    EOT
    severity = severity.continuity
  }

  inject "silver-sitrep" {
    after   = inject.hypervisor-down
    delay   = "15m"
    to      = [team.gold]
    channel = "sitrep"
    from    = "Silver commander (Deputy Chief Operating Officer)"
    subject = "SITREP 1: clinical systems down, disconnection decision needed"
    body    = <<-EOT
      A&E has 41 patients, 9 awaiting results. Wards are moving to paper.
      The NHS cyber playbook says disconnect from HSCN to protect other trusts. Infrastructure
      say a full shutdown would also stop the blood-gas and haematology analyser interfaces.
    EOT

    # The safe answer is not the most drastic one: isolating from HSCN and the internet while
    # running the analysers standalone keeps results flowing. A full shutdown blinds A&E.
    decision "network_isolation" {
      prompt = "What does Gold order for the trust's network?"
      options = {
        isolate_keep_analysers = "Disconnect from HSCN and the internet now; run the lab analysers standalone"
        shutdown_everything    = "Power down every server and core switch"
        stay_connected         = "Stay connected until the IRT has confirmed the scope"
      }
      expected   = "isolate_keep_analysers"
      due        = "30m"            # the playbook's window before the CSOC disconnects the trust itself
      default    = "stay_connected" # no order from Gold is an order to stay connected
      capability = "command_and_control"
      phase      = "containment"
      weight     = 2
    }
  }

  # The CSOC spots the outbound traffic before the trust reports: only if nobody has called.
  inject "csoc-call" {
    at      = "2h45m"
    when    = !action.report_to_csoc.done
    to      = [team.cyber_irt]
    channel = "phone"
    from    = "NHS England CSOC duty analyst"
    subject = "Outbound traffic from your range to a known LOCKD server"
    body    = <<-EOT
      We see 410 GB leaving `194.xx.12.0/24` since 14:05 to an IP on our LOCKD watch list.
      Do you have an incident? We have no report from you. We need a point of contact
      and your containment status within the hour.
    EOT
    prompts = [action.report_to_csoc]
    notes   = "A contingency inject: it only plays if the IRT has not reported. A report made after this call counts as prompted."
  }

  inject "ambulance-queue" {
    at      = "3h30m"
    to      = [team.clinical_site, team.gold]
    channel = "phone"
    from    = "Regional ambulance service, tactical commander"
    subject = "11 ambulances held at your A&E, longest 2h10m"
    body    = <<-EOT
      We have 11 crews held outside St Aldric's, the longest for 2 hours 10 minutes, and
      3 category 1 calls waiting in your area with no crew free. Are you requesting divert?
    EOT
  }

  # The divert decision goes to the Clinical Site Team alone: Gold hears of the queue from the
  # ambulance service, and watching whether Silver asks Gold first is part of the test.
  inject "lims-down-resus" {
    at       = "4h"
    to       = [team.clinical_site]
    channel  = "sitrep"
    from     = "Dr Helen Marsh, A&E consultant in charge"
    subject  = "No blood results since 17:40: patient harm risk in Resus"
    body     = <<-EOT
      A patient in Resus waited **95 minutes** for a potassium result. Pathology is phoning
      results through one at a time; two porters are running paper forms. I cannot safely
      take stroke, trauma or STEMI patients tonight.
    EOT
    severity = severity.crisis

    decision "divert" {
      prompt = "What divert does the Clinical Site Team request from the ambulance service?"
      options = {
        full_divert      = "Full divert: no ambulances to St Aldric's"
        selective_divert = "Selective divert: stroke, major trauma and STEMI to the neighbouring trusts"
        no_divert        = "No divert: add staff to A&E instead"
      }
      credit     = { selective_divert = 1, full_divert = 0.5 } # full divert is safe but closes A&E to everyone
      capability = "patient_safety"
      phase      = "recovery"
    }
  }

  inject "local-reporter" {
    at      = "4h30m"
    to      = [team.comms]
    channel = "email"
    from    = "Jess Marlow, Eastern Daily Courier"
    subject = "A&E turning ambulances away?"
    body    = <<-EOT
      Hi, we are hearing from paramedics that St Aldric's A&E is refusing ambulances and that
      staff are "back on paper" after a cyber attack. Can you confirm, and is patient data
      affected? We publish online at 21:00.
    EOT
  }

  # Only if Comms has not issued its holding statement: the story runs without the trust.
  inject "patient-post" {
    after   = inject.local-reporter
    delay   = "45m"
    when    = !action.press_statement.done
    to      = [team.comms, team.gold]
    channel = "social"
    from    = "@dan_the_dad (12.4k followers)"
    subject = "Viral post about St Aldric's A&E"
    body    = <<-EOT
      6 hours in St Aldric's A&E with my dad. Staff writing everything on paper, told "the
      computers have been hacked". Nobody will tell us if his records have been stolen.
      #StAldrics (1,900 reposts in 20 minutes)
    EOT
  }

  inject "ransom-note" {
    at       = "5h30m"
    to       = [team.gold, team.ig]
    channel  = "email"
    from     = "LOCKD support, via the trust's generic info@ inbox"
    subject  = "Your network is ours"
    body     = <<-EOT
      We encrypted 142 servers and took **410 GB**, including patient records and HR files.
      Pay **38 BTC** (about £1.9m) within 72 hours and you get the decryptor and we delete the data.
      Otherwise we publish it, starting with 2,000 patient records. Chat: `lockd...onion/staldrics`
    EOT
    triggers = [action.report_to_police]

    decision "ransom" {
      prompt = "The attackers demand 38 BTC within 72 hours. What does Gold decide?"
      options = {
        refuse    = "Refuse; restore from backups and report to the NCA"
        pay       = "Pay to get the decryptor and stop the leak"
        negotiate = "Open a chat with the attackers to buy time"
      }
      decided_by = [team.gold] # Information Governance hears of the theft; Gold decides
      expected   = "refuse"
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 2
    }
    notes = "If Gold asks: the trust's cyber insurer requires notice before any contact with the attackers; the NCA liaison is on 0800 123 4567."
  }

  # Only if Gold leaned towards the attackers: the region reminds them of policy.
  inject "region-call" {
    after   = inject.ransom-note
    delay   = "1h"
    when    = decision.ransom.choice == "pay" || decision.ransom.choice == "negotiate"
    to      = [team.gold]
    channel = "phone"
    from    = "NHS England regional director"
    subject = "Do not engage with the attackers"
    body    = <<-EOT
      Public bodies do not pay ransoms. Paying may breach sanctions if the group is designated,
      and the NCA want to speak to you before any contact with the attackers. Stop the chat now
      and confirm to me in writing by 23:30.
    EOT
  }

  # Only if Infrastructure did not take the backup catalogue offline on time.
  inject "backup-catalogue" {
    at      = "7h"
    when    = !action.verify_offline_backups.on_time
    to      = [team.infrastructure]
    channel = "ticket"
    from    = "Backup administrator (Commvault)"
    subject = "Backup catalogue deleted at 22:14"
    body    = <<-EOT
      CommServe **CV-MA01** was domain-joined; the attacker deleted its catalogue at 22:14.
      Wednesday's tape copies are intact, but the catalogue must be rebuilt from tape first:
      add **about 36 hours** to every restore estimate.
    EOT
  }

  inject "forensics-update" {
    at        = "8h"
    to        = [team.cyber_irt]
    channel   = "chat"
    from      = "Kestrel DFIR, retained incident response lead"
    subject   = "Initial access: unpatched remote-access gateway"
    body      = <<-EOT
      Likely patient zero: the Citrix NetScaler `rag-01`, 3 months behind on patches.
      svc_backup's password was harvested there **9 days ago**; the attacker has been inside
      since 4 March. Expect persistence: 2 scheduled tasks found on DC02 so far.
    EOT
    triggers  = [action.identify_initial_access, action.reset_privileged_credentials]
    questions = ["What does a gateway three months behind on patches tell you about the rest of the estate?"]
  }

  inject "night-handover" {
    at      = "10h30m"
    when    = severity.level >= 3
    to      = [team.clinical_site, team.gold]
    channel = "sitrep"
    from    = "Night site manager"
    subject = "SITREP 02:00: paper downtime is fraying"
    body    = <<-EOT
      Agency nurses on 4 wards have never used the downtime forms. Ward 12 missed an
      enoxaparin dose through a transcription error (no harm, Datix raised). The results runners
      have had no break since 17:40. I need 6 more clerical staff by 07:00.
    EOT
  }

  inject "restore-plan" {
    at       = "11h"
    to       = [team.gold]
    channel  = "sitrep"
    from     = "Head of Infrastructure"
    subject  = "Clean recovery network ready: one system at a time"
    body     = <<-EOT
      The isolated recovery network is up. We can rebuild one clinical system at a time:
      LIMS about 6 hours, PACS about 9 hours, EPR about 14 hours (longer if the backup catalogue
      has to be rebuilt). Which first?
    EOT
    triggers = [action.restore_clinical_systems]

    decision "restore_order" {
      prompt = "Which clinical system is restored first?"
      options = {
        lims_first = "Pathology LIMS: results back to A&E soonest"
        pacs_first = "PACS: imaging for trauma and stroke"
        epr_first  = "EPR: the full patient record"
      }
      expected   = "lims_first"
      capability = "backup_and_restore"
      phase      = "recovery"
    }
  }

  inject "leak-site" {
    after   = inject.ransom-note
    delay   = "10h"
    to      = [team.ig, team.comms, team.gold]
    channel = "news"
    from    = "BBC News Online"
    subject = "Hackers claim to publish St Aldric's patient data"
    body    = <<-EOT
      The LOCKD group has listed St Aldric's Hospital on its leak site with a "sample" of
      2,000 patient records (names, NHS numbers, diagnoses) and a countdown of 56 hours.
      The trust has not said whether it has told the Information Commissioner.
    EOT

    # A judgment call with no right answer in the plan: discussed, answered, never scored.
    decision "tell_patients" {
      prompt = "Do you contact the 2,000 patients named in the sample before the data is verified?"
      options = {
        contact_now  = "Contact them now, with what little is known"
        verify_first = "Verify the sample first, then contact those affected"
        wait_for_ico = "Wait for the ICO's view before contacting anyone"
      }
      decided_by = [team.gold]
    }
  }

  # The hot debrief is due within the hour, before the night teams go home at 09:30.
  inject "stand-down" {
    at       = "17h"
    to       = [team.gold, team.clinical_site, team.cyber_irt]
    channel  = "sitrep"
    from     = "Gold commander"
    subject  = "LIMS restored; divert lifted"
    body     = <<-EOT
      LIMS came back at 08:10 and results are reaching A&E again; divert lifted at 08:20.
      EPR and PACS remain down and the wards stay on paper. Day Gold takes over at 09:00:
      hold the hot debrief before the night teams go home at 09:30.
    EOT
    triggers = [action.hot_debrief]
  }
}
