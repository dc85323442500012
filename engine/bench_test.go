package engine_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// largeScenario has n injects: every other one at a time of its own, the rest chained after
// the one before, every tenth with a `when`.
func largeScenario(n int) (*scenarios.Scenario, *scenarios.Rehearsal) {
	var injects []*scenarios.Inject
	for i := range n {
		name := fmt.Sprint("i", i)
		var in *scenarios.Inject
		if i%2 == 0 {
			in = inj(name, at(time.Duration(i)*time.Second))
		} else {
			in = inj(name, after(fmt.Sprint("i", i-1), time.Second))
		}
		if i%10 == 0 {
			when("!action.contain_hosts.done || elapsed < 100000")(in)
		}
		injects = append(injects, in)
	}
	sc := testScenario(time.Duration(n)*time.Second+time.Hour, injects...)
	rh := &scenarios.Rehearsal{Name: "large"}
	for i := range n / 10 {
		rh.Steps = append(rh.Steps, scenarios.Step{Kind: scenarios.StepNote, Team: "irt", Text: "note", At: time.Duration(i*10) * time.Second, Order: i})
	}
	return sc, rh
}

func TestLargeScenarioRehearses(t *testing.T) {
	sc, rh := largeScenario(10000)
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(t, err)
	require.Empty(t, res.Errors)
	delivered := 0
	for _, in := range res.State.Injects {
		if in.Delivered {
			delivered++
		}
	}
	require.Equal(t, 10000, delivered)
}

func BenchmarkRehearseLarge(b *testing.B) {
	sc, rh := largeScenario(10000)
	for b.Loop() {
		if _, err := engine.Rehearse(context.Background(), sc, rh, nil); err != nil {
			b.Fatal(err)
		}
	}
}
