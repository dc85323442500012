# Two scripted rooms for "water-dosing": facilitators dry-run the timings with them, and tests
# use them as teams that always answer the same way.

# A well-drilled company: the operator reverses the change in three minutes and escalates, OT
# Security cuts the remote access, the IMT isolates the works and the DWI hears within the
# hour. One slip: the customer advice goes out an hour and a half late.
rehearsal "water-strong" {
  scenario = "water-dosing"

  respond {
    team   = "control_room"
    action = "reverse_setpoint"
    at     = "3m"
  }
  respond {
    team   = "control_room"
    action = "log_anomaly"
    at     = "8m"
  }
  escalate {
    from = "control_room"
    to   = "ot_security"
    text = "Remote session changed the NaOH setpoint at Longmere; reversed at 13:31. Treating as a cyber incident."
    at   = "12m"
  }
  answer {
    team     = "control_room"
    question = "module.cursor.1"
    text     = "Reverse the change, log it, call OT Security. None of it is in the operator's procedure; we did it from memory."
    at       = "30m"
  }
  answer {
    team     = "ot_security"
    question = "module.cursor.2"
    text     = "The OT security lead, under the contract's emergency clause; the vendor's weekend number is in the contract annex."
    at       = "45m"
  }
  respond {
    team   = "ot_security"
    action = "disable_remote_access"
    at     = "2h15m"
  }
  respond {
    team   = "control_room"
    action = "manual_control"
    at     = "2h20m"
  }
  respond {
    team   = "water_quality"
    action = "sample_water"
    at     = "2h40m"
  }
  respond {
    team   = "ot_security"
    action = "preserve_hmi_evidence"
    at     = "3h10m"
  }
  choose {
    team     = "imt"
    decision = "supply"
    option   = "isolate_works"
    at       = "3h15m"
  }
  respond {
    team   = "imt"
    action = "convene_imt"
    at     = "3h20m"
  }
  escalate {
    from = "water_quality"
    to   = "dwi"
    text = "Event notification: Longmere NaOH setpoint changed remotely at 13:28, reversed at 13:31; works isolated, samples at the laboratory."
    at   = "3h30m"
  }
  respond {
    team   = "it_security"
    action = "check_it_ot_boundary"
    at     = "3h40m"
  }
  answer {
    team     = "imt"
    question = "module.intrusion.1"
    text     = "Any doubt about what went into supply isolates the works; do-not-drink only on a failed sample."
    at       = "4h"
  }
  answer {
    team     = "ot_security"
    question = "inject.forensics-findings.1"
    text     = "Patient and careful: they were learning the process. Assume the other two works were visited the same way."
    at       = "5h30m"
  }
  respond {
    team   = "comms"
    action = "customer_advice"
    at     = "6h30m"
  }
  choose {
    team     = "imt"
    decision = "tell_customers"
    option   = "full_account"
    at       = "6h45m"
  }
  escalate {
    from = "it_security"
    to   = "ncsc"
    text = "Incident report: remote desktop ID 841 552 907, three works, shared vendor password. IoCs attached."
    at   = "8h"
  }
  answer {
    team     = "imt"
    question = "module.confidence.2"
    text     = "An operator procedure for an HMI that moves by itself; vendor access only on request, with its own accounts."
    at       = "24h10m"
  }
  respond {
    team   = "imt"
    action = "lessons_learned"
    at     = "24h20m"
  }
}

# A company that struggles: the operator waits for the pH alarm before reversing the change
# (so the reversal counts as prompted), calls it a glitch for an hour, the remote access stays
# on until the afternoon, the IMT gives no supply decision in time (so "keep_supplying" is
# recorded as its default), IT images the HMI without OT, and the DWI hears from a journalist.
rehearsal "water-struggling" {
  scenario = "water-dosing"

  respond {
    team   = "control_room"
    action = "reverse_setpoint"
    at     = "14m"
  }
  respond {
    team   = "control_room"
    action = "log_anomaly"
    at     = "1h"
  }
  escalate {
    from = "control_room"
    to   = "ot_security"
    text = "Odd behaviour on the HMI earlier, probably a glitch. Can someone look on Monday?"
    at   = "1h30m"
  }
  answer {
    team     = "control_room"
    question = "module.cursor.1"
    text     = "We would restart the HMI and carry on."
    at       = "1h40m"
  }
  respond {
    team   = "ot_security"
    action = "disable_remote_access"
    at     = "3h30m"
  }
  respond {
    team   = "water_quality"
    action = "sample_water"
    at     = "4h30m"
  }
  respond {
    team   = "imt"
    action = "convene_imt"
    at     = "5h"
  }
  respond {
    team   = "it_security"
    action = "preserve_hmi_evidence"
    at     = "5h"
  }
  escalate {
    from = "water_quality"
    to   = "dwi"
    text = "Following your call: there was a process event at Longmere this afternoon."
    at   = "5h20m"
  }
  choose {
    team     = "imt"
    decision = "tell_customers"
    option   = "no_comment"
    at       = "7h"
  }
  respond {
    team   = "imt"
    action = "lessons_learned"
    at     = "24h30m"
  }
}
