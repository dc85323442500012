package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// The generated exercises must load without a diagnostic and their rehearsals play without a
// scripted input that does not fit: otherwise the benchmarks would measure error paths.
func TestGeneratedExercisePlaysCleanly(t *testing.T) {
	const n = 200
	set, diags := scenarios.LoadFS(exerciseFS("gen", n, rehearsalTeams, 10*n, injectBody))
	require.False(t, diags.HasErrors(), diags.Error())
	assert.Empty(t, diags, "no warnings either")
	sc, rh := set.Scenarios["gen"], set.Rehearsals["gen"]
	require.NotNil(t, sc)
	require.NotNil(t, rh)
	assert.Len(t, sc.Injects, n)
	assert.Len(t, rh.Steps, 10*n)
	assert.Equal(t, benchSpan, sc.Duration)

	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(t, err)
	assert.Empty(t, res.Errors)
	kinds := map[string]int{}
	for _, e := range res.Events {
		kinds[e.Kind]++
	}
	assert.Equal(t, n, kinds[engine.KindInjectDelivered], "every inject is delivered")
	assert.Positive(t, kinds[engine.KindDecisionAnswered])
	assert.Positive(t, kinds[engine.KindEscalation])
	assert.Equal(t, 4, kinds[engine.KindSeverityChanged], "the starting level, then three rises")
}

func TestFanoutScenarioReachesEveryTeam(t *testing.T) {
	set, diags := scenarios.LoadFS(fanoutFS())
	require.False(t, diags.HasErrors(), diags.Error())
	sc := set.Scenarios["fanout"]
	require.Len(t, sc.Injects, 1)
	assert.Len(t, sc.Injects[0].To, fanoutTeams)
	assert.Len(t, sc.Plan.Teams, fanoutTeams)
}

// The generator's times stay within 72 hours even for many steps (nanoseconds times a large
// index would overflow).
func TestSpreadDoesNotOverflow(t *testing.T) {
	assert.Equal(t, time.Duration(0), spread(0, 100000))
	assert.Equal(t, 36*time.Hour, spread(50000, 100000))
	last := spread(99999, 100000)
	assert.Less(t, last, benchSpan)
	assert.Greater(t, last, benchSpan-time.Minute)
}

func TestStampRoundTrip(t *testing.T) {
	s := stamp(42, 123456789*time.Nanosecond)
	assert.Len(t, s, stampLen)
	k, sent, ok := parseStamp([]byte(`{"subject":"` + s + `","body_html":"<p>x</p>"}`))
	require.True(t, ok)
	assert.Equal(t, 42, k)
	assert.Equal(t, 123456789*time.Nanosecond, sent)

	_, _, ok = parseStamp([]byte(`{"subject":"bench #0"}`))
	assert.False(t, ok, "a truncated stamp is not one")
}

func TestQuantile(t *testing.T) {
	l := Latencies{5, 1, 4, 2, 3}
	assert.Equal(t, 3.0, l.Quantile(0.5))
	assert.Equal(t, 5.0, l.Quantile(0.99))
	assert.Equal(t, 1.0, l.Quantile(0))
	assert.True(t, Latencies(nil).Quantile(0.5) != Latencies(nil).Quantile(0.5), "NaN when empty")
}
