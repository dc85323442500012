# Two scripted teams for "hospital-ransomware": facilitators dry-run the timings with them,
# and tests use them as a team that always answers the same way.

# A well-drilled trust: the Service Desk escalates in minutes, the IRT contains Ward 7 before
# the spread (so "pharmacy-and-radiology" and "epma-down" are skipped), the backups are
# checked in time (so "backup-catalogue" is skipped) and Gold refuses the ransom. One slip:
# the all-staff briefing goes out ten minutes late.
rehearsal "hospital-strong" {
  scenario = "hospital-ransomware"

  respond {
    team   = "service_desk"
    action = "log_report"
    at     = "5m"
  }
  escalate {
    from = "service_desk"
    to   = "cyber_irt"
    text = "Ward 7: two PCs with a LOCKD ransom screen. Treating as a security incident, P1 INC0041187."
    at   = "12m"
  }
  respond {
    team   = "cyber_irt"
    action = "triage_alerts"
    at     = "25m"
  }
  respond {
    team   = "cyber_irt"
    action = "isolate_hosts"
    at     = "35m"
  }
  respond {
    team   = "cyber_irt"
    action = "confirm_on_call"
    at     = "40m"
  }
  respond {
    team   = "infrastructure"
    action = "disable_service_accounts"
    at     = "50m"
  }
  escalate {
    from = "cyber_irt"
    to   = "gold"
    text = "Major IT incident: ransomware, file servers encrypted, rogue domain admin. Request Gold on the 19:00 call."
    at   = "1h40m"
  }
  respond {
    team   = "cyber_irt"
    action = "report_to_csoc"
    at     = "1h50m"
  }
  respond {
    team   = "infrastructure"
    action = "verify_offline_backups"
    at     = "2h"
  }
  respond {
    team   = "clinical_site"
    action = "check_downtime_kits"
    at     = "2h10m"
  }
  respond {
    team   = "gold"
    action = "declare_critical_incident"
    at     = "2h25m"
  }
  respond {
    team   = "clinical_site"
    action = "go_to_paper"
    at     = "2h30m"
  }
  choose {
    team     = "gold"
    decision = "network_isolation"
    option   = "isolate_keep_analysers"
    at       = "2h40m"
  }
  respond {
    team   = "infrastructure"
    action = "disconnect_hscn"
    at     = "2h44m"
  }
  respond {
    team   = "comms"
    action = "staff_briefing"
    at     = "3h25m"
  }
  respond {
    team   = "cyber_irt"
    action = "preserve_evidence"
    at     = "3h30m"
  }
  choose {
    team     = "clinical_site"
    decision = "divert"
    option   = "selective_divert"
    at       = "4h10m"
  }
  respond {
    team   = "clinical_site"
    action = "request_divert"
    at     = "4h15m"
  }
  respond {
    team   = "comms"
    action = "press_statement"
    at     = "4h40m"
  }
  choose {
    team     = "gold"
    decision = "ransom"
    option   = "refuse"
    at       = "5h45m"
  }
  respond {
    team   = "cyber_irt"
    action = "report_to_police"
    at     = "6h"
  }
  note {
    team = "gold"
    text = "Ransom refused on NCA and NHS England advice. Crime reference 0924-LOCKD-113."
    at   = "6h5m"
  }
  respond {
    team   = "cyber_irt"
    action = "identify_initial_access"
    at     = "9h30m"
  }
  choose {
    team     = "gold"
    decision = "restore_order"
    option   = "lims_first"
    at       = "11h15m"
  }
  respond {
    team   = "infrastructure"
    action = "reset_privileged_credentials"
    at     = "12h"
  }
  respond {
    team   = "ig"
    action = "notify_ico"
    at     = "14h"
  }
  respond {
    team   = "infrastructure"
    action = "restore_clinical_systems"
    at     = "16h40m"
  }
  respond {
    team   = "gold"
    action = "hot_debrief"
    at     = "17h30m"
  }
  answer {
    team     = "cyber_irt"
    question = "module.detection.1"
    text     = "When the EDR alert showed svc_backup running vssadmin: the IRT duty lead declared it at 15:50."
    at       = "30m"
  }
  answer {
    team     = "gold"
    question = "module.crisis.1"
    text     = "Only the Chief Executive, after the NCA and NHS England have been told; the insurer is notified first."
    at       = "5h50m"
  }
  answer {
    team     = "cyber_irt"
    question = "inject.forensics-update.1"
    text     = "Patching of internet-facing systems is not owned by anyone; we need a monthly check of every gateway."
    at       = "8h20m"
  }
  choose {
    team     = "gold"
    decision = "tell_patients"
    option   = "verify_first"
    at       = "15h45m"
  }
}

# A trust that struggles: the report sits in the queue, the IRT starts without an escalation,
# nobody reports to the CSOC until the CSOC calls (so the report counts as prompted), Gold gives
# no network order in time (so "stay_connected" is recorded as its default), the backups are
# checked only after the catalogue is gone, Gold opens a chat with the attackers, and nobody
# tells the ICO.
rehearsal "hospital-struggling" {
  scenario = "hospital-ransomware"

  respond {
    team   = "service_desk"
    action = "log_report"
    at     = "25m"
  }
  respond {
    team   = "cyber_irt"
    action = "triage_alerts"
    at     = "50m"
  }
  escalate {
    from = "service_desk"
    to   = "cyber_irt"
    text = "More red screens, now Pharmacy too. Is this yours?"
    at   = "1h5m"
  }
  respond {
    team   = "cyber_irt"
    action = "isolate_hosts"
    at     = "1h20m"
  }
  # The IRT disables the accounts itself: a wrong_owner finding for Infrastructure.
  respond {
    team   = "cyber_irt"
    action = "disable_service_accounts"
    at     = "1h30m"
  }
  escalate {
    from = "cyber_irt"
    to   = "gold"
    text = "Ransomware spreading, EPR down. We need Gold."
    at   = "2h50m"
  }
  respond {
    team   = "cyber_irt"
    action = "report_to_csoc"
    at     = "3h"
  }
  respond {
    team   = "clinical_site"
    action = "go_to_paper"
    at     = "3h"
  }
  respond {
    team   = "gold"
    action = "declare_critical_incident"
    at     = "3h10m"
  }
  choose {
    team     = "clinical_site"
    decision = "divert"
    option   = "full_divert"
    at       = "4h30m"
  }
  choose {
    team     = "gold"
    decision = "ransom"
    option   = "negotiate"
    at       = "6h10m"
  }
  respond {
    team   = "comms"
    action = "press_statement"
    at     = "6h"
  }
  respond {
    team   = "infrastructure"
    action = "verify_offline_backups"
    at     = "7h20m"
  }
  choose {
    team     = "gold"
    decision = "restore_order"
    option   = "lims_first"
    at       = "11h30m"
  }
  note {
    team = "clinical_site"
    text = "Night site manager asking for clerical staff; nobody owns the request."
    at   = "10h45m"
  }
  respond {
    team   = "cyber_irt"
    action = "confirm_on_call"
    at     = "1h30m"
  }
  # The IRT pulls the HSCN link itself once Gold finally agrees: wrong_owner, and late.
  respond {
    team   = "cyber_irt"
    action = "disconnect_hscn"
    at     = "3h20m"
  }
  respond {
    team   = "comms"
    action = "staff_briefing"
    at     = "4h"
  }
  respond {
    team   = "clinical_site"
    action = "check_downtime_kits"
    at     = "4h"
  }
  respond {
    team   = "clinical_site"
    action = "request_divert"
    at     = "5h"
  }
  respond {
    team   = "cyber_irt"
    action = "preserve_evidence"
    at     = "6h"
  }
  respond {
    team   = "cyber_irt"
    action = "identify_initial_access"
    at     = "17h"
  }
  answer {
    team     = "service_desk"
    question = "module.detection.1"
    text     = "We thought it was a printer driver problem until Pharmacy called."
    at       = "1h"
  }
  choose {
    team     = "gold"
    decision = "tell_patients"
    option   = "wait_for_ico"
    at       = "16h"
  }
}
