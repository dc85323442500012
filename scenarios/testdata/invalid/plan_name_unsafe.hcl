# Rule: (v2, issue 15) a plan name is made of safe characters.
# want: 4:6 Invalid plan name | letters, digits, _, - and .

plan "acme irp" {
  team "a" { tier = 1 }
  severity "low" { level = 1 }
}
