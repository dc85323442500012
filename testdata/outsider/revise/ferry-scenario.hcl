scenario "engine-fire" {
  title    = "Engine room fire"
  plan     = "ferry-irp"
  duration = "3h"

  inject "smoke" {
    at       = "0s"
    to       = [team.bridge, team.shore]
    channel  = "phone"
    subject  = "Smoke from the engine room"
    triggers = [action.log_position, action.muster, action.report_coastguard, action.brief_board]
  }
}
