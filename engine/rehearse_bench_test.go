package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// benchExercise generates a plan of four teams with four chained actions each, a scenario of n
// injects over 72 simulated hours (each to two teams, triggering an action, a decision every
// tenth, a condition every fifth) and a rehearsal of 10n responses, and loads them. It is a
// smaller cousin of cmd/ttxbench's generator.
func benchExercise(tb testing.TB, n int) (*scenarios.Scenario, *scenarios.Rehearsal) {
	tb.Helper()
	const teams, actions = 4, 4
	span := 72 * time.Hour
	var b strings.Builder
	b.WriteString("plan \"p\" {\n")
	for t := 0; t < teams; t++ {
		fmt.Fprintf(&b, "  team \"t%d\" { tier = %d }\n", t, t+1)
	}
	b.WriteString("  severity \"low\" { level = 1 }\n  severity \"high\" { level = 2 }\n")
	for t := 0; t < teams; t++ {
		for j := 0; j < actions; j++ {
			fmt.Fprintf(&b, "  action \"a%d_%d\" {\n    owner = team.t%d\n    phase = \"containment\"\n    due = \"1h\"\n", t, j, t)
			if j > 0 {
				fmt.Fprintf(&b, "    after = [action.a%d_%d]\n", t, j-1)
			}
			b.WriteString("  }\n")
		}
	}
	fmt.Fprintf(&b, "}\nscenario \"s\" {\n  plan = \"p\"\n  duration = \"%s\"\n", span)
	for i := 0; i < n; i++ {
		t := i % teams
		fmt.Fprintf(&b, "  inject \"i%d\" {\n    at = \"%ds\"\n    to = [team.t%d, team.t%d]\n    channel = \"email\"\n    subject = \"Inject %d\"\n",
			i, int64(span/time.Second)*int64(i)/int64(n), t, (t+1)%teams, i)
		fmt.Fprintf(&b, "    triggers = [action.a%d_%d]\n", t, (i/teams)%actions)
		if i == n/2 {
			b.WriteString("    severity = severity.high\n")
		}
		if i%5 == 2 {
			fmt.Fprintf(&b, "    when = inject.i%d.delivered || action.a%d_0.done\n", i-1, t)
		}
		if i%10 == 0 {
			fmt.Fprintf(&b, "    decision \"d%d\" {\n      prompt = \"?\"\n      options = { go = \"Go\", wait = \"Wait\" }\n      expected = \"go\"\n    }\n", i)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\nrehearsal \"r\" {\n  scenario = \"s\"\n")
	steps := 10 * n
	for j := 0; j < steps; j++ {
		at := int64(span/time.Second) * int64(j) / int64(steps)
		t := j % teams
		switch j % 10 {
		case 7:
			fmt.Fprintf(&b, "  note {\n    team = \"t%d\"\n    text = \"Note %d\"\n    at = \"%ds\"\n  }\n", t, j, at)
		case 8:
			d := (j / 10 / 10) * 10 // an inject due well before this step
			fmt.Fprintf(&b, "  choose {\n    team = \"t%d\"\n    decision = \"d%d\"\n    option = \"go\"\n    at = \"%ds\"\n  }\n", d%teams, d, at)
		default:
			fmt.Fprintf(&b, "  respond {\n    team = \"t%d\"\n    action = \"a%d_%d\"\n    at = \"%ds\"\n  }\n", t, t, (j/teams)%actions, at)
		}
	}
	b.WriteString("}\n")
	set, diags := scenarios.LoadFS(fstest.MapFS{"gen.hcl": {Data: []byte(b.String())}})
	if diags.HasErrors() {
		tb.Fatal(diags.Error())
	}
	return set.Scenarios["s"], set.Rehearsals["r"]
}

func mustRehearseBench(tb testing.TB, sc *scenarios.Scenario, rh *scenarios.Rehearsal) engine.RehearsalResult {
	tb.Helper()
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if len(res.Errors) > 0 {
		tb.Fatalf("%d scripted inputs did not fit, the first: %v", len(res.Errors), res.Errors[0])
	}
	return res
}

// BenchmarkRehearse1000 plays 1,000 injects and 10,000 scripted responses on a memory store:
// scheduling, when conditions, responses and the fold, as a live exercise runs them.
func BenchmarkRehearse1000(b *testing.B) {
	sc, rh := benchExercise(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		mustRehearseBench(b, sc, rh)
	}
}

// BenchmarkFoldEvents folds the log of that rehearsal into the exercise's state, as a restart
// does.
func BenchmarkFoldEvents(b *testing.B) {
	sc, rh := benchExercise(b, 1000)
	events := mustRehearseBench(b, sc, rh).Events
	b.ReportAllocs()
	for b.Loop() {
		if _, err := engine.FoldEvents(sc, events); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkActMemory records one response after another on a running exercise with a memory
// store: the engine's cost of a response without the disk.
func BenchmarkActMemory(b *testing.B) {
	sc, _ := benchExercise(b, 100)
	ctx := context.Background()
	store := engine.NewMemoryStore()
	rec := engine.ExerciseRecord{ID: "bench", Scenario: sc.Name, Plan: sc.PlanName, Speed: 1}
	if err := store.CreateExercise(ctx, rec); err != nil {
		b.Fatal(err)
	}
	x := engine.New(rec, sc, clockwork.NewFakeClock(), store)
	if err := x.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		r := engine.Response{Team: "t1", Name: "bench", Ref: fmt.Sprint("r", i)}
		if _, err := x.Act(ctx, r, "a1_0"); err != nil {
			b.Fatal(err)
		}
	}
}
