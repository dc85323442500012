# Customer records exfiltrated through a vulnerable API, played against plan "northwind-irp".
#
# Facilitator notes. It starts at 21:40 on a Tuesday with an extortion e-mail in the Customer
# Care mailbox and runs three days, to 21:40 on Friday: exactly the UK GDPR Art. 33 window,
# which opens with the first inject because the sample in it can be checked in minutes
# (EDPB Guidelines 9/2022: a credible report with evidence makes the controller "aware").
# Plans that start the clock at "forensic confirmation" run out on Friday night with the DPO
# on leave. Other weak points it probes:
# - Customer Care treating the e-mail as spam or a complaint instead of escalating;
# - whether Security tells the DPO at night, and the out-of-date executive on-call list;
# - the shutdown decision: the narrowest effective containment, not the biggest switch;
# - who sends the Art. 34 notice to customers (owned by Comms, drafted by Legal);
# - the extortion demand, and whether a police report opens the door to NCA help.
scenario "customer-data-breach" {
  title      = "Customer records for sale"
  summary    = "An extortion e-mail with 25 real customer records lands in the Customer Care mailbox late on a Tuesday; by Thursday the data is on a leak site."
  plan       = "northwind-irp"
  duration   = "72h"
  start_time = "2026-06-09T21:40:00+01:00"

  objective "escalate" {
    title        = "Recognise the extortion e-mail as a breach and escalate it at night"
    capabilities = ["incident_reporting", "escalation", "analysis"]
  }
  objective "contain" {
    title        = "Stop the leak with the narrowest effective containment"
    capabilities = ["containment", "crisis_decisions"]
  }
  objective "notify" {
    title        = "Meet the legal and contractual notifications: ICO, customers, acquirer and police"
    capabilities = ["regulatory_reporting", "payments", "law_enforcement", "communications"]
  }

  module "discovery" {
    title = "Module 1: an e-mail with 25 real records"
    at    = "0s"
    questions = [
      "When did Northwind become aware of a personal data breach, in the sense of UK GDPR Art. 33?",
      "Who may Customer Care wake up at 22:00, and how do they know?",
    ]
  }
  module "containment" {
    title = "Module 2: the night before the sale"
    at    = "4h30m"
    questions = [
      "What is the narrowest change that stops the leak, and who may order it at 02:00?",
    ]
  }
  module "extortion" {
    title = "Module 3: the price"
    at    = "24h"
    questions = [
      "Who has the authority to refuse or pay an extortion demand, and who must agree first?",
    ]
  }
  module "disclosure" {
    title = "Module 4: telling 1.79 million customers"
    at    = "40h"
    questions = [
      "What would a customer whose order history is public need from us in the first hour?",
    ]
  }

  # The Art. 33 clock starts here (see the notes above), hence notify_ico in its triggers.
  inject "extortion-email" {
    at       = "0s"
    to       = [team.customer_care]
    channel  = "email"
    from     = "ShinyLeaks <shinyleaks@proton.me> to help@northwind-outfitters.co.uk"
    subject  = "We have your customers"
    body     = <<-EOT
      We have **1.8 million** Northwind customer records: names, addresses, phones, order history.
      Proof attached: `sample_25.csv`. You will hear our price in 24 hours. Tell the police and the price doubles.

      *Agent note (Kira, night shift):* I looked up three of the names in Salesforce. They are
      real customers and the order numbers match.
    EOT
    triggers = [action.log_report, action.escalate_to_security, action.notify_ico]
  }

  inject "stuffing-alert" {
    at       = "10m"
    to       = [team.security]
    channel  = "ticket"
    from     = "MSSP SOC (Sentinel), case 88213"
    subject  = "Credential stuffing against login: 41,200 successful logins"
    body     = <<-EOT
      2.3 million login attempts in 36 hours from about 14,000 residential proxy IPs.
      **41,200 successful logins**, most from accounts with no login in the past year.
      Rate limiting is per IP and never fired. Recommend blocking at the WAF.
    EOT
    triggers = [action.verify_sample, action.block_credential_stuffing]
  }

  # Only if Customer Care has not escalated within 45 minutes: the queue makes the point.
  inject "care-queue" {
    at      = "45m"
    when    = !action.escalate_to_security.done
    to      = [team.customer_care]
    channel = "chat"
    from    = "Customer Care night team leader"
    subject = "Customers asking if we have been hacked"
    body    = <<-EOT
      Three customers on live chat in the last 20 minutes say they got e-mails quoting their
      real order numbers and asking them to "confirm their card". The ShinyLeaks e-mail is still
      unassigned in the shared mailbox. Who is on call in Security tonight?
    EOT
  }

  inject "sample-matches" {
    at       = "1h15m"
    to       = [team.security, team.platform]
    channel  = "ticket"
    from     = "Database on-call (orders cluster)"
    subject  = "Sample matches live data, including fields only the orders API returns"
    body     = <<-EOT
      All 25 rows match `orders_db.customer_orders` exactly. Two columns, `card_last4` and
      `card_expiry`, are only ever returned by **GET /v2/orders/{id}**, not by the web shop.
      The data was read through the API, not dumped from the database.
    EOT
    severity = severity.operational
    triggers = [action.scope_access, action.preserve_evidence]
  }

  inject "idor-found" {
    at       = "3h"
    to       = [team.security, team.platform]
    channel  = "ticket"
    from     = "Priya Raman, principal engineer (API)"
    subject  = "/v2/orders does not check who owns the order"
    body     = <<-EOT
      `GET /v2/orders/{id}` checks that the session is valid but not that the order belongs
      to it. Any logged-in account can read any order by counting up. Gateway logs show
      **1.79 million sequential ids** read from 9,400 of the stuffed accounts since 2 June.
    EOT
    triggers = [action.disable_orders_api, action.fix_authorisation]
  }

  inject "checkout-impact" {
    at       = "4h"
    to       = [team.platform, team.security]
    channel  = "chat"
    from     = "E-commerce duty manager"
    subject  = "WAF rule is blocking real customers; app conversion down 40%"
    body     = <<-EOT
      Since the CAPTCHA and proxy blocks went in, 18% of legitimate logins fail and mobile app
      conversion is down 40% against last Tuesday. We are losing roughly **£85k an hour**
      overnight, more from 07:00. Marketing's summer sale e-mail goes to 2.9m people at 08:00.
    EOT
    severity = severity.continuity
    triggers = [action.reset_affected_accounts]
  }

  inject "api-decision" {
    at      = "4h30m"
    to      = [team.exec]
    channel = "sitrep"
    from    = "CISO, on call"
    subject = "Decision needed on the orders API before the 08:00 sale"
    body    = <<-EOT
      The leak is through one endpoint, /v2/orders. We can disable it alone (the app loses order
      history, checkout works), take the whole public API offline (the app stops), or keep it up
      behind a WAF rule that the attacker has already shown they can spread across 14,000 IPs.
    EOT

    decision "api_shutdown" {
      prompt = "What do you do with the public API?"
      options = {
        disable_endpoint = "Disable /v2/orders only; the app runs without order history"
        take_api_offline = "Take the whole public API offline until the fix is in"
        waf_rule_only    = "Keep everything up behind a tighter WAF rule"
      }
      credit     = { disable_endpoint = 1, take_api_offline = 0.5 } # offline works, at the cost of the whole app
      due        = "2h"                                             # the sale e-mail goes out at 08:00
      default    = "waf_rule_only"                                  # no order leaves everything up
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 2
    }
  }

  # Only if Security has not escalated to the executives: the on-call list is out of date.
  inject "exec-unreachable" {
    at      = "5h"
    when    = !action.escalate_to_exec.done
    to      = [team.security]
    channel = "phone"
    from    = "Night duty manager, head office"
    subject = "The executive on-call number rings out"
    body    = <<-EOT
      I tried the crisis on-call number from the plan: it forwards to Mark Ellis, who left in
      April. The rota on the intranet was last updated in March. Who do I wake up?
    EOT
  }

  inject "acquirer-call" {
    at       = "9h"
    to       = [team.fraud]
    channel  = "phone"
    from     = "Fraud analyst, Mercia Merchant Services (your acquirer)"
    subject  = "Common point of purchase: Northwind"
    body     = <<-EOT
      Our common-point-of-purchase analysis flags you: **312 cards** used fraudulently in the
      last 10 days were all used at Northwind first. Has card data been exposed? Under our
      merchant agreement we will require a PCI Forensic Investigator.
    EOT
    triggers = [action.engage_pfi]
  }

  inject "forensics-timeline" {
    at      = "18h"
    to      = [team.legal, team.exec]
    channel = "email"
    from    = "Kestrel DFIR, engagement lead"
    subject = "Initial findings, and how long the full scope will take"
    body    = <<-EOT
      Confirmed so far: 1.79m customers' names, postal and e-mail addresses, phone numbers,
      order history, card last four digits and expiry. **No full card numbers, no passwords.**
      A complete scope needs 5 to 7 more days of log analysis.
    EOT

    # Art. 33(4) allows information in phases: the right answer is an initial notification now.
    decision "ico_timing" {
      prompt = "How does the DPO handle the ICO notification?"
      options = {
        notify_initial_now = "Notify now with what we know, and follow up as forensics complete"
        wait_for_forensics = "Wait for the full forensic scope, then notify once"
        not_notifiable     = "Not notifiable: no full card numbers or passwords were taken"
      }
      decided_by = [team.legal] # the executives are told; the DPO decides
      expected   = "notify_initial_now"
      capability = "regulatory_reporting"
      phase      = "post_incident"
      weight     = 2
    }
  }

  inject "extortion-demand" {
    at       = "24h"
    to       = [team.exec]
    channel  = "email"
    from     = "ShinyLeaks <shinyleaks@proton.me>"
    subject  = "Our price"
    body     = <<-EOT
      **12 BTC** (about £700,000) by Friday 18:00 UTC. Then we delete everything and tell you how
      we got in. If not, all 1.8 million records go on our site and to three forums on Friday night.
      Proof we are serious: 50,000 records go up tomorrow morning.
    EOT
    triggers = [action.report_to_police]
    notes    = "If asked: the cyber insurer (Aldgate Specialty) must be told before any contact with the group; its panel negotiator is reachable within 2 hours."

    decision "extortion" {
      prompt = "The group wants 12 BTC by Friday 18:00. What does the Executive Crisis Team decide?"
      options = {
        refuse    = "Refuse, report to the police, and prepare for publication"
        pay       = "Pay, if the insurer agrees, to keep the data off the leak site"
        negotiate = "Engage the insurer's negotiator to buy time"
      }
      expected   = "refuse"
      capability = "crisis_decisions"
      phase      = "containment"
      weight     = 2
    }
  }

  # A reward, not a punishment: only if Legal reported the crime promptly.
  inject "nca-callback" {
    after   = inject.extortion-demand
    delay   = "2h"
    when    = action.report_to_police.done
    to      = [team.legal, team.security]
    channel = "phone"
    from    = "NCA National Cyber Crime Unit, duty officer"
    subject = "We know ShinyLeaks"
    body    = <<-EOT
      Thanks for the early report (ref. NCCU-2026-4471). ShinyLeaks re-extort victims who pay,
      typically within 60 days. We can share their leak-site infrastructure with your DFIR firm
      and ask hosting providers to take posts down. Can your DFIR lead call us at 09:00?
    EOT
  }

  # Only if the executives chose to pay: the insurer and sanctions questions arrive.
  inject "pay-pressure" {
    after   = inject.extortion-demand
    delay   = "11h"
    when    = decision.extortion.choice == "pay"
    to      = [team.exec, team.legal]
    channel = "chat"
    from    = "Chief Financial Officer"
    subject = "Insurer will not fund a payment without conditions"
    body    = <<-EOT
      The cyber insurer says payment needs their panel negotiator, an OFSI sanctions check on
      the wallet and a police report first. None of that is done. The board chair asks who
      authorised paying and whether the ICO has been told.
    EOT
  }

  inject "fix-ready" {
    at       = "30h"
    to       = [team.platform]
    channel  = "ticket"
    from     = "API squad lead"
    subject  = "Ownership check deployed; retest booked for 14:00"
    body     = <<-EOT
      The ownership check is live on /v2/orders in staging and production (still disabled at the
      gateway). The CREST tester retests at 14:00 Thursday. Sequential-read alerting is in place.
    EOT
    triggers = [action.restore_orders_api]
  }

  inject "leak-post" {
    at       = "36h"
    to       = [team.comms, team.security, team.customer_care]
    channel  = "social"
    from     = "@breachwatch (security researcher, 85k followers)"
    subject  = "50,000 Northwind Outfitters customer records posted"
    body     = <<-EOT
      ShinyLeaks just posted 50,000 @NorthwindOutfit customer records as "proof": names,
      addresses, phone numbers, order histories, card last 4 + expiry. Northwind have said
      nothing. Customers: watch for phishing using your order numbers.
    EOT
    severity = severity.crisis
  }

  inject "journalist" {
    after   = inject.leak-post
    delay   = "1h"
    to      = [team.comms, team.legal]
    channel = "news"
    from    = "TechWire"
    subject = "Northwind Outfitters customer data on leak site; retailer silent"
    body    = <<-EOT
      Records of up to 1.8m Northwind customers are being offered by the ShinyLeaks group,
      which says it contacted the retailer **on Tuesday night**. Northwind did not answer
      questions on when it knew, whether it has told the ICO, or whether card numbers are
      exposed. *Updated 10:40.*
    EOT
  }

  # Only if Comms has said nothing three hours after the leak.
  inject "customers-angry" {
    after   = inject.leak-post
    delay   = "3h"
    when    = !action.holding_statement.done
    to      = [team.customer_care, team.comms]
    channel = "social"
    from    = "Social listening dashboard"
    subject = "#NorthwindHacked trending: 4,100 mentions"
    body    = <<-EOT
      #NorthwindHacked is trending in the UK with 4,100 mentions in 3 hours, 71% negative.
      Live chat queue: **380 waiting**, average wait 2h05m. The top reply on our last post:
      "Why are we hearing this from Twitter?"
    EOT
  }

  inject "notify-customers-decision" {
    at      = "40h"
    to      = [team.exec]
    channel = "sitrep"
    from    = "DPO and Head of Communications"
    subject = "Notifying the 1.79m affected customers"
    body    = <<-EOT
      With names, addresses, phones and order history public, targeted phishing is likely: the
      risk to customers is high. The e-mail and SMS texts are ready; the send takes 9 hours.
      Customer Care can staff 60 extra agents from 08:00 Friday.
    EOT

    decision "customer_notification" {
      prompt = "How are the affected customers told?"
      options = {
        notify_all_now         = "E-mail and SMS every affected customer today, with specific advice"
        notify_after_forensics = "Wait for the PFI and DFIR reports, then notify"
        statement_only         = "A website statement only; no direct notification"
      }
      expected   = "notify_all_now"
      capability = "regulatory_reporting"
      phase      = "post_incident"
      weight     = 2
    }
  }

  inject "board-briefing" {
    at      = "48h"
    to      = [team.exec]
    channel = "email"
    from    = "Company Secretary"
    subject = "Board call at 08:00 Friday"
    body    = <<-EOT
      The Chair wants a 30-minute board call at 08:00: exposure, regulator status, customer
      numbers, cost to date, and whether the market needs an announcement. Papers by 07:00 please.
    EOT

    # A judgment call the plan leaves open: discussed, answered, never scored.
    decision "market_announcement" {
      prompt = "Does Northwind make a market announcement before the board call?"
      options = {
        announce_now    = "Announce now through the regulatory news service"
        after_board     = "Decide on the board call, with the brokers' advice"
        no_announcement = "No announcement: not price-sensitive"
      }
    }
  }

  # Only if the affected customers still have not been told.
  inject "phishing-wave" {
    at      = "58h"
    when    = !action.notify_customers.done
    to      = [team.customer_care, team.comms]
    channel = "email"
    from    = "Customer Care early shift"
    subject = "640 customers forwarding phishing e-mails with their real order numbers"
    body    = <<-EOT
      Since midnight, 640 customers have forwarded "Northwind refund: confirm your card" e-mails
      quoting their real order numbers and addresses. Two say they entered card details.
      What do we tell them? We have no script.
    EOT
  }

  # Only if the ICO has not been told by Friday morning: the deadline runs out tonight at 21:40.
  inject "ico-reminder" {
    at      = "60h"
    when    = !action.notify_ico.done
    to      = [team.legal]
    channel = "chat"
    from    = "Group General Counsel"
    subject = "When did our 72 hours start?"
    body    = <<-EOT
      It is Friday 09:40. If the clock started with the e-mail on Tuesday night, the ICO
      deadline is **21:40 tonight**. Where is the report? The DPO is on leave from 17:00.
    EOT
    prompts = [action.notify_ico]
    notes   = "A contingency inject: it plays only if Legal has not notified. A notification after it counts as prompted."
  }

  inject "stand-down" {
    at       = "66h"
    to       = [team.exec, team.legal, team.security]
    channel  = "sitrep"
    from     = "Incident manager"
    subject  = "Standing down the crisis cell at 20:00"
    body     = <<-EOT
      Orders API back behind the fix, PFI on site Monday, helpline running at 60 agents.
      The crisis cell stands down at 20:00; the post-incident review needs an owner and a date.
    EOT
    triggers = [action.lessons_learned]
  }
}
