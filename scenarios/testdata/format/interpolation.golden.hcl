scenario "s" {
  plan     = "p"
  title    = "Hello ${name} there"
  summary  = "${a}${b}"
  duration = "8h"
  inject "x" {
    subject = ("a" == "b" ?
    "c" : "d")
    body = <<-EOT
      Text   with   spaces
        kept as written
    EOT
  }
}
