package main

import (
	"fmt"
	"strings"
	"testing/fstest"
	"time"
)

// The generated exercises: one plan of benchTeams teams with actionsPerTeam actions each, a
// scenario of any number of injects spread over a span of simulated time, and a rehearsal of
// scripted responses to it. Everything is deterministic: the same sizes give the same bytes.

const (
	benchPlan      = "bench-plan"
	actionsPerTeam = 8
	benchSpan      = 72 * time.Hour
)

// teamName and actionName name the generated plan's teams and actions.
func teamName(i int) string      { return fmt.Sprintf("t%d", i) }
func actionName(t, j int) string { return fmt.Sprintf("a%d_%d", t, j) }

var phases = []string{"detection", "containment", "eradication", "recovery", "post_incident", "preparation"}

// planHCL writes a plan of teams teams (tiers 1 to 4 in turn), a four-level severity ladder,
// and actionsPerTeam actions per team: chained with after, the first of each team escalating
// to the next team, the last of each triggered by a severity.
func planHCL(teams int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "plan %q {\n  title   = \"Generated plan for benchmarks\"\n  version = \"1\"\n\n", benchPlan)
	for t := 0; t < teams; t++ {
		fmt.Fprintf(&b, "  team %q {\n    title = \"Team %d\"\n    tier  = %d\n  }\n", teamName(t), t, t%4+1)
	}
	for l := 1; l <= 4; l++ {
		fmt.Fprintf(&b, "  severity \"s%d\" {\n    level = %d\n    title = \"Level %d\"\n  }\n", l, l, l)
	}
	for t := 0; t < teams; t++ {
		for j := 0; j < actionsPerTeam; j++ {
			fmt.Fprintf(&b, "  action %q {\n    title      = \"Action %d of team %d\"\n    owner      = team.%s\n",
				actionName(t, j), j, t, teamName(t))
			fmt.Fprintf(&b, "    phase      = %q\n    capability = \"cap%d\"\n    due        = %q\n",
				phases[j%len(phases)], j%5, shortDuration(actionDue(j)))
			if j > 0 {
				fmt.Fprintf(&b, "    after      = [action.%s]\n", actionName(t, j-1))
			}
			if j == 0 && teams > 1 {
				fmt.Fprintf(&b, "    escalate_to = team.%s\n", teamName((t+1)%teams))
			}
			if j == actionsPerTeam-1 {
				fmt.Fprintf(&b, "    on_severity = severity.s%d\n", t%3+2)
			}
			b.WriteString("  }\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// actionDue is the `due` of each team's j-th action.
func actionDue(j int) time.Duration { return time.Duration(30+15*j) * time.Minute }

// shortDuration writes d in whole minutes, as the plan's authors would ("75m").
func shortDuration(d time.Duration) string { return fmt.Sprintf("%dm", int64(d/time.Minute)) }

// injectAt is the `at` of inject i of n spread evenly over benchSpan, in whole seconds.
func injectAt(i, n int) time.Duration {
	return spread(i, n)
}

// spread is the i-th of n moments spread evenly over benchSpan, in whole seconds (computed in
// seconds: nanoseconds times a large i would overflow).
func spread(i, n int) time.Duration {
	return time.Duration(int64(benchSpan/time.Second)*int64(i)/int64(n)) * time.Second
}

// hasDecision, isChained and hasWhen say what inject i of a generated scenario carries: a
// decision every tenth inject, every fifth inject chained `after` the one before it, and a
// `when` condition on others; never two on one inject, so that a decision is always put.
func hasDecision(i int) bool { return i%10 == 0 }
func isChained(i int) bool   { return i%5 == 4 }
func hasWhen(i int) bool     { return i%5 == 2 }

// scenarioHCL writes scenario name of n injects over benchSpan (72 h) for the plan of
// teams teams: each inject goes to two teams, triggers an action, and carries a decision, a
// chain or a condition as above; the severity rises at a quarter, half and three quarters.
func scenarioHCL(name string, n, teams int, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %q {\n  title    = \"Generated scenario of %d injects\"\n  plan     = %q\n  duration = %q\n\n",
		name, n, benchPlan, benchSpan.String())
	for i := 0; i < n; i++ {
		t := i % teams
		fmt.Fprintf(&b, "  inject \"i%d\" {\n", i)
		if isChained(i) {
			fmt.Fprintf(&b, "    after    = inject.i%d\n    delay    = \"5m\"\n", i-1)
		} else {
			fmt.Fprintf(&b, "    at       = \"%ds\"\n", int64(injectAt(i, n)/time.Second))
		}
		fmt.Fprintf(&b, "    to       = [team.%s, team.%s]\n", teamName(t), teamName((t+1)%teams))
		fmt.Fprintf(&b, "    channel  = %q\n    from     = \"Generator\"\n    subject  = \"Inject %d\"\n", channels[i%len(channels)], i)
		if body != "" {
			fmt.Fprintf(&b, "    body     = %q\n", body)
		}
		// An `at` inject late in the span triggers nothing whose deadline would lie past the
		// end (language.md warns of an action that could never be missed).
		j := (i / teams) % actionsPerTeam
		if isChained(i) || injectAt(i, n)+actionDue(j) <= benchSpan {
			fmt.Fprintf(&b, "    triggers = [action.%s]\n", actionName(t, j))
		}
		switch {
		case i > 0 && i == n/4:
			b.WriteString("    severity = severity.s2\n")
		case i > 0 && i == n/2:
			b.WriteString("    severity = severity.s3\n")
		case i > 0 && i == 3*n/4:
			b.WriteString("    severity = severity.s4\n")
		}
		if hasWhen(i) {
			fmt.Fprintf(&b, "    when     = inject.i%d.delivered || action.%s.done || elapsed > 0\n", i-1, actionName(t, 0))
		}
		if hasDecision(i) {
			fmt.Fprintf(&b, "    decision \"d%d\" {\n      prompt     = \"What now?\"\n", i)
			b.WriteString("      options    = { go = \"Go ahead\", wait = \"Wait\", ask = \"Ask for more\" }\n")
			fmt.Fprintf(&b, "      expected   = \"go\"\n      capability = \"cap%d\"\n    }\n", i%5)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

var channels = []string{"email", "phone", "chat", "news", "social", "ticket", "sitrep"}

// rehearsalHCL writes a rehearsal of steps scripted inputs to scenario name (n injects for
// teams teams), spread over benchSpan: mostly actions recorded by their owners, with
// escalations, notes and answers to decisions already put.
func rehearsalHCL(name string, n, teams, steps int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rehearsal %q {\n  scenario = %q\n\n", name, name)
	for j := 0; j < steps; j++ {
		at := spread(j, steps)
		sec := int64(at / time.Second)
		t := j % teams
		switch j % 10 {
		case 6:
			fmt.Fprintf(&b, "  escalate {\n    from = %q\n    to   = %q\n    text = \"Escalation %d\"\n    at   = \"%ds\"\n  }\n",
				teamName(t), teamName((t+1)%teams), j, sec)
		case 7:
			fmt.Fprintf(&b, "  note {\n    team = %q\n    text = \"Note %d\"\n    at   = \"%ds\"\n  }\n", teamName(t), j, sec)
		case 8:
			// The latest decision inject due before this step, answered by its first team.
			i := min(int(int64(at)*int64(n)/int64(benchSpan)), n-1)
			for i >= 0 && (!hasDecision(i) || injectAt(i, n) >= at) {
				i--
			}
			if i >= 0 {
				fmt.Fprintf(&b, "  choose {\n    team     = %q\n    decision = \"d%d\"\n    option   = %q\n    at       = \"%ds\"\n  }\n",
					teamName(i%teams), i, []string{"go", "wait", "ask"}[j%3], sec)
				continue
			}
			fallthrough
		default:
			fmt.Fprintf(&b, "  respond {\n    team   = %q\n    action = %q\n    at     = \"%ds\"\n  }\n",
				teamName(t), actionName(t, (j/teams)%actionsPerTeam), sec)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// exerciseFS holds the generated plan, scenario and (when steps > 0) rehearsal as files.
func exerciseFS(name string, injects, teams, steps int, body string) fstest.MapFS {
	fsys := fstest.MapFS{
		"plan.hcl":     {Data: []byte(planHCL(teams))},
		"scenario.hcl": {Data: []byte(scenarioHCL(name, injects, teams, body))},
	}
	if steps > 0 {
		fsys["rehearsal.hcl"] = &fstest.MapFile{Data: []byte(rehearsalHCL(name, injects, teams, steps))}
	}
	return fsys
}
