plan "fmt-f" { title = "One line" }
plan   "fmt-g"   {
  after = [ action.a , action.b ]
  x = 1+2
  y = !true
  z = a.b [0]
}