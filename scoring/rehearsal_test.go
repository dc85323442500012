package scoring_test

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

func mustLibrary(tb testing.TB) *scenarios.Set {
	tb.Helper()
	set, diags := scenarios.LoadFS(scenarios.Library())
	require.False(tb, diags.HasErrors(), "%s", diags.Error())
	return set
}

func mustRehearse(tb testing.TB, set *scenarios.Set, name string) (scoring.Report, engine.RehearsalResult) {
	tb.Helper()
	rh := set.Rehearsals[name]
	require.NotNil(tb, rh, "rehearsal %s", name)
	sc := set.Scenarios[rh.ScenarioName]
	require.NotNil(tb, sc)
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(tb, err)
	return scoring.Score(scoring.Input{ID: res.Exercise.ID, Scenario: sc, Events: res.Events}), res
}

// TestLibraryRehearsals scores every bundled rehearsal and checks what must hold of any
// report: the overall score is the weighted mean of the scored items, every gap and strength
// points at events of the log, and the same rehearsal gives the same bytes.
func TestLibraryRehearsals(t *testing.T) {
	set := mustLibrary(t)
	require.NotEmpty(t, set.Rehearsals)
	for name := range set.Rehearsals {
		t.Run(name, func(t *testing.T) {
			r, res := mustRehearse(t, set, name)
			assert.Equal(t, "ended", r.Exercise.Status)
			assert.Len(t, r.Timeline, len(res.Events))
			seqs := map[int64]bool{}
			for _, e := range res.Events {
				seqs[e.Seq] = true
			}
			var num, den float64
			for _, it := range r.Items {
				if it.Scored() {
					num += *it.Credit * it.Weight
					den += it.Weight
					assert.GreaterOrEqual(t, *it.Credit, 0.0)
					assert.LessOrEqual(t, *it.Credit, 1.0)
				}
				for _, s := range it.Evidence {
					assert.True(t, seqs[s], "item %s cites seq %d", it.ID, s)
				}
			}
			if den > 0 {
				require.NotNil(t, r.Score.Overall)
				assert.InDelta(t, math.Round(num/den*1000)/10, *r.Score.Overall, 0.1001)
			}
			for _, g := range r.Gaps {
				assert.NotEmpty(t, g.Evidence)
				assert.NotEmpty(t, g.Detail)
			}
			assert.Len(t, r.ImprovementPlan, len(r.Gaps))
			triggered := len(r.NotInPlay)
			for _, it := range r.Items {
				if it.Kind == "action" {
					triggered++
				}
			}
			assert.Equal(t, len(set.Scenarios[set.Rehearsals[name].ScenarioName].Plan.Actions), triggered)

			again, _ := mustRehearse(t, set, name)
			var a, b bytes.Buffer
			require.NoError(t, scoring.FormatJSON(&a, r))
			require.NoError(t, scoring.FormatJSON(&b, again))
			assert.Equal(t, a.String(), b.String())
		})
	}
}
