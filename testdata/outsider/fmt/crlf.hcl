rehearsal "fmt-e" {
  scenario="fmt-b"
  note {
    team="desk"
    text = "crlf"
    at="1m"
  }
}
