package msel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scenarios/msel"
	"github.com/ttx-dev/ttx/scoring"
)

func mustLibrary(tb testing.TB) *scenarios.Set {
	tb.Helper()
	set, diags := scenarios.LoadFS(scenarios.Library())
	require.False(tb, diags.HasErrors(), "%s", diags.Error())
	return set
}

// mustExport writes scenario name of set as an MSEL in format (xlsx or csv).
func mustExport(tb testing.TB, set *scenarios.Set, name, format string) []byte {
	tb.Helper()
	sc := set.Scenarios[name]
	require.NotNil(tb, sc, "scenario %s", name)
	wb := msel.Export(sc, set.Files)
	var buf bytes.Buffer
	if format == "csv" {
		require.NoError(tb, msel.WriteCSV(&buf, wb))
	} else {
		require.NoError(tb, msel.WriteXLSX(&buf, wb))
	}
	return buf.Bytes()
}

// mustImport imports an MSEL against set's plans and loads the scenario it gives beside its
// plan.
func mustImport(tb testing.TB, set *scenarios.Set, file string, data []byte, opts msel.Options) (*scenarios.Scenario, []byte) {
	tb.Helper()
	opts.Set = set
	text, diags := msel.Import(file, data, opts)
	require.False(tb, diags.HasErrors(), "%s", diags.Error())
	require.NotNil(tb, text)
	assert.Equal(tb, string(scenarios.Format(text)), string(text), "the import is in canonical layout")
	loaded := mustLoadWithPlan(tb, set, opts.Plan, text)
	require.Len(tb, loaded.Scenarios, 1)
	for _, sc := range loaded.Scenarios {
		return sc, text
	}
	return nil, nil
}

// rehearsalReport plays rh against sc and scores it.
func rehearsalReport(tb testing.TB, sc *scenarios.Scenario, rh *scenarios.Rehearsal) scoring.Report {
	tb.Helper()
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(tb, err)
	return scoring.Score(scoring.Input{ID: res.Exercise.ID, Scenario: sc, Events: res.Events})
}

func asJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	require.NoError(tb, err)
	return string(b)
}

// TestLibraryRoundTrip exports every bundled scenario to XLSX and to CSV, imports each back,
// and plays every rehearsal of it on both: the XLSX gives the same report as the original, the
// CSV (given the original's duration) the same items and scores.
func TestLibraryRoundTrip(t *testing.T) {
	set := mustLibrary(t)
	require.NotEmpty(t, set.Scenarios)
	for name, sc := range set.Scenarios {
		var rehearsals []*scenarios.Rehearsal
		for _, rh := range set.Rehearsals {
			if rh.ScenarioName == name {
				rehearsals = append(rehearsals, rh)
			}
		}
		require.NotEmpty(t, rehearsals, "scenario %s has a rehearsal", name)
		t.Run(name+"/xlsx", func(t *testing.T) {
			data := mustExport(t, set, name, "xlsx")
			back, _ := mustImport(t, set, "msel.xlsx", data, msel.Options{Plan: sc.PlanName})
			assert.Equal(t, sc.Name, back.Name)
			assert.Equal(t, sc.Title, back.Title)
			assert.Equal(t, sc.Summary, back.Summary)
			assert.Equal(t, sc.Duration, back.Duration)
			assert.True(t, sc.StartTime.Equal(back.StartTime))
			assertSameInjects(t, sc, back)
			for _, rh := range rehearsals {
				assert.Equal(t, asJSON(t, rehearsalReport(t, sc, rh)), asJSON(t, rehearsalReport(t, back, rh)), "rehearsal %s", rh.Name)
			}
		})
		t.Run(name+"/csv", func(t *testing.T) {
			data := mustExport(t, set, name, "csv")
			back, _ := mustImport(t, set, name+".csv", data, msel.Options{Plan: sc.PlanName, Duration: sc.Duration})
			assert.Equal(t, sc.Name, back.Name, "a CSV's scenario is named for its file")
			assertSameInjects(t, sc, back)
			for _, rh := range rehearsals {
				want, got := rehearsalReport(t, sc, rh), rehearsalReport(t, back, rh)
				assert.Equal(t, asJSON(t, want.Items), asJSON(t, got.Items), "rehearsal %s", rh.Name)
				assert.Equal(t, asJSON(t, want.Score), asJSON(t, got.Score), "rehearsal %s", rh.Name)
				assert.Equal(t, asJSON(t, want.Ratings), asJSON(t, got.Ratings), "rehearsal %s", rh.Name)
			}
		})
	}
}

// assertSameInjects checks that every inject came back with the same fields, in file order.
func assertSameInjects(t *testing.T, want, got *scenarios.Scenario) {
	t.Helper()
	require.Len(t, got.Injects, len(want.Injects))
	for i, w := range want.Injects {
		g := got.Injects[i]
		assert.Equal(t, w.Name, g.Name)
		assert.Equal(t, w.HasAt, g.HasAt, w.Name)
		assert.Equal(t, w.At, g.At, w.Name)
		assert.Equal(t, w.After, g.After, w.Name)
		assert.Equal(t, w.Delay, g.Delay, w.Name)
		assert.Equal(t, w.To, g.To, w.Name)
		assert.Equal(t, w.Channel, g.Channel, w.Name)
		assert.Equal(t, w.From, g.From, w.Name)
		assert.Equal(t, w.Subject, g.Subject, w.Name)
		assert.Equal(t, w.Body, g.Body, w.Name)
		assert.Equal(t, w.Severity, g.Severity, w.Name)
		assert.Equal(t, w.Triggers, g.Triggers, w.Name)
		assert.Equal(t, w.When != nil, g.When != nil, w.Name)
		if w.Decision != nil && assert.NotNil(t, g.Decision, w.Name) {
			assert.Equal(t, w.Decision.Name, g.Decision.Name)
			assert.Equal(t, w.Decision.Prompt, g.Decision.Prompt)
			assert.Equal(t, w.Decision.Options, g.Decision.Options)
			assert.Equal(t, w.Decision.Expected, g.Decision.Expected)
			assert.Equal(t, w.Decision.Capability, g.Decision.Capability)
			assert.Equal(t, w.Decision.Phase, g.Decision.Phase)
			assert.Equal(t, w.Decision.Weight, g.Decision.Weight)
		}
	}
}
