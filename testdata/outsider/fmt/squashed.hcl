plan "fmt-a" {
title="Squashed"
    version   =   "1"
  team "desk" {
  title = "Desk"   # trailing comment
      tier=1
  }
  severity "low" {
    level = 1
    title = "Low"
  }
}
