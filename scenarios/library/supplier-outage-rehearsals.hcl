# Two scripted teams for "supplier-outage".

# A bank whose plan works: Supplier Management reaches Quayside within the hour, the BCP is
# invoked within 45 minutes of the ransomware news, the DORA notification goes in on Thursday
# afternoon (so the Central Bank acknowledges it), salaries are advanced within the cap and
# the bank reconnects only after assurance. One slip: nobody can find the current exit plan
# until the evening.
rehearsal "supplier-strong" {
  scenario = "supplier-outage"

  respond {
    team   = "branch_ops"
    action = "log_report"
    at     = "5m"
  }
  escalate {
    from = "branch_ops"
    to   = "it_ops"
    text = "App down, agents' Quayside desktop timing out, cards declining. Major incident MI-0924."
    at   = "15m"
  }
  respond {
    team   = "it_ops"
    action = "confirm_supplier_outage"
    at     = "35m"
  }
  respond {
    team   = "vendor_mgmt"
    action = "check_supplier_contacts"
    at     = "50m"
  }
  respond {
    team   = "it_ops"
    action = "confirm_rto_rpo"
    at     = "1h30m"
  }
  respond {
    team   = "compliance"
    action = "classify_major"
    at     = "2h"
  }
  respond {
    team   = "it_ops"
    action = "cut_supplier_connectivity"
    at     = "2h45m"
  }
  escalate {
    from = "it_ops"
    to   = "exec"
    text = "Quayside confirms ransomware; all services offline, no ETA. Recommend invoking the BCP."
    at   = "2h50m"
  }
  respond {
    team   = "exec"
    action = "invoke_bcp"
    at     = "3h15m"
  }
  respond {
    team   = "branch_ops"
    action = "branch_workaround"
    at     = "3h45m"
  }
  respond {
    team   = "comms"
    action = "member_comms"
    at     = "4h"
  }
  respond {
    team   = "payments"
    action = "manual_payments"
    at     = "5h"
  }
  respond {
    team   = "it_ops"
    action = "rotate_shared_credentials"
    at     = "6h"
  }
  respond {
    team   = "compliance"
    action = "dora_initial_notification"
    at     = "6h30m"
  }
  respond {
    team   = "vendor_mgmt"
    action = "review_exit_plan"
    at     = "11h"
  }
  choose {
    team     = "exec"
    decision = "salary_credit"
    option   = "advance_capped"
    at       = "9h20m"
  }
  respond {
    team   = "vendor_mgmt"
    action = "invoke_contract_notice"
    at     = "10h"
  }
  respond {
    team   = "payments"
    action = "salary_file"
    at     = "13h"
  }
  respond {
    team   = "it_ops"
    action = "ioc_sweep"
    at     = "19h"
  }
  choose {
    team     = "exec"
    decision = "stressed_exit"
    option   = "prepare_exit"
    at       = "22h30m"
  }
  respond {
    team   = "exec"
    action = "board_briefing"
    at     = "23h"
  }
  choose {
    team     = "exec"
    decision = "reconnect"
    option   = "reconnect_after_assurance"
    at       = "26h20m"
  }
  respond {
    team   = "it_ops"
    action = "assurance_before_reconnect"
    at     = "30h"
  }
  respond {
    team   = "payments"
    action = "reconcile"
    at     = "35h"
  }
  respond {
    team   = "vendor_mgmt"
    action = "lessons_learned"
    at     = "35h30m"
  }
  answer {
    team     = "vendor_mgmt"
    question = "module.outage.1"
    text     = "Quayside's service delivery manager, checked at the quarterly review in July; the out-of-hours number is in the BCP annex."
    at       = "30m"
  }
  answer {
    team     = "exec"
    question = "module.reconnect.1"
    text     = "The IR firm's letter, our own IoC sweep and a named Quayside engineer on the bridge; the CIO signs off."
    at       = "22h45m"
  }
  choose {
    team     = "compliance"
    decision = "leak_response"
    option   = "notify_dpc_now"
    at       = "20h30m"
  }
}

# A bank that finds its plan's gaps the hard way: the supplier contact is stale, Payments
# starts manual payments before anyone invokes the BCP, members hear nothing until the press
# does, salaries are held, the DORA notification goes in at 06:10 on Friday without a
# classification, and the bank reconnects as soon as Quayside asks.
rehearsal "supplier-struggling" {
  scenario = "supplier-outage"

  respond {
    team   = "branch_ops"
    action = "log_report"
    at     = "30m"
  }
  respond {
    team   = "it_ops"
    action = "confirm_supplier_outage"
    at     = "1h20m"
  }
  escalate {
    from = "branch_ops"
    to   = "it_ops"
    text = "Still no app. Members angry. Who is looking at this?"
    at   = "1h40m"
  }
  respond {
    team   = "vendor_mgmt"
    action = "check_supplier_contacts"
    at     = "3h"
  }
  # Payments starts the workaround on its own initiative, before the BCP is invoked.
  respond {
    team   = "payments"
    action = "manual_payments"
    at     = "4h15m"
  }
  escalate {
    from = "it_ops"
    to   = "exec"
    text = "Quayside down all morning, ransomware. Thought you should know."
    at   = "4h30m"
  }
  respond {
    team   = "it_ops"
    action = "cut_supplier_connectivity"
    at     = "5h"
  }
  respond {
    team   = "exec"
    action = "invoke_bcp"
    at     = "5h"
  }
  respond {
    team   = "branch_ops"
    action = "branch_workaround"
    at     = "5h30m"
  }
  choose {
    team     = "exec"
    decision = "salary_credit"
    option   = "wait_for_quayside"
    at       = "10h"
  }
  respond {
    team   = "comms"
    action = "member_comms"
    at     = "14h"
  }
  choose {
    team     = "exec"
    decision = "stressed_exit"
    option   = "prepare_exit"
    at       = "22h40m"
  }
  respond {
    team   = "compliance"
    action = "dora_initial_notification"
    at     = "23h"
  }
  respond {
    team   = "compliance"
    action = "classify_major"
    at     = "23h30m"
  }
  choose {
    team     = "exec"
    decision = "reconnect"
    option   = "reconnect_now"
    at       = "26h10m"
  }
  note {
    team = "payments"
    text = "Two of four portal authorisers on leave; 1,400 payments still queued at 17:00."
    at   = "10h"
  }
  respond {
    team   = "it_ops"
    action = "rotate_shared_credentials"
    at     = "9h"
  }
  respond {
    team   = "vendor_mgmt"
    action = "invoke_contract_notice"
    at     = "20h"
  }
  respond {
    team   = "vendor_mgmt"
    action = "review_exit_plan"
    at     = "20h"
  }
  respond {
    team   = "it_ops"
    action = "ioc_sweep"
    at     = "24h"
  }
  respond {
    team   = "exec"
    action = "board_briefing"
    at     = "26h"
  }
  answer {
    team     = "branch_ops"
    question = "module.outage.1"
    text     = "We do not know; the account manager left in the spring."
    at       = "2h"
  }
  choose {
    team     = "compliance"
    decision = "leak_response"
    option   = "await_quayside"
    at       = "21h"
  }
}
