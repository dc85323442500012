package scoring_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scoring"
)

func withStart(r scoring.Report, id string, start time.Time) scoring.Report {
	r.Exercise.ID = id
	r.Exercise.StartedAt = &start
	return r
}

func TestReadiness(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	// First: log_report and escalate_to_irt done by irt, not their owner (0.5 each);
	// contain_hosts late (0.5).
	first := mustScore(t, testScenario(), newLog().
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "escalate_to_irt", "service_desk", 30*m).
		trig(0, "contain_hosts", "irt", h).
		rec(0, "log_report", "irt").
		rec(10*m, "escalate_to_irt", "irt").
		rec(h+30*m, "contain_hosts", "irt").
		end(8*h))
	// Second: log_report on time, contain_hosts late again, escalate_to_irt not in play.
	second := mustScore(t, testScenario(), newLog().
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "contain_hosts", "irt", h).
		rec(5*m, "log_report", "service_desk").
		rec(h+30*m, "contain_hosts", "irt").
		end(8*h))
	running := mustScore(t, testScenario(), newLog().trig(0, "log_report", "service_desk", 15*m))
	other := mustScore(t, testScenario(), newLog().end(8*h))
	other.Exercise.Plan = "other-plan"

	// (v2) These logs have no mode, so they are training exercises: left out unless asked for.
	reports := []scoring.Report{
		withStart(second, "b", day(20)), withStart(running, "c", day(25)),
		withStart(first, "a", day(10)), withStart(other, "d", day(1)),
	}
	byDefault := scoring.Readiness("acme-irp", reports, scoring.ReadinessOptions{})
	assert.Empty(t, byDefault.Exercises)
	assert.Equal(t, scoring.LeftOut{Training: 2}, byDefault.LeftOut)
	tr := scoring.Readiness("acme-irp", reports, scoring.ReadinessOptions{Training: true})
	assert.Equal(t, scoring.LeftOut{}, tr.LeftOut)
	require.Len(t, tr.Exercises, 2)
	assert.Equal(t, "a", tr.Exercises[0].ID)
	assert.Equal(t, "b", tr.Exercises[1].ID)
	// First: log_report recorded by irt on time, halved: 0.5; escalate_to_irt the same, in
	// order (log_report at 0): 0.5; contain_hosts late: 0.5. Overall 50.
	require.NotNil(t, tr.Exercises[0].Overall)
	assert.Equal(t, 50.0, *tr.Exercises[0].Overall)
	assert.Equal(t, "M", tr.Exercises[0].Rating)
	// Second: log_report 1; contain_hosts late 0.5, out of order (escalate_to_irt never
	// recorded) 0.25. (1 + 0.25) / 2 = 62.5.
	assert.Equal(t, 62.5, *tr.Exercises[1].Overall)
	assert.Equal(t, map[string]float64{"incident_reporting": 100, "containment": 25}, tr.Exercises[1].ByCapability)
	assert.Equal(t, []string{"containment", "escalation", "incident_reporting"}, tr.Capabilities)
	assert.Empty(t, tr.Exercises[0].PreviousGaps)
	assert.ElementsMatch(t, []scoring.GapChange{
		{Item: "log_report", Team: "service_desk", Kind: "wrong_owner", Status: "closed"},
		{Item: "escalate_to_irt", Team: "service_desk", Kind: "wrong_owner", Status: "not_tested"},
		{Item: "contain_hosts", Team: "irt", Kind: "late", Status: "recurred"},
	}, tr.Exercises[1].PreviousGaps)

	b, err := json.Marshal(tr)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"previous_gaps":[`)

	svg := scoring.ReadinessChart(tr)
	assert.True(t, strings.HasPrefix(svg, "<svg"))
	// Lines for overall, containment and incident_reporting; escalation is one point.
	assert.Equal(t, 3, strings.Count(svg, "<polyline"))
	empty := scoring.ReadinessChart(scoring.Readiness("none", nil, scoring.ReadinessOptions{}))
	assert.Contains(t, empty, "No finished exercise yet.")
}

// TestReadinessV2: readiness counts live evaluation exercises unless asked, says what it left
// out, names each point's scenario, and draws twenty capabilities as twenty small panels
// under one large overall line.
func TestReadinessV2(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	mk := func(id string, d int, mode, kind string, caps int) scoring.Report {
		r := mustScore(t, testScenario(), newLog().trig(0, "log_report", "service_desk", 15*m).
			rec(5*m, "log_report", "service_desk").end(h))
		r = withStart(r, id, day(d))
		r.Exercise.Mode, r.Exercise.Kind = mode, kind
		for i := 0; i < caps; i++ {
			r.Score.ByCapability[fmt.Sprintf("capability_%02d", i)] = float64(40 + 2*i + d)
		}
		return r
	}
	reports := []scoring.Report{
		mk("live-1", 1, "evaluation", "live", 20),
		mk("live-2", 2, "evaluation", "live", 20),
		mk("train", 3, "training", "live", 20),
		mk("old", 4, "", "", 20), // stored before v2: training
		mk("dry", 5, "evaluation", "rehearsal", 20),
	}
	tr := scoring.Readiness("acme-irp", reports, scoring.ReadinessOptions{})
	assert.Equal(t, []string{"live-1", "live-2"}, []string{tr.Exercises[0].ID, tr.Exercises[1].ID})
	assert.Equal(t, scoring.LeftOut{Rehearsals: 1, Training: 2}, tr.LeftOut)
	assert.Equal(t, "hospital-ransomware", tr.Exercises[0].Scenario)
	assert.Equal(t, "Ransomware on the wards", tr.Exercises[0].ScenarioTitle)
	b, err := json.Marshal(tr)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"left_out":{"rehearsals":1,"training":2}`)

	all := scoring.Readiness("acme-irp", reports, scoring.ReadinessOptions{Rehearsals: true, Training: true})
	assert.Len(t, all.Exercises, 5)
	assert.Equal(t, "training", all.Exercises[3].Mode, "no mode reads as training")
	onlyDry := scoring.Readiness("acme-irp", reports, mustInclude(t, "rehearsals"))
	assert.Len(t, onlyDry.Exercises, 3)

	svg := scoring.ReadinessChart(tr)
	require.Len(t, tr.Capabilities, 21)
	// One series per capability and the overall, each capability in its own panel: 22 series,
	// 22 framed plots; the overall line is the thick one.
	assert.Equal(t, 22, strings.Count(svg, `<g class="series"`))
	assert.Equal(t, 22, strings.Count(svg, `<rect `))
	assert.Equal(t, 1, strings.Count(svg, `stroke-width="3.0"`))
	assert.Contains(t, svg, "Capability 19: 80.0 P", "each panel titled with its last score")
	assert.Contains(t, svg, "Ransomware on the wards (live-1)", "each point names its scenario")
	assert.Contains(t, svg, "Left out: 1 rehearsal and 2 training exercises.")

	_, err = scoring.ParseInclude("rehearsals,drills")
	require.Error(t, err)
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
}

func mustInclude(tb testing.TB, s string) scoring.ReadinessOptions {
	tb.Helper()
	o, err := scoring.ParseInclude(s)
	require.NoError(tb, err)
	return o
}
