scenario "no-plan" {
  title    = "A plan that does not exist"
  plan     = "atlantis-irp" # want: atlantis-irp
  duration = "1h"

  inject "only" {
    at      = "0s"
    to      = [team.ops]
    channel = "phone"
    subject = "Only"
  }
}
