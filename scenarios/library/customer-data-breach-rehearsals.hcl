# Two scripted teams for "customer-data-breach".

# A team that knows its plan: Customer Care escalates within 20 minutes, the DPO hears at
# night, the executives are reached before the on-call list fails them, the ICO is told on
# Wednesday, the extortion is refused and reported (so the NCA calls back), and customers are
# told on Thursday. One slip: the forced password resets finish half an hour late.
rehearsal "breach-strong" {
  scenario = "customer-data-breach"

  respond {
    team   = "customer_care"
    action = "log_report"
    at     = "8m"
  }
  escalate {
    from = "customer_care"
    to   = "security"
    text = "Extortion e-mail with 25 real customer records in help@. Logged as security incident SEC-2291."
    at   = "20m"
  }
  respond {
    team   = "platform"
    action = "block_credential_stuffing"
    at     = "40m"
  }
  respond {
    team   = "security"
    action = "verify_sample"
    at     = "50m"
  }
  respond {
    team   = "platform"
    action = "verify_log_retention"
    at     = "1h30m"
  }
  escalate {
    from = "security"
    to   = "legal"
    text = "Confirmed personal data breach: customer records read through the orders API. Art. 33 clock started 21:40."
    at   = "1h35m"
  }
  respond {
    team   = "security"
    action = "activate_retainer"
    at     = "2h"
  }
  respond {
    team   = "legal"
    action = "legal_hold"
    at     = "3h"
  }
  respond {
    team   = "platform"
    action = "disable_orders_api"
    at     = "3h40m"
  }
  escalate {
    from = "security"
    to   = "exec"
    text = "Breach of up to 1.8m customer records; trading impact from our WAF block. Need a decision on the API."
    at   = "4h15m"
  }
  choose {
    team     = "exec"
    decision = "api_shutdown"
    option   = "disable_endpoint"
    at       = "4h45m"
  }
  respond {
    team   = "security"
    action = "preserve_evidence"
    at     = "4h50m"
  }
  respond {
    team   = "security"
    action = "scope_access"
    at     = "5h"
  }
  respond {
    team   = "platform"
    action = "reset_affected_accounts"
    at     = "8h30m"
  }
  respond {
    team   = "fraud"
    action = "notify_acquirer"
    at     = "8h30m"
  }
  choose {
    team     = "legal"
    decision = "ico_timing"
    option   = "notify_initial_now"
    at       = "18h30m"
  }
  respond {
    team   = "fraud"
    action = "engage_pfi"
    at     = "20h"
  }
  respond {
    team   = "legal"
    action = "notify_ico"
    at     = "22h"
  }
  choose {
    team     = "exec"
    decision = "extortion"
    option   = "refuse"
    at       = "24h30m"
  }
  respond {
    team   = "legal"
    action = "report_to_police"
    at     = "25h"
  }
  respond {
    team   = "platform"
    action = "fix_authorisation"
    at     = "26h"
  }
  respond {
    team   = "platform"
    action = "restore_orders_api"
    at     = "34h"
  }
  respond {
    team   = "comms"
    action = "holding_statement"
    at     = "37h"
  }
  choose {
    team     = "exec"
    decision = "customer_notification"
    option   = "notify_all_now"
    at       = "40h20m"
  }
  respond {
    team   = "customer_care"
    action = "breach_helpline"
    at     = "44h"
  }
  respond {
    team   = "comms"
    action = "notify_customers"
    at     = "46h"
  }
  respond {
    team   = "exec"
    action = "lessons_learned"
    at     = "70h"
  }
  answer {
    team     = "legal"
    question = "module.discovery.1"
    text     = "At 21:55, when Customer Care matched three sample records to real customers: the 72 hours run from then."
    at       = "1h"
  }
  answer {
    team     = "exec"
    question = "module.extortion.1"
    text     = "The CEO, after the insurer, the NCA and the board chair; the policy is not to pay."
    at       = "24h20m"
  }
  choose {
    team     = "exec"
    decision = "market_announcement"
    option   = "after_board"
    at       = "48h30m"
  }
}

# A team that follows habit, not the plan: the e-mail sits in the mailbox, Security blocks the
# attack itself, nobody tells the DPO until Wednesday, the executives are found only after the
# on-call number fails, they take the whole API down and agree to pay, and the ICO report goes
# in two hours before the deadline.
rehearsal "breach-struggling" {
  scenario = "customer-data-breach"

  respond {
    team   = "customer_care"
    action = "log_report"
    at     = "40m"
  }
  escalate {
    from = "customer_care"
    to   = "security"
    text = "Customers on chat asking if we were hacked; there is a weird e-mail in help@ from Tuesday."
    at   = "1h10m"
  }
  respond {
    team   = "security"
    action = "verify_sample"
    at     = "1h40m"
  }
  # Security blocks the proxies itself instead of asking Platform: wrong_owner.
  respond {
    team   = "security"
    action = "block_credential_stuffing"
    at     = "2h"
  }
  escalate {
    from = "security"
    to   = "exec"
    text = "Exec on-call number is dead. Possible data breach, need someone senior."
    at   = "5h20m"
  }
  respond {
    team   = "platform"
    action = "disable_orders_api"
    at     = "5h30m"
  }
  choose {
    team     = "exec"
    decision = "api_shutdown"
    option   = "take_api_offline"
    at       = "5h30m"
  }
  respond {
    team   = "fraud"
    action = "notify_acquirer"
    at     = "10h"
  }
  respond {
    team   = "security"
    action = "scope_access"
    at     = "14h"
  }
  choose {
    team     = "legal"
    decision = "ico_timing"
    option   = "wait_for_forensics"
    at       = "19h"
  }
  escalate {
    from = "security"
    to   = "legal"
    text = "FYI the breach involves customer personal data."
    at   = "20h"
  }
  choose {
    team     = "exec"
    decision = "extortion"
    option   = "pay"
    at       = "25h"
  }
  choose {
    team     = "exec"
    decision = "customer_notification"
    option   = "notify_all_now"
    at       = "40h30m"
  }
  respond {
    team   = "comms"
    action = "holding_statement"
    at     = "41h"
  }
  note {
    team = "customer_care"
    text = "No script for the phishing calls; agents improvising."
    at   = "58h30m"
  }
  respond {
    team   = "legal"
    action = "notify_ico"
    at     = "71h30m"
  }
  respond {
    team   = "platform"
    action = "reset_affected_accounts"
    at     = "16h"
  }
  respond {
    team   = "legal"
    action = "legal_hold"
    at     = "22h"
  }
  respond {
    team   = "legal"
    action = "report_to_police"
    at     = "30h"
  }
  respond {
    team   = "platform"
    action = "fix_authorisation"
    at     = "40h"
  }
  respond {
    team   = "fraud"
    action = "engage_pfi"
    at     = "40h"
  }
  respond {
    team   = "customer_care"
    action = "breach_helpline"
    at     = "50h"
  }
  answer {
    team     = "customer_care"
    question = "module.discovery.1"
    text     = "When the forensic investigators confirm it."
    at       = "3h"
  }
  choose {
    team     = "exec"
    decision = "market_announcement"
    option   = "no_announcement"
    at       = "49h"
  }
}
