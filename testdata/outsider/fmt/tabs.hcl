plan "fmt-c" {
	title = "Tabs"
	version = "1"



	team "desk" {
		title = "Desk"
		tier = 1
	}
}
