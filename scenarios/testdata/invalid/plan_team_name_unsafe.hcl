# Rule: (v2, issue 15) a team name is made of safe (ASCII) characters.
# want: 6:8 Invalid team name

plan "p" {
  team "a" { tier = 1 }
  team "équipe" { tier = 2 }
  severity "low" { level = 1 }
}
