# Rule: (v2) a plan has at least one team that is not external.
# want: 4:1 No team of the organisation

plan "p" {
  team "ico" {
    tier     = 4
    external = true
  }
  severity "low" { level = 1 }
}
