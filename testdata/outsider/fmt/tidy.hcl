# Already canonical.
plan "fmt-d" {
  title   = "Tidy"
  version = "1"

  team "desk" {
    title = "Desk"
    tier  = 1
  }
}
