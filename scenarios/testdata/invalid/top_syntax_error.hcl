# Rule: syntax errors are reported with their place.
# want: 5:18 Missing newline after argument

plan "p" {
  title = "Acme" "IRP"
  team "a" { tier = 1 }
  team "b" { tier = 2 }
  severity "low" { level = 1 }
  severity "high" { level = 2 }
  action "x" {
    owner = team.a
    phase = "detection"
    due   = "1h"
    on_severity = severity.low
  }
}
