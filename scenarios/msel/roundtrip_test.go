package msel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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
	r, _ := rehearse(tb, sc, rh)
	return r
}

// rehearse plays rh against sc and returns the report and the rehearsal's result.
func rehearse(tb testing.TB, sc *scenarios.Scenario, rh *scenarios.Rehearsal) (scoring.Report, engine.RehearsalResult) {
	tb.Helper()
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(tb, err)
	return scoring.Score(scoring.Input{ID: res.Exercise.ID, Scenario: sc, Events: res.Events}), res
}

// itemsByEvent is the items' JSON with each evidence seq replaced by the event it names (its
// kind, time and what it is about), so that two logs that differ only in events no item cites
// (a CSV's rehearsal has no answers to module questions) give the same items.
func itemsByEvent(tb testing.TB, r scoring.Report, events []engine.Event) string {
	tb.Helper()
	bySeq := map[int64]engine.Event{}
	for _, e := range events {
		bySeq[e.Seq] = e
	}
	type cited struct {
		scoring.Item
		Evidence []string `json:"evidence"`
	}
	out := make([]cited, len(r.Items))
	for i, it := range r.Items {
		out[i].Item = it
		for _, seq := range it.Evidence {
			e, ok := bySeq[seq]
			require.True(tb, ok, "item %s cites event %d", it.ID, seq)
			out[i].Evidence = append(out[i].Evidence, fmt.Sprintf("%s at %s by %s: %s%s%s%s%s",
				e.Kind, e.T, e.Team, e.Inject, e.Action, e.Decision, e.Option, strings.Join(e.To, ",")))
		}
	}
	return asJSON(tb, out)
}

// withoutObjectives are scores and ratings without those by objective, which a CSV cannot
// carry (interop.md).
func withoutObjectives(r scoring.Report) (scoring.Scores, scoring.Ratings) {
	s, rt := r.Score, r.Ratings
	s.ByObjective, rt.ByObjective = nil, nil
	return s, rt
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
			assertSameObjectivesAndModules(t, sc, back)
			assertSameInjects(t, sc, back)
			for _, rh := range rehearsals {
				want, wantRes := rehearse(t, sc, rh)
				got, gotRes := rehearse(t, back, rh)
				assert.Equal(t, asJSON(t, want), asJSON(t, got), "rehearsal %s", rh.Name)
				assert.Equal(t, wantRes.Errors, gotRes.Errors, "rehearsal %s: every scripted step fits both", rh.Name)
			}
		})
		t.Run(name+"/csv", func(t *testing.T) {
			data := mustExport(t, set, name, "csv")
			back, _ := mustImport(t, set, name+".csv", data, msel.Options{Plan: sc.PlanName, Duration: sc.Duration})
			assert.Equal(t, sc.Name, back.Name, "a CSV's scenario is named for its file")
			assert.Empty(t, back.Objectives, "a CSV has no objectives")
			assert.Equal(t, moduleNames(sc), moduleNames(back), "the Module column groups the rows")
			assertSameInjects(t, sc, back)
			for _, rh := range rehearsals {
				want, wantRes := rehearse(t, sc, rh)
				got, gotRes := rehearse(t, back, rh)
				assert.Equal(t, itemsByEvent(t, want, wantRes.Events), itemsByEvent(t, got, gotRes.Events), "rehearsal %s", rh.Name)
				wantScore, wantRatings := withoutObjectives(want)
				gotScore, gotRatings := withoutObjectives(got)
				assert.Equal(t, asJSON(t, wantScore), asJSON(t, gotScore), "rehearsal %s", rh.Name)
				assert.Equal(t, asJSON(t, wantRatings), asJSON(t, gotRatings), "rehearsal %s", rh.Name)
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
		assert.Equal(t, w.AfterKind, g.AfterKind, w.Name)
		assert.Equal(t, w.Prompts, g.Prompts, w.Name)
		assert.Equal(t, w.Notes, g.Notes, w.Name)
		assert.Equal(t, w.Questions, g.Questions, w.Name)
		assert.Equal(t, w.When != nil, g.When != nil, w.Name)
		assert.Equal(t, w.Decision == nil, g.Decision == nil, w.Name)
		if w.Decision != nil && g.Decision != nil {
			assert.Equal(t, w.Decision.Name, g.Decision.Name)
			assert.Equal(t, w.Decision.Prompt, g.Decision.Prompt)
			assert.Equal(t, w.Decision.Options, g.Decision.Options)
			assert.Equal(t, w.Decision.Expected, g.Decision.Expected)
			assert.Equal(t, w.Decision.Capability, g.Decision.Capability)
			assert.Equal(t, w.Decision.Phase, g.Decision.Phase)
			assert.Equal(t, w.Decision.Weight, g.Decision.Weight)
			assert.Equal(t, w.Decision.DecidedBy, g.Decision.DecidedBy)
			assert.Equal(t, w.Decision.Credit, g.Decision.Credit)
			assert.Equal(t, w.Decision.Due, g.Decision.Due)
			assert.Equal(t, w.Decision.Default, g.Decision.Default)
		}
	}
}

// assertSameObjectivesAndModules checks the Scenario sheet's blocks: objectives with their
// capabilities, modules with their start and questions.
func assertSameObjectivesAndModules(t *testing.T, want, got *scenarios.Scenario) {
	t.Helper()
	type objective struct{ Name, Title, Capabilities string }
	objectives := func(sc *scenarios.Scenario) []objective {
		var out []objective
		for _, o := range sc.Objectives {
			out = append(out, objective{o.Name, o.Title, strings.Join(o.Capabilities, ",")})
		}
		return out
	}
	assert.Equal(t, objectives(want), objectives(got))
	require.Len(t, got.Modules, len(want.Modules))
	for i, w := range want.Modules {
		g := got.Modules[i]
		assert.Equal(t, [3]any{w.Name, w.Title, w.At}, [3]any{g.Name, g.Title, g.At})
		assert.Equal(t, w.Questions, g.Questions, w.Name)
	}
}

func moduleNames(sc *scenarios.Scenario) []string {
	var out []string
	for _, m := range sc.Modules {
		out = append(out, m.Name)
	}
	return out
}

// TestLibraryCoversV2: the bundled library's scenarios and rehearsals hold every v2 part of
// the language and the report, so TestLibraryRoundTrip proves each of them survives an MSEL
// (after = decision, which no bundled scenario has, is TestImportV2's).
func TestLibraryCoversV2(t *testing.T) {
	set := mustLibrary(t)
	found := map[string]bool{}
	for _, sc := range set.Scenarios {
		external := map[string]bool{}
		for _, tm := range sc.Plan.Teams {
			external[tm.Name] = tm.External
		}
		found["objectives"] = found["objectives"] || len(sc.Objectives) > 0
		for _, m := range sc.Modules {
			found["module questions"] = found["module questions"] || len(m.Questions) > 0
		}
		for _, in := range sc.Injects {
			found["inject questions"] = found["inject questions"] || len(in.Questions) > 0
			found["prompts"] = found["prompts"] || len(in.Prompts) > 0
			found["notes"] = found["notes"] || in.Notes != ""
			found["after = action"] = found["after = action"] || in.AfterKind == scenarios.AfterAction
			if d := in.Decision; d != nil {
				_, written := d.AttrRanges["decided_by"]
				found["decided_by"] = found["decided_by"] || written
				found["credit"] = found["credit"] || len(d.Credit) > 0
				found["due and default"] = found["due and default"] || (d.Due > 0 && d.Default != "")
			}
		}
		for _, rh := range set.Rehearsals {
			if rh.ScenarioName != sc.Name {
				continue
			}
			r := rehearsalReport(t, sc, rh)
			found["report objectives"] = found["report objectives"] || len(r.Score.ByObjective) > 0
			found["answers"] = found["answers"] || len(r.Answers) > 0
			found["discussions"] = found["discussions"] || len(r.Discussions) > 0
			for _, it := range r.Items {
				found["defaulted"] = found["defaulted"] || it.Defaulted
				found["prompted"] = found["prompted"] || slices.Contains(it.Gaps, scoring.GapPrompted)
			}
			for _, e := range r.Timeline {
				if e.Kind == engine.KindEscalation && len(e.To) == 1 && external[e.To[0]] {
					found["escalation to an external team"] = true
				}
			}
		}
	}
	for _, f := range []string{"objectives", "module questions", "inject questions", "prompts", "notes",
		"after = action", "decided_by", "credit", "due and default", "report objectives",
		"answers", "discussions", "defaulted", "prompted", "escalation to an external team"} {
		assert.True(t, found[f], "no bundled scenario or rehearsal has %s", f)
	}
}
