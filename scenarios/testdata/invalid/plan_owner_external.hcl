# Rule: (v2) an action's owner is not an external team.
# want: 12:13 External team as owner

plan "p" {
  team "a" { tier = 1 }
  team "ico" {
    tier     = 4
    external = true
  }
  severity "low" { level = 1 }
  action "x" {
    owner = team.ico
    phase = "detection"
    due   = "1h"
  }
}
