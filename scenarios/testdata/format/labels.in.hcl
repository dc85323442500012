plan acme {
  team /* a comment */ "irt" {
    tier = 2
  }
}
rehearsal    "r"   {
  scenario="s"
  note{
    team="a"
    text = "b"
    at="1m"
  }
}
