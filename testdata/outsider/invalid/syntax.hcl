plan "syntax-irp" {
  title   = "Broken syntax"
  version = "1"
  team "desk" {
    title = # want: expression
    tier  = 1
  }
  severity "low" {
    level = 1
    title = "Low"
  }
}
