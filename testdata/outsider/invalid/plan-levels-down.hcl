# The ladder is written lowest first; a level lower than the one before breaks it.
plan "ladder-irp" {
  title   = "Ladder upside down"
  version = "1"
  team "desk" {
    title = "Desk"
    tier  = 1
  }
  severity "big" {
    level = 3
    title = "Big"
  }
  severity "small" {
    level = 1 # want: level
    title = "Small"
  }
}
