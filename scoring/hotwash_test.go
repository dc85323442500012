package scoring_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

// hotWashReport is the v2 fixture with a second feedback form, from another team, sent in
// the hot wash.
func hotWashReport(t *testing.T) scoring.Report {
	t.Helper()
	l := v2Log().add(engine.Event{T: 2*h + 30*m, Kind: engine.KindFeedbackRecorded, Team: "cmt", Name: "Cleo",
		Feedback: &engine.Feedback{Ratings: map[string]int{"structured": 2, "realistic": 5}, Comment: "=too long"}})
	return scoring.Score(scoring.Input{ID: "v2", Scenario: v2Scenario(), Events: l.events,
		Mode: engine.ModeEvaluation, Teams: []string{"irt", "comms", "cmt", "hr"}})
}

// TestHotWashInEveryForm: the objectives with the evaluators' ratings beside the automatic
// ones, the observations under their capabilities, the feedback averaged and listed by team,
// in Markdown, HTML and the CSV tables.
func TestHotWashInEveryForm(t *testing.T) {
	r := hotWashReport(t)
	render := func(format string) string {
		var b strings.Builder
		require.NoError(t, scoring.Write(&b, r, format))
		return b.String()
	}
	md := render("md")
	// Containment: the evaluators rated U, M and S (median M); the automatic rating is beside it.
	containment := r.Ratings.ByCapability["containment"]
	require.NotEmpty(t, containment)
	assert.Contains(t, md, "| **Contain the attack** | ")
	assert.Contains(t, md, "| ↳ Containment | "+fmtScore(r.Score.ByCapability["containment"])+" | "+containment+" | M | 0 · 1 · 1 · 1 |")
	assert.Contains(t, md, "| ↳ Communications | ")
	assert.Less(t, strings.Index(md, "### Containment"), strings.Index(md, "| slow |"), "an observation under its capability")
	assert.Less(t, strings.Index(md, "### Crisis decisions"), strings.Index(md, "| good |"))
	assert.Less(t, strings.Index(md, "| good |"), strings.Index(md, "### Recovery"), "capabilities of no objective after the objectives'")
	assert.Contains(t, md, "2 forms. Ratings from 1")
	assert.Contains(t, md, "| The exercise was well structured and organised. | 3.0 | 2 |")
	assert.Contains(t, md, "| The scenario was realistic. | 5.0 | 1 |")
	assert.NotContains(t, md, "right people took part", "a statement nobody rated is left out")
	assert.Less(t, strings.Index(md, "### Incident Response Team\n\n| Name | Strengths"), strings.Index(md, "### Crisis Management Team\n\n| Name | Strengths"), "texts by team, in plan order")

	html := render("html")
	assert.Contains(t, html, `<tr class="capability" data-capability="containment"><td class="indent">Containment</td>`)
	assert.Contains(t, html, `<td class="evaluators"><span class="badge badge-M">M</span>`)
	assert.Contains(t, html, `<h4 class="obs-capability" data-capability="containment">Containment</h4>`)
	assert.Contains(t, html, `<tr data-statement="structured"><td>The exercise was well structured and organised.</td><td class="num">3.0</td><td class="num">2</td></tr>`)
	assert.Contains(t, html, `<h4 class="feedback-team" data-team="cmt">Crisis Management Team</h4>`)

	assert.Contains(t, render("csv-objectives"), "contain_obj,Contain the attack,containment,Containment,"+fmtScore(r.Score.ByCapability["containment"])+","+containment+",M,0,1,1,1,")
	obs := render("csv-observations")
	assert.Contains(t, obs, "seq,t,wall,capability,capability_title,rating,by,team,team_title,text\n")
	assert.Contains(t, obs, ",containment,Containment,S,evaluator,irt,Incident Response Team,ok\n")
	assert.Contains(t, render("csv-answers"), "18,1h5m0s,m1,module.m1.1,Who is in charge?,irt,Incident Response Team,Priya,The IRT lead\n")
	fb := render("csv-feedback")
	assert.Contains(t, fb, "team,team_title,name,structured,realistic,facilitated,right_people,understanding,decisions,strengths,improvements,comment\n")
	assert.Contains(t, fb, "cmt,Crisis Management Team,Cleo,2,5,,,,,,,'=too long\n", "a formula is neutralised")
	assert.Contains(t, fb, ",,mean,3.0,5.0,,,,,,,\n")
}

func fmtScore(v float64) string { return fmt.Sprintf("%.1f", v) }

// TestEEG: the EEG of the v2 fixture: every objective's capabilities with their critical
// tasks for the teams in play, each with its live status by TaskStatus; the observations and
// the evaluators' ratings under each capability; capabilities of no objective last.
func TestEEG(t *testing.T) {
	r := hotWashReport(t)
	g := scoring.NewEEG(r, v2Scenario(), 2*h+30*m)
	type task struct{ id, team, status string }
	got := map[string][]task{}
	var order []string
	for _, o := range g.Objectives {
		for _, c := range o.Capabilities {
			order = append(order, o.Title+"/"+c.Name)
			for _, tk := range c.Tasks {
				got[c.Name] = append(got[c.Name], task{tk.ID, tk.Team, tk.Status})
			}
		}
	}
	assert.Equal(t, []string{"Contain the attack/containment", "Decide and tell/crisis_decisions", "Decide and tell/communications",
		"Other capabilities/detection", "Other capabilities/recovery", "Other capabilities/regulatory"}, order,
		"continuity's only task is of a team not in play")
	assert.Equal(t, []task{{"contain", "irt", scoring.TaskLate}, {"isolate_backups", "irt", scoring.TaskLate}}, got["containment"])
	assert.Equal(t, []task{{"ransom", "cmt", scoring.TaskLate}, {"ransom", "irt", scoring.TaskDone}, {"ransom", "comms", scoring.TaskMissed},
		{"evacuate", "irt", scoring.TaskMissed}}, got["crisis_decisions"])
	assert.Equal(t, []task{{"notify_staff", "comms", scoring.TaskDone}, {"brief_hr", "hr", scoring.TaskNotPlayed}}, got["communications"])
	assert.Equal(t, []task{{"never_triggered", "cmt", scoring.TaskWaiting}}, got["recovery"])
	assert.Equal(t, []task{{"ack", "cmt", scoring.TaskPending}}, got["regulatory"])

	contain := g.Objectives[0].Capabilities[0]
	assert.Equal(t, "Containment", contain.Title)
	require.NotNil(t, contain.Evaluators)
	assert.Equal(t, "M", contain.Evaluators.Median)
	assert.Len(t, contain.Observations, 3)
	assert.Equal(t, "comms", contain.Tasks[0].By, "by whom")
	assert.Equal(t, scoring.Duration(40*m), *contain.Tasks[0].DoneAt, "and when")
	assert.True(t, contain.Tasks[0].Critical)
}

// TestTaskStatus: the rule of a critical task's live status.
func TestTaskStatus(t *testing.T) {
	d := func(v time.Duration) *scoring.Duration { x := scoring.Duration(v); return &x }
	tests := []struct {
		name      string
		it        *scoring.Item
		notPlayed bool
		now       time.Duration
		want      string
	}{
		{"not yet triggered", nil, false, h, scoring.TaskWaiting},
		{"its team has not played", nil, true, h, scoring.TaskNotPlayed},
		{"open, deadline ahead", &scoring.Item{Deadline: d(h)}, false, h, scoring.TaskPending},
		{"open, deadline passed", &scoring.Item{Deadline: d(h)}, false, h + time.Millisecond, scoring.TaskMissed},
		{"open, no deadline", &scoring.Item{}, false, 9 * h, scoring.TaskPending},
		{"done on time", &scoring.Item{Deadline: d(h), DoneAt: d(m), Gaps: []string{scoring.GapWrongOwner}}, false, 2 * h, scoring.TaskDone},
		{"done late", &scoring.Item{Deadline: d(h), DoneAt: d(2 * h), Gaps: []string{scoring.GapLate}}, false, 2 * h, scoring.TaskLate},
		{"missed at the end", &scoring.Item{Gaps: []string{scoring.GapMissed}}, false, 0, scoring.TaskMissed},
		{"defaulted", &scoring.Item{DoneAt: d(h), Defaulted: true, Gaps: []string{scoring.GapMissed}}, false, h, scoring.TaskMissed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, scoring.TaskStatus(tt.it, tt.notPlayed, tt.now))
		})
	}
}

// TestReportFinalOnceClosed: between the end and the close the report says the hot wash is
// open; the close makes it final, with its time.
func TestReportFinalOnceClosed(t *testing.T) {
	md := func(l *eventLog) (string, scoring.Report) {
		r := scoring.Score(scoring.Input{ID: "v2", Scenario: v2Scenario(), Events: l.events, Mode: engine.ModeEvaluation})
		var b strings.Builder
		require.NoError(t, scoring.Write(&b, r, "md"))
		return b.String(), r
	}
	open, r := md(v2Log())
	assert.Nil(t, r.Exercise.ClosedAt)
	assert.Contains(t, open, "| Hot wash | open: observations, answers and feedback may still be added until the facilitator closes it |")
	closed, r := md(v2Log().add(engine.Event{T: 2*h + 30*m, Kind: engine.KindExerciseClosed}))
	require.NotNil(t, r.Exercise.ClosedAt)
	assert.Contains(t, closed, "| Hot wash | closed "+r.Exercise.ClosedAt.Format(time.RFC3339)+": this report is final |")
}

// TestEEGOfTheCTEPScenario: the bundled CTEP-shaped scenario's EEG before the start lists
// every objective, each with its capabilities and their critical tasks, all waiting.
func TestEEGOfTheCTEPScenario(t *testing.T) {
	lib, diags := scenarios.LoadFS(scenarios.Library())
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	sc := lib.Scenarios["water-dosing"]
	require.NotNil(t, sc)
	r := scoring.Score(scoring.Input{ID: "w", Scenario: sc, Mode: engine.ModeEvaluation})
	g := scoring.NewEEG(r, sc, 0)
	require.GreaterOrEqual(t, len(g.Objectives), len(sc.Objectives))
	tasks := 0
	for i, o := range sc.Objectives {
		assert.Equal(t, o.Name, g.Objectives[i].Name)
		assert.Len(t, g.Objectives[i].Capabilities, len(o.Capabilities))
		for _, c := range g.Objectives[i].Capabilities {
			for _, tk := range c.Tasks {
				tasks++
				assert.Equal(t, scoring.TaskWaiting, tk.Status, "%s/%s", c.Name, tk.ID)
			}
		}
	}
	assert.Positive(t, tasks, "the objectives' capabilities have critical tasks")
}
