package scoring_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

// largeLog builds a scenario of n injects over 72 hours for a plan of four teams and sixteen
// actions (a decision every tenth inject, put to two teams) and the log a lively exercise of
// it writes: each delivery, the first trigger of its action, then ten responses (actions
// recorded by their owners, answers to the decision, notes), and the end.
func largeLog(n int) (*scenarios.Scenario, []engine.Event) {
	const teams, actions = 4, 16
	plan := &scenarios.Plan{Name: "p"}
	for t := 0; t < teams; t++ {
		plan.Teams = append(plan.Teams, &scenarios.Team{Name: fmt.Sprint("t", t), Tier: t + 1})
	}
	plan.Severities = []*scenarios.Severity{{Name: "low", Level: 1}}
	for a := 0; a < actions; a++ {
		plan.Actions = append(plan.Actions, &scenarios.Action{Name: fmt.Sprint("a", a), Owner: fmt.Sprint("t", a%teams),
			Phase: "containment", Capability: fmt.Sprint("cap", a%5), Due: time.Hour, Weight: 1})
	}
	sc := &scenarios.Scenario{Name: "s", PlanName: "p", Plan: plan, Duration: 72 * time.Hour}
	var events []engine.Event
	add := func(e engine.Event) {
		e.Seq = int64(len(events) + 1)
		events = append(events, e)
	}
	add(engine.Event{Kind: engine.KindExerciseStarted, Speed: 1})
	triggered := map[string]bool{}
	for i := 0; i < n; i++ {
		t := sc.Duration * time.Duration(i) / time.Duration(n)
		to := []string{fmt.Sprint("t", i%teams), fmt.Sprint("t", (i+1)%teams)}
		in := &scenarios.Inject{Name: fmt.Sprint("i", i), HasAt: true, At: t, To: to, Channel: "email",
			Subject: fmt.Sprint("Inject ", i), Order: i}
		action := plan.Actions[i%actions]
		in.Triggers = []string{action.Name}
		if i%10 == 0 {
			in.Decision = &scenarios.Decision{Name: fmt.Sprint("d", i), Expected: "go", Weight: 1,
				Options: []scenarios.Option{{Key: "go"}, {Key: "wait"}}}
		}
		sc.Injects = append(sc.Injects, in)
		add(engine.Event{T: t, Kind: engine.KindInjectDelivered, Inject: in.Name, To: to})
		if !triggered[action.Name] {
			triggered[action.Name] = true
			add(engine.Event{T: t, Kind: engine.KindActionTriggered, Action: action.Name, Team: action.Owner, Due: action.Due})
		}
		for j := 0; j < 10; j++ {
			rt := t + time.Duration(j+1)*time.Minute
			switch {
			case j == 0 && in.Decision != nil:
				add(engine.Event{T: rt, Kind: engine.KindDecisionAnswered, Team: to[0], Decision: in.Decision.Name, Option: "go"})
			case j == 9:
				add(engine.Event{T: rt, Kind: engine.KindNote, Team: to[1], Text: "noted"})
			default:
				a := plan.Actions[(i+j)%actions]
				add(engine.Event{T: rt, Kind: engine.KindActionRecorded, Team: a.Owner, Action: a.Name})
			}
		}
	}
	add(engine.Event{T: sc.Duration, Kind: engine.KindExerciseEnded, Reason: "duration"})
	return sc, events
}

// BenchmarkScoreLargeLog scores logs of 1,000 and 10,000 injects with ten responses each: the
// time per event should stay flat as the log grows.
func BenchmarkScoreLargeLog(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		sc, events := largeLog(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := scoring.Score(scoring.Input{ID: "bench", Scenario: sc, Events: events})
				if len(r.Items) == 0 {
					b.Fatal("nothing scored")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(events)), "ns/event")
		})
	}
}
