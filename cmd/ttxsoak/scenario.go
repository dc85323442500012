package main

import (
	"fmt"
	"strings"
	"testing/fstest"
)

// soakTeams is how many teams the generated plan has; clients are spread over them.
const soakTeams = 6

func teamName(i int) string { return fmt.Sprintf("team%d", i) }

// actionName is the response action team i owns.
func actionName(i int) string { return fmt.Sprintf("act%d", i) }

// soakLibrary is the generated plan and a long scenario of it: an inject every two simulated
// minutes for 72 hours, each to one or two teams, every tenth with a decision, so that at a
// high speed the scheduler writes to the log all the time while the participants do.
func soakLibrary() fstest.MapFS {
	var plan strings.Builder
	plan.WriteString("plan \"soak-plan\" {\n  title   = \"Soak plan\"\n  version = \"1\"\n")
	for i := range soakTeams {
		fmt.Fprintf(&plan, "\n  team %q {\n    title = \"Team %d\"\n    tier  = %d\n  }\n", teamName(i), i, 1+i%4)
	}
	plan.WriteString(`
  severity "low" {
    level = 1
    title = "Low"
  }
  severity "high" {
    level = 2
    title = "High"
  }
`)
	for i := range soakTeams {
		fmt.Fprintf(&plan, `
  action %q {
    title      = "Action of team %d"
    owner      = team.%s
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }
`, actionName(i), i, teamName(i))
	}
	plan.WriteString("}\n")

	var sc strings.Builder
	sc.WriteString(`scenario "soak" {
  title    = "Soak"
  summary  = "Injects every two minutes for three days."
  plan     = "soak-plan"
  duration = "72h"
`)
	for i := range 72 * 30 {
		to := "team." + teamName(i%soakTeams)
		if i%3 == 0 {
			to += ", team." + teamName((i+1)%soakTeams)
		}
		fmt.Fprintf(&sc, `
  inject "i%04d" {
    at       = "%dm"
    to       = [%s]
    channel  = "chat"
    subject  = "Update %d"
    body     = "Something **happens**: update %d."
    triggers = [action.%s]
`, i, 2*(i+1), to, i, i, actionName(i%soakTeams))
		if i%10 == 0 {
			fmt.Fprintf(&sc, `
    decision "d%04d" {
      prompt = "Which way?"
      options = {
        left  = "Left"
        right = "Right"
      }
      expected = "left"
    }
`, i)
		}
		sc.WriteString("  }\n")
	}
	sc.WriteString("}\n")
	return fstest.MapFS{
		"plan.hcl": {Data: []byte(plan.String())},
		"soak.hcl": {Data: []byte(sc.String())},
	}
}
