scenario "fmt-b" {
  title = "Heredoc and objects"
  plan = "fmt-a"
  duration = "1h"
  inject "one" {
    at = "0s"
    to = [team.desk,team.desk]
    channel = "email"
    subject = "Hi"
    body = <<-EOT
        Indented **body**
          stays as written
    EOT
    decision "d" {
      prompt = "?"
      options = {
        a = "A"
        longer_key = "B"
      }
      expected = "a"
      capability = "c"
      phase = "containment"
    }
  }
}
