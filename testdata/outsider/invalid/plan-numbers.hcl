plan "numbers-irp" {
  title   = "Bad numbers"
  version = "3"

  team "zero" {
    title = "Tier zero"
    tier  = 0 # want: tier
  }
  team "negative" {
    title = "Negative tier"
    tier  = -2 # want: tier
  }
  team "ok" {
    title = "Fine"
    tier  = 1
  }

  severity "nothing" {
    level = 0 # want: level
    title = "Level zero"
  }
  severity "some" {
    level = 2
    title = "Some"
  }
  severity "same" {
    level = 2 # want: level
    title = "Same level as the one before"
  }
  severity "most" {
    level = 7
    title = "Most"
  }
}
