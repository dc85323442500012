# Harrow Vale Water: operational technology incident response plan.
#
# Exercised by scenario "water-dosing", a tabletop in the shape of CISA's Tabletop Exercise
# Packages (CTEPs): three modules of discussion, then the hot wash. The Control Room operators
# report and act first (tier 1); OT Security & Engineering and IT Security Operations respond
# (tier 2); Water Quality and Customer Communications support (tier 3); the Incident Management
# Team decides (tier 4). The Drinking Water Inspectorate and the NCSC are outside the company:
# someone from control plays them, and a notification to them is an escalation to them.
plan "harrow-vale-ot-irp" {
  title   = "Harrow Vale Water OT incident response plan"
  version = "1.4"

  team "control_room" {
    title = "Control Room Operators"
    tier  = 1
  }
  team "ot_security" {
    title = "OT Security & Engineering"
    tier  = 2
  }
  team "it_security" {
    title = "IT Security Operations"
    tier  = 2
  }
  team "water_quality" {
    title = "Water Quality & Public Health"
    tier  = 3
  }
  team "comms" {
    title = "Customer Communications"
    tier  = 3
  }
  team "imt" {
    title = "Incident Management Team"
    tier  = 4
  }

  # --- outside the company: played by control, never scored ---

  team "dwi" {
    title    = "Drinking Water Inspectorate"
    tier     = 4
    external = true
  }
  team "ncsc" {
    title    = "National Cyber Security Centre"
    tier     = 3
    external = true
  }

  severity "local" {
    level = 1
    title = "Process anomaly at one works"
  }
  severity "operational" {
    level = 2
    title = "Cyber incident on the OT network"
  }
  severity "continuity" {
    level = 3
    title = "Water supply or quality at risk"
  }
  severity "crisis" {
    level = 4
    title = "Public health emergency"
  }

  # --- detection ---

  action "log_anomaly" {
    title      = "Log the anomaly in the control room log and the SCADA event journal"
    owner      = team.control_room
    phase      = "detection"
    capability = "incident_reporting"
    due        = "15m"
  }

  action "escalate_to_ot" {
    title       = "Escalate to OT Security & Engineering as a suspected cyber incident"
    owner       = team.control_room
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    after       = [action.log_anomaly]
    escalate_to = team.ot_security
  }

  action "check_it_ot_boundary" {
    title      = "Check the IT/OT firewall and the jump host for the source of the session"
    owner      = team.it_security
    phase      = "detection"
    capability = "analysis"
    due        = "2h"
  }

  # --- containment: the safety steps ---

  action "reverse_setpoint" {
    title      = "Return the sodium hydroxide setpoint to its normal value and confirm the dosing rate"
    owner      = team.control_room
    phase      = "containment"
    capability = "process_safety"
    due        = "10m"
    weight     = 3
    critical   = true # caustic overdose reaches the contact tank in under an hour
  }

  action "manual_control" {
    title       = "Put chemical dosing under local manual control with a second operator on site"
    owner       = team.control_room
    phase       = "containment"
    capability  = "process_safety"
    due         = "30m"
    on_severity = severity.operational
    weight      = 2
    critical    = true
  }

  action "disable_remote_access" {
    title      = "Disable every remote access path into the OT network: vendor remote desktop and engineers' VPN"
    owner      = team.ot_security
    phase      = "containment"
    capability = "containment"
    due        = "30m"
    after      = [action.escalate_to_ot]
    weight     = 2
    critical   = true
  }

  action "preserve_hmi_evidence" {
    title      = "Image the HMI workstation and export the remote-access and historian logs"
    owner      = team.ot_security
    phase      = "containment"
    capability = "forensics"
    due        = "4h"
    after      = [action.disable_remote_access]
  }

  # --- recovery ---

  action "sample_water" {
    title       = "Sample and test at the works outlet and the two service reservoirs it feeds"
    owner       = team.water_quality
    phase       = "recovery"
    capability  = "water_quality"
    due         = "1h"
    on_severity = severity.operational
    weight      = 2
  }

  action "convene_imt" {
    title       = "Convene the Incident Management Team and set the incident's objectives"
    owner       = team.imt
    phase       = "containment"
    capability  = "command_and_control"
    due         = "1h"
    on_severity = severity.continuity
    weight      = 2
  }

  action "customer_advice" {
    title       = "Publish customer advice on the website and brief the contact centre"
    owner       = team.comms
    phase       = "recovery"
    capability  = "communications"
    due         = "2h"
    on_severity = severity.continuity
  }

  # --- post-incident: the regulators and lessons learned ---

  action "notify_dwi" {
    title       = "Notify the Drinking Water Inspectorate of the water quality event by telephone"
    owner       = team.water_quality
    phase       = "post_incident"
    capability  = "regulatory_reporting"
    due         = "1h"
    on_severity = severity.continuity
    fixed       = true # the company's undertaking to the DWI for events at a works
    weight      = 2
    escalate_to = team.dwi
  }

  action "notify_ncsc" {
    title       = "Report the incident to the NCSC and share the indicators of compromise"
    owner       = team.it_security
    phase       = "post_incident"
    capability  = "external_reporting"
    due         = "24h"
    on_severity = severity.operational
    escalate_to = team.ncsc
  }

  action "lessons_learned" {
    title      = "Name the owner and date of the post-incident review"
    owner      = team.imt
    phase      = "post_incident"
    capability = "lessons_learned"
    due        = "1h"
  }
}
