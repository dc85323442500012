package scoring_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scoring"
)

// TestActionCredit checks every rule of "Credit of an action item" on hand-built logs; each
// expectation is computed by hand from scoring.md.
func TestActionCredit(t *testing.T) {
	tests := []struct {
		name    string
		log     *eventLog
		action  string
		status  string
		credit  *float64
		gaps    []string
		by      string
		doneAt  time.Duration
		evCount int // how many seqs of evidence
	}{
		{
			name:   "on time",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).rec(10*m, "log_report", "service_desk").end(8 * h),
			action: "log_report", status: "scored", credit: f(1), gaps: []string{}, by: "service_desk", doneAt: 10 * m,
		},
		{
			name:   "exactly at the deadline is on time",
			log:    newLog().trig(5*m, "log_report", "service_desk", 15*m).rec(20*m, "log_report", "service_desk").end(8 * h),
			action: "log_report", status: "scored", credit: f(1), gaps: []string{}, by: "service_desk", doneAt: 20 * m,
		},
		{
			name:   "a record before the trigger counts",
			log:    newLog().rec(0, "log_report", "service_desk").trig(5*m, "log_report", "service_desk", 15*m).end(8 * h),
			action: "log_report", status: "scored", credit: f(1), gaps: []string{}, by: "service_desk", doneAt: 0,
		},
		{
			name:   "late, first band: a second after T+D",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).rec(15*m+time.Second, "log_report", "service_desk").end(8 * h),
			action: "log_report", status: "scored", credit: f(0.5), gaps: []string{"late"}, by: "service_desk", doneAt: 15*m + time.Second,
		},
		{
			name:   "late, first band: exactly T+2D",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).rec(30*m, "log_report", "service_desk").end(8 * h),
			action: "log_report", status: "scored", credit: f(0.5), gaps: []string{"late"}, by: "service_desk", doneAt: 30 * m,
		},
		{
			name:   "late, second band: after T+2D",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).rec(31*m, "log_report", "service_desk").end(8 * h),
			action: "log_report", status: "scored", credit: f(0.25), gaps: []string{"late"}, by: "service_desk", doneAt: 31 * m,
		},
		{
			name:   "the due of the trigger event is the one that counts",
			log:    newLog().trig(0, "log_report", "service_desk", 20*m).rec(18*m, "log_report", "service_desk").end(8 * h),
			action: "log_report", status: "scored", credit: f(1), gaps: []string{}, by: "service_desk", doneAt: 18 * m,
		},
		{
			name:   "wrong owner on time: halved",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).rec(5*m, "log_report", "irt").end(8 * h),
			action: "log_report", status: "scored", credit: f(0.5), gaps: []string{"wrong_owner"}, by: "irt", doneAt: 5 * m,
		},
		{
			name:   "wrong owner and late in the second band: 0.25 halved",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).rec(45*m, "log_report", "irt").end(8 * h),
			action: "log_report", status: "scored", credit: f(0.125), gaps: []string{"late", "wrong_owner"}, by: "irt", doneAt: 45 * m,
		},
		{
			name: "the owner's record counts even when another team's is earlier",
			log: newLog().trig(0, "log_report", "service_desk", 15*m).rec(5*m, "log_report", "irt").
				rec(20*m, "log_report", "service_desk").rec(25*m, "log_report", "service_desk").end(8 * h),
			action: "log_report", status: "scored", credit: f(0.5), gaps: []string{"late"}, by: "service_desk", doneAt: 20 * m,
		},
		{
			name: "the earliest of other teams' records counts when the owner has none",
			log: newLog().trig(0, "log_report", "service_desk", 15*m).rec(20*m, "log_report", "cmt").
				rec(25*m, "log_report", "irt").end(8 * h),
			action: "log_report", status: "scored", credit: f(0.25), gaps: []string{"late", "wrong_owner"}, by: "cmt", doneAt: 20 * m,
		},
		{
			name: "out of order: 1 - 0.25",
			log: newLog().trig(0, "log_report", "service_desk", 15*m).trig(0, "escalate_to_irt", "service_desk", 30*m).
				rec(10*m, "escalate_to_irt", "service_desk").rec(12*m, "log_report", "service_desk").end(8 * h),
			action: "escalate_to_irt", status: "scored", credit: f(0.75), gaps: []string{"out_of_order"}, by: "service_desk", doneAt: 10 * m, evCount: 3,
		},
		{
			name: "a prerequisite recorded at the same moment is in order",
			log: newLog().trig(0, "log_report", "service_desk", 15*m).trig(0, "escalate_to_irt", "service_desk", 30*m).
				rec(10*m, "log_report", "service_desk").rec(10*m, "escalate_to_irt", "service_desk").end(8 * h),
			action: "escalate_to_irt", status: "scored", credit: f(1), gaps: []string{}, by: "service_desk", doneAt: 10 * m,
		},
		{
			name: "a prerequisite recorded by another team still counts as done",
			log: newLog().trig(0, "log_report", "service_desk", 15*m).trig(0, "escalate_to_irt", "service_desk", 30*m).
				rec(5*m, "log_report", "irt").rec(10*m, "escalate_to_irt", "service_desk").end(8 * h),
			action: "escalate_to_irt", status: "scored", credit: f(1), gaps: []string{}, by: "service_desk", doneAt: 10 * m,
		},
		{
			name: "out of order subtracts 0.25 once however many prerequisites are missing",
			log: newLog().trig(0, "escalate_to_irt", "service_desk", 30*m).trig(0, "contain_hosts", "irt", h).
				rec(20*m, "contain_hosts", "irt").end(8 * h),
			action: "contain_hosts", status: "scored", credit: f(0.75), gaps: []string{"out_of_order"}, by: "irt", doneAt: 20 * m, evCount: 2,
		},
		{
			name: "floor at 0: late 0.25, halved 0.125, out of order -0.25",
			log: newLog().trig(0, "escalate_to_irt", "service_desk", 30*m).
				rec(1*h+5*m, "escalate_to_irt", "irt").end(8 * h),
			action: "escalate_to_irt", status: "scored", credit: f(0), gaps: []string{"late", "wrong_owner", "out_of_order"}, by: "irt", doneAt: h + 5*m,
		},
		{
			name:   "missed: no record, the exercise ended after the deadline",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).end(8 * h),
			action: "log_report", status: "scored", credit: f(0), gaps: []string{"missed"}, evCount: 2,
		},
		{
			name:   "missed: the exercise ended exactly at the deadline",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).end(15 * m),
			action: "log_report", status: "scored", credit: f(0), gaps: []string{"missed"}, evCount: 2,
		},
		{
			name:   "open: the exercise ended before the deadline",
			log:    newLog().trig(7*h+30*m, "invoke_bcp", "cmt", h).end(8 * h),
			action: "invoke_bcp", status: "open", credit: nil, gaps: []string{}, evCount: 1,
		},
		{
			name:   "open: the log stops before the deadline and has not ended",
			log:    newLog().trig(0, "contain_hosts", "irt", h).rec(50*m, "log_report", "service_desk"),
			action: "contain_hosts", status: "open", credit: nil, gaps: []string{}, evCount: 1,
		},
		{
			name:   "missed: the log has not ended but stops after the deadline",
			log:    newLog().trig(0, "log_report", "service_desk", 15*m).rec(50*m, "contain_hosts", "irt"),
			action: "log_report", status: "scored", credit: f(0), gaps: []string{"missed"}, evCount: 2,
		},
		{
			name: "an escalation to the escalate_to team records the sender's action",
			log: newLog().trig(0, "log_report", "service_desk", 15*m).trig(0, "escalate_to_irt", "service_desk", 30*m).
				rec(5*m, "log_report", "service_desk").escalate(20*m, "service_desk", "irt", "Looks like ransomware").end(8 * h),
			action: "escalate_to_irt", status: "scored", credit: f(1), gaps: []string{}, by: "service_desk", doneAt: 20 * m,
		},
		{
			name: "an escalation to another team records nothing",
			log: newLog().trig(0, "log_report", "service_desk", 15*m).trig(0, "escalate_to_irt", "service_desk", 30*m).
				rec(5*m, "log_report", "service_desk").escalate(20*m, "service_desk", "cmt", "FYI").end(8 * h),
			action: "escalate_to_irt", status: "scored", credit: f(0), gaps: []string{"missed"}, evCount: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustScore(t, testScenario(), tt.log)
			it := mustItem(t, r, "action", tt.action, ownerOf(t, tt.action))
			assert.Equal(t, tt.status, it.Status)
			if tt.credit == nil {
				assert.Nil(t, it.Credit)
			} else if assert.NotNil(t, it.Credit) {
				assert.Equal(t, *tt.credit, *it.Credit)
			}
			assert.Equal(t, tt.gaps, it.Gaps)
			assert.Equal(t, tt.by, it.By)
			if tt.by != "" {
				require.NotNil(t, it.DoneAt)
				assert.Equal(t, tt.doneAt, time.Duration(*it.DoneAt))
			}
			if tt.evCount == 0 {
				tt.evCount = 2
			}
			assert.Len(t, it.Evidence, tt.evCount)
			gaps := 0
			for _, g := range r.Gaps {
				if g.Item == tt.action {
					gaps++
					assert.NotEmpty(t, g.Detail)
					assert.Equal(t, it.Evidence, g.Evidence)
				}
			}
			assert.Equal(t, len(tt.gaps), gaps, "one gap in the report per gap of the item")
			if tt.status == "open" {
				assert.Contains(t, r.Open, tt.action)
			} else {
				assert.NotContains(t, r.Open, tt.action)
			}
		})
	}
}

func ownerOf(tb testing.TB, action string) string {
	tb.Helper()
	for _, a := range testScenario().Plan.Actions {
		if a.Name == action {
			return a.Owner
		}
	}
	require.FailNow(tb, "no action "+action)
	return ""
}

func TestNotInPlay(t *testing.T) {
	r := mustScore(t, testScenario(), newLog().trig(0, "log_report", "service_desk", 15*m).
		rec(5*m, "log_report", "service_desk").end(8*h))
	// (v2) The decision whose inject was never delivered is not in play either.
	assert.Equal(t, []string{"escalate_to_irt", "contain_hosts", "invoke_bcp", "notify_regulator", "ransom"}, r.NotInPlay)
	assert.Len(t, r.Items, 1)
	assert.Equal(t, []string{}, r.Open)
	// A second trigger of the same action is not a second item.
	r = mustScore(t, testScenario(), newLog().trig(0, "log_report", "service_desk", 15*m).
		trig(10*m, "log_report", "service_desk", 15*m).rec(20*m, "log_report", "service_desk").end(8*h))
	require.Len(t, r.Items, 1)
	assert.Equal(t, 0.5, *r.Items[0].Credit)
}

func TestDecisionCredit(t *testing.T) {
	t.Run("right, wrong and first answer per team", func(t *testing.T) {
		r := mustScore(t, testScenario(), newLog().deliver(2*h, "demand", "cmt", "legal").
			answer(2*h+5*m, "ransom", "legal", "pay").
			answer(2*h+10*m, "ransom", "cmt", "refuse").
			answer(2*h+15*m, "ransom", "legal", "refuse").
			end(8*h))
		cmt := mustItem(t, r, "decision", "ransom", "cmt")
		assert.Equal(t, 1.0, *cmt.Credit)
		assert.Equal(t, "refuse", cmt.Answer)
		assert.Equal(t, []string{}, cmt.Gaps)
		assert.Equal(t, 2.0, cmt.Weight)
		legal := mustItem(t, r, "decision", "ransom", "legal")
		assert.Equal(t, 0.0, *legal.Credit)
		assert.Equal(t, "pay", legal.Answer, "the first answer counts")
		assert.Equal(t, []string{"wrong_choice"}, legal.Gaps)
		assert.Equal(t, []int64{2, 3}, legal.Evidence)
		// By team: each team's own decision item only.
		assert.Equal(t, map[string]float64{"cmt": 100, "legal": 0}, r.Score.ByTeam)
		assert.Equal(t, map[string]float64{"crisis_decisions": 50}, r.Score.ByCapability)
		assert.Equal(t, map[string]float64{"containment": 50}, r.Score.ByPhase)
	})
	t.Run("missed at the end", func(t *testing.T) {
		r := mustScore(t, testScenario(), newLog().deliver(2*h, "demand", "cmt", "legal").
			answer(2*h+10*m, "ransom", "cmt", "refuse").end(8*h))
		legal := mustItem(t, r, "decision", "ransom", "legal")
		assert.Equal(t, 0.0, *legal.Credit)
		assert.Equal(t, []string{"missed"}, legal.Gaps)
		assert.Equal(t, []int64{2, 4}, legal.Evidence)
		// (1×2 + 0×2) / 4 = 50
		require.NotNil(t, r.Score.Overall)
		assert.Equal(t, 50.0, *r.Score.Overall)
		assert.Equal(t, "M", *r.Ratings.Overall)
	})
	t.Run("unanswered while the exercise runs is open", func(t *testing.T) {
		r := mustScore(t, testScenario(), newLog().deliver(2*h, "demand", "cmt"))
		it := mustItem(t, r, "decision", "ransom", "cmt")
		assert.Equal(t, "open", it.Status)
		assert.Nil(t, r.Score.Overall)
	})
	t.Run("only teams in to get an item", func(t *testing.T) {
		r := mustScore(t, testScenario(), newLog().deliver(2*h, "demand", "cmt").
			answer(2*h+1*m, "ransom", "legal", "refuse").end(8*h))
		assert.Len(t, r.Items, 1)
	})
}

// TestWeightsAndGroups: contain_hosts (irt, w1) 0.5 late; invoke_bcp (cmt, w2) 1.0;
// log_report (service_desk, w1) missed 0; ransom for cmt (w2) wrong 0; notify_regulator
// (legal) open; escalate_to_irt triggered and recorded on time by service_desk (w1) but out
// of order: log_report was never recorded, so 0.75.
//
//	overall = (0.5 + 2 + 0 + 0 + 0.75) / (1+2+1+2+1) = 3.25/7 = 46.428… → 46.4 U
//	irt 50 M; cmt (2 + 0)/4 = 50 M; service_desk (0 + 0.75)/2 = 37.5 U; legal left out
//	capabilities: containment 50, continuity 100, incident_reporting 0, crisis_decisions 0,
//	escalation 75; regulatory_reporting left out
//	phases: containment (0.5 + 0)/3 = 16.666… → 16.7; recovery 100; detection 37.5
func TestWeightsAndGroups(t *testing.T) {
	r := mustScore(t, testScenario(), newLog().
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "escalate_to_irt", "service_desk", 30*m).
		trig(0, "contain_hosts", "irt", h).
		rec(20*m, "escalate_to_irt", "service_desk").
		rec(h+30*m, "contain_hosts", "irt").
		deliver(2*h, "demand", "cmt").
		answer(2*h+5*m, "ransom", "cmt", "pay").
		trig(3*h, "invoke_bcp", "cmt", h).
		trig(3*h, "notify_regulator", "legal", 72*h).
		rec(3*h+30*m, "invoke_bcp", "cmt").
		end(8*h))
	require.NotNil(t, r.Score.Overall)
	assert.Equal(t, 46.4, *r.Score.Overall)
	assert.Equal(t, "U", *r.Ratings.Overall)
	assert.Equal(t, map[string]float64{"irt": 50, "cmt": 50, "service_desk": 37.5}, r.Score.ByTeam)
	assert.Equal(t, map[string]string{"irt": "M", "cmt": "M", "service_desk": "U"}, r.Ratings.ByTeam)
	assert.Equal(t, map[string]float64{
		"containment": 50, "continuity": 100, "incident_reporting": 0, "crisis_decisions": 0, "escalation": 75,
	}, r.Score.ByCapability)
	assert.Equal(t, map[string]float64{"containment": 16.7, "recovery": 100, "detection": 37.5}, r.Score.ByPhase)
	assert.Equal(t, map[string]string{"containment": "U", "recovery": "P", "detection": "U"}, r.Ratings.ByPhase)
	assert.Equal(t, []string{"notify_regulator"}, r.Open)
	assert.Equal(t, []string{}, r.NotInPlay)

	var kinds []string
	for _, g := range r.Gaps {
		kinds = append(kinds, g.Item+":"+g.Kind)
	}
	assert.Equal(t, []string{"log_report:missed", "escalate_to_irt:out_of_order", "contain_hosts:late", "ransom:wrong_choice"}, kinds)
	require.Len(t, r.ImprovementPlan, 4)
	for _, ca := range r.ImprovementPlan {
		assert.NotEmpty(t, ca.Action)
		assert.NotEmpty(t, ca.Area)
		assert.NotEmpty(t, ca.Element)
		assert.Empty(t, ca.Due)
	}
	// (v2) Ordered by the credit lost: ransom 2 × 1, log_report 1 × 1, contain_hosts 1 × 0.5,
	// escalate_to_irt 1 × 0.25.
	var rows []string
	for _, ca := range r.ImprovementPlan {
		rows = append(rows, fmt.Sprintf("%s:%s:%g", ca.Item, ca.Gap, ca.CreditLost))
	}
	assert.Equal(t, []string{"ransom:wrong_choice:2", "log_report:missed:1", "contain_hosts:late:0.5", "escalate_to_irt:out_of_order:0.25"}, rows)
	assert.Equal(t, "planning", r.ImprovementPlan[1].Element)
	assert.Equal(t, "service_desk", r.ImprovementPlan[1].Responsible)
	require.Len(t, r.Strengths, 1)
	assert.Equal(t, "invoke_bcp", r.Strengths[0].Item)
}

// TestRounding uses weights that make exact halves at the second decimal: binary floating
// point would round several of them down.
func TestRounding(t *testing.T) {
	tests := []struct {
		name    string
		weights [3]float64 // of log_report (missed, 0), escalate_to_irt (wrong owner + late, 0.125), contain_hosts (1.0)
		want    float64
	}{
		// (0×1 + 0.125×3 + 1×6) / 10 = 0.6375 → 63.75 → 63.8
		{"63.75 rounds up", [3]float64{1, 3, 6}, 63.8},
		// (0×4 + 0.125×1 + 1×5) / 10 = 0.5125 → 51.25 → 51.3
		{"51.25 rounds up", [3]float64{4, 1, 5}, 51.3},
		// (0×1 + 0.125×7 + 1×2) / 10 = 0.2875 → 28.75 → 28.8
		{"28.75 rounds up", [3]float64{1, 7, 2}, 28.8},
		// (0×0.1 + 0.125×0.2 + 1×0.2) / 0.5 = 0.45 → 45.0
		{"decimal weights", [3]float64{0.1, 0.2, 0.2}, 45},
		// (0 + 0.125 + 1) / 3 = 0.375 → 37.5
		{"exact", [3]float64{1, 1, 1}, 37.5},
		// (0×1 + 0.125×1 + 1×1.3) / 3.3 = 0.431818… → 43.2
		{"repeating", [3]float64{1, 1, 1.3}, 43.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := testScenario()
			sc.Plan.Actions[0].Weight = tt.weights[0]
			sc.Plan.Actions[1].Weight = tt.weights[1]
			sc.Plan.Actions[2].Weight = tt.weights[2]
			sc.Plan.Actions[1].After = nil
			sc.Plan.Actions[2].After = nil
			r := mustScore(t, sc, newLog().
				trig(0, "log_report", "service_desk", 15*m).
				trig(0, "escalate_to_irt", "service_desk", 30*m).
				trig(0, "contain_hosts", "irt", h).
				rec(2*h, "escalate_to_irt", "irt").
				rec(30*m, "contain_hosts", "irt").
				end(8*h))
			require.NotNil(t, r.Score.Overall)
			assert.Equal(t, tt.want, *r.Score.Overall)
		})
	}
}

func TestRatingBands(t *testing.T) {
	for score, want := range map[float64]string{
		100: "P", 80: "P", 79.9: "S", 66: "S", 65.9: "M", 50: "M", 49.9: "U", 0: "U",
	} {
		assert.Equal(t, want, scoring.Rating(score), "score %v", score)
	}
	// A mean of exactly 0.8 scores 80.0 and is P.
	sc := testScenario()
	sc.Plan.Actions[0].Weight = 4
	r := mustScore(t, sc, newLog().
		trig(0, "log_report", "service_desk", 15*m).trig(0, "contain_hosts", "irt", h).
		rec(5*m, "log_report", "service_desk").end(8*h))
	require.NotNil(t, r.Score.Overall)
	assert.Equal(t, 80.0, *r.Score.Overall)
	assert.Equal(t, "P", *r.Ratings.Overall)
	assert.Equal(t, "U", r.Ratings.ByTeam["irt"])
}

func TestGroupsLeftOut(t *testing.T) {
	r := mustScore(t, testScenario(), newLog().
		trig(0, "log_report", "service_desk", 15*m).
		rec(5*m, "log_report", "service_desk").
		trig(7*h+30*m, "invoke_bcp", "cmt", h).
		end(8*h))
	assert.Equal(t, map[string]float64{"service_desk": 100}, r.Score.ByTeam)
	assert.Equal(t, map[string]float64{"incident_reporting": 100}, r.Score.ByCapability)
	assert.Equal(t, map[string]float64{"detection": 100}, r.Score.ByPhase)
	assert.Equal(t, []string{"invoke_bcp"}, r.Open)

	empty := mustScore(t, testScenario(), newLog().end(8*h))
	assert.Nil(t, empty.Score.Overall)
	assert.Nil(t, empty.Ratings.Overall)
	b, err := json.Marshal(empty.Score)
	require.NoError(t, err)
	assert.JSONEq(t, `{"overall": null, "by_team": {}, "by_capability": {}, "by_phase": {}, "by_objective": {}}`, string(b))
}

func TestObservationsNotesAndTimeline(t *testing.T) {
	l := newLog().deliver(0, "helpdesk-call", "service_desk").
		trig(0, "log_report", "service_desk", 15*m).
		add(engine.Event{T: 5 * m, Kind: engine.KindNote, Team: "service_desk", Name: "Bob", Text: "Called the ward back"}).
		add(engine.Event{T: 6 * m, Kind: engine.KindObservation, Text: "Ticket opened quickly", Capability: "incident_reporting", Rating: "P"}).
		add(engine.Event{T: 40 * m, Kind: engine.KindInjectSkipped, Inject: "spreading", Reason: "when was false"}).
		add(engine.Event{T: 50 * m, Kind: engine.KindSeverityChanged, Severity: "continuity"}).
		add(engine.Event{T: 55 * m, Kind: engine.KindInjectDelivered, To: []string{"irt"}, AdHoc: &engine.AdHocInject{Channel: "chat", Subject: "Are backups OK?"}}).
		end(8 * h)
	r := mustScore(t, testScenario(), l)
	require.Len(t, r.Notes, 1)
	assert.Equal(t, scoring.Note{Seq: 4, T: scoring.Duration(5 * m), Wall: wallBase.Add(5 * m), Team: "service_desk", Name: "Bob", Text: "Called the ward back"}, r.Notes[0])
	require.Len(t, r.Observations, 1)
	assert.Equal(t, "P", r.Observations[0].Rating)
	require.Len(t, r.Timeline, len(l.events))
	for i, te := range r.Timeline {
		assert.Equal(t, l.events[i].Seq, te.Seq)
		assert.Equal(t, l.events[i].Kind, te.Kind)
		assert.NotEmpty(t, te.Summary)
	}
	assert.Equal(t, "Inject helpdesk-call to service_desk: Screens showing a strange message", r.Timeline[1].Summary)
	assert.Equal(t, "spreading", r.Timeline[5].Inject)
	assert.Equal(t, "Severity now continuity (Business continuity event)", r.Timeline[6].Summary)
	assert.Equal(t, "Ad-hoc inject to irt: Are backups OK?", r.Timeline[7].Summary)

	b, err := json.Marshal(r.Timeline[1])
	require.NoError(t, err)
	assert.JSONEq(t, `{"seq": 2, "t": "0s", "wall": "2026-03-14T09:00:00Z", "kind": "inject_delivered",
		"inject": "helpdesk-call", "to": ["service_desk"], "subject": "Screens showing a strange message",
		"summary": "Inject helpdesk-call to service_desk: Screens showing a strange message"}`, string(b))
	assert.Equal(t, "ended", r.Exercise.Status)
	assert.Equal(t, scoring.Duration(8*h), r.Exercise.Elapsed)
}

func TestEventsOutOfSeqOrder(t *testing.T) {
	l := newLog().trig(0, "log_report", "service_desk", 15*m).rec(20*m, "log_report", "irt").
		rec(25*m, "log_report", "service_desk").end(8 * h)
	shuffled := []engine.Event{l.events[3], l.events[0], l.events[4], l.events[2], l.events[1]}
	a := scoring.Score(scoring.Input{ID: "x", Scenario: testScenario(), Events: l.events})
	b := scoring.Score(scoring.Input{ID: "x", Scenario: testScenario(), Events: shuffled})
	assert.Equal(t, a, b)
}

func TestHeldInjectsAndNoScenario(t *testing.T) {
	r := mustScore(t, testScenario(), newLog().
		add(engine.Event{T: 10 * m, Kind: engine.KindInjectHeld, Inject: "spreading"}).
		add(engine.Event{T: 20 * m, Kind: engine.KindInjectReleased, Inject: "spreading"}))
	assert.Equal(t, "Inject spreading held back by the facilitator", r.Timeline[1].Summary)
	assert.Equal(t, "Inject spreading released by the facilitator", r.Timeline[2].Summary)
	assert.Equal(t, "in_progress", r.Exercise.Status)

	// A missing scenario is a caller's bug, but the log is still reported rather than lost.
	bare := scoring.Score(scoring.Input{ID: "x", Events: newLog().end(h).events})
	assert.Len(t, bare.Timeline, 2)
	assert.Empty(t, bare.Items)
}
