package engine_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// mustLoad loads HCL files or directories and fails on any error diagnostic.
func mustLoad(tb testing.TB, paths ...string) *scenarios.Set {
	tb.Helper()
	set, diags := scenarios.Load(paths...)
	require.False(tb, diags.HasErrors(), "%s", diags.Error())
	return set
}

// acceptanceLine renders an event as testdata/acceptance/expected_timeline.txt does.
func acceptanceLine(e engine.Event) string {
	parts := []string{e.T.String(), e.Kind}
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("inject", e.Inject)
	add("action", e.Action)
	add("decision", e.Decision)
	add("severity", e.Severity)
	add("team", e.Team)
	add("to", strings.Join(e.To, ","))
	add("option", e.Option)
	if e.Kind == engine.KindActionTriggered {
		add("due", e.Due.String())
	}
	return strings.Join(parts, " ")
}

// TestAcceptanceTimeline plays the outsider's fixture and compares with the timeline they
// computed by hand from language.md.
func TestAcceptanceTimeline(t *testing.T) {
	set := mustLoad(t, "../testdata/acceptance")
	rh := set.Rehearsals["acceptance-run"]
	require.NotNil(t, rh)
	sc := set.Scenarios[rh.ScenarioName]
	require.NotNil(t, sc)

	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(t, err)
	assert.Empty(t, res.Errors)

	want, err := os.ReadFile("../testdata/acceptance/expected_timeline.txt")
	require.NoError(t, err)
	var got strings.Builder
	for _, e := range res.Events {
		fmt.Fprintln(&got, acceptanceLine(e))
	}
	assert.Equal(t, string(want), got.String())
	assertWallIsStartPlusT(t, res)
}

// assertWallIsStartPlusT checks that a rehearsal, played at speed 1 without pauses, stamps
// every event with the wall clock at its own simulated time.
func assertWallIsStartPlusT(tb testing.TB, res engine.RehearsalResult) {
	tb.Helper()
	for _, e := range res.Events {
		assert.Equal(tb, res.Exercise.CreatedAt.Add(e.T), e.Wall, "seq %d %s at %s", e.Seq, e.Kind, e.T)
	}
}

// TestLibraryRehearsals plays every bundled rehearsal: each input fits, the exercise ends at
// its duration, and a second run gives the same log.
func TestLibraryRehearsals(t *testing.T) {
	set, diags := scenarios.LoadFS(scenarios.Library())
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	require.NotEmpty(t, set.Rehearsals)
	for name, rh := range set.Rehearsals {
		t.Run(name, func(t *testing.T) {
			sc := set.Scenarios[rh.ScenarioName]
			require.NotNil(t, sc)
			res, err := engine.Rehearse(context.Background(), sc, rh, nil)
			require.NoError(t, err)
			assert.Empty(t, res.Errors)
			assert.Equal(t, engine.StatusEnded, res.State.Status)
			assert.Equal(t, sc.Duration, res.State.T)
			assertWallIsStartPlusT(t, res)
			again, err := engine.Rehearse(context.Background(), sc, rh, nil)
			require.NoError(t, err)
			assert.Equal(t, res.Events, again.Events)
		})
	}
}
