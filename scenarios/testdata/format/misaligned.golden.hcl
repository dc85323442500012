# A plan written by hand, badly laid out.
plan "acme-irp" {
  title   = "Acme"
  version = "2.1"
  team "irt" {
    title = "Incident Response Team"
    tier  = 2
  }
  action "contain" {
    title  = "Isolate"
    owner  = team.irt
    phase  = "containment" # trailing comment
    due    = "1h"
    after  = [action.a, action.b]
    weight = 2
  }
}
