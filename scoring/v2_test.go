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
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

// v2Scenario is a plan and scenario with every v2 rule of scoring.md in play, built by hand.
// Teams in play: irt, comms, cmt, hr; facilities is not in play; regulator is external.
func v2Scenario() *scenarios.Scenario {
	plan := &scenarios.Plan{
		Name: "v2-plan", Title: "The v2 plan", Version: "2.0",
		Teams: []*scenarios.Team{
			{Name: "irt", Title: "Incident Response Team", Tier: 2},
			{Name: "comms", Title: "Communications", Tier: 3},
			{Name: "cmt", Title: "Crisis Management Team", Tier: 4},
			{Name: "hr", Title: "Human Resources", Tier: 3},
			{Name: "facilities", Title: "Facilities", Tier: 3},
			{Name: "regulator", Title: "The regulator", Tier: 4, External: true},
		},
		Actions: []*scenarios.Action{
			{Name: "log", Title: "Log the incident", Owner: "irt", Phase: "detection", Capability: "detection", Due: 15 * m, Weight: 1},
			{Name: "contain", Title: "Contain the hosts", Owner: "irt", Phase: "containment", Capability: "containment", Due: 30 * m, Weight: 0.3, Critical: true},
			{Name: "isolate_backups", Title: "Isolate the backups", Owner: "irt", Phase: "containment", Capability: "containment", Due: 10 * m, Weight: 1},
			{Name: "notify_staff", Title: "Notify the staff", Owner: "comms", Phase: "containment", Capability: "communications", Due: 20 * m, Weight: 0.7, After: []string{"contain"}},
			{Name: "power_check", Title: "Check the power", Owner: "facilities", Phase: "containment", Capability: "continuity", Due: h},
			{Name: "brief_hr", Title: "Brief HR", Owner: "hr", Phase: "containment", Capability: "communications", Due: h},
			{Name: "never_triggered", Title: "Never triggered", Owner: "cmt", Phase: "recovery", Capability: "recovery", Due: h},
		},
	}
	options := []scenarios.Option{{Key: "refuse"}, {Key: "negotiate"}, {Key: "pay"}}
	return &scenarios.Scenario{
		Name: "v2-scenario", Title: "Every v2 rule", PlanName: "v2-plan", Plan: plan, Duration: 3 * h,
		Objectives: []*scenarios.Objective{
			{Name: "contain_obj", Title: "Contain the attack", Capabilities: []string{"containment"}},
			{Name: "decide_obj", Title: "Decide and tell", Capabilities: []string{"crisis_decisions", "communications"}},
		},
		Modules: []*scenarios.Module{
			{Name: "m1", Title: "Detection", At: 0, Questions: []scenarios.Question{{ID: "module.m1.1", Text: "Who is in charge?"}}},
		},
		Injects: []*scenarios.Inject{
			{Name: "start", HasAt: true, To: []string{"irt"}, Subject: "Start",
				Triggers: []string{"log", "contain", "isolate_backups", "notify_staff", "power_check", "brief_hr"}},
			{Name: "nudge-irt", HasAt: true, At: 5 * m, To: []string{"irt"}, Subject: "Tell the staff?", Prompts: []string{"notify_staff"}, Order: 1},
			{Name: "nudge", HasAt: true, At: 25 * m, To: []string{"irt"}, Subject: "The backups!", Prompts: []string{"isolate_backups", "log"}, Order: 2},
			{Name: "demand", HasAt: true, At: h, To: []string{"cmt", "irt", "comms", "regulator"}, Subject: "Pay up", Order: 3,
				Decision: &scenarios.Decision{Name: "ransom", Options: options, DecidedBy: []string{"cmt", "irt", "comms"},
					Credit: map[string]float64{"refuse": 1, "negotiate": 0.5}, Due: 30 * m,
					Capability: "crisis_decisions", Phase: "containment", Weight: 2}},
			{Name: "press-call", HasAt: true, At: h + 10*m, To: []string{"comms", "regulator"}, Subject: "A journalist calls", Order: 4,
				Decision: &scenarios.Decision{Name: "press_line", Options: []scenarios.Option{{Key: "hold"}, {Key: "talk"}}}},
			{Name: "fire", HasAt: true, At: h + 15*m, To: []string{"irt"}, Subject: "Smoke", Order: 5,
				Decision: &scenarios.Decision{Name: "evacuate", Options: []scenarios.Option{{Key: "stay"}, {Key: "evacuate"}},
					DecidedBy: []string{"irt"}, Expected: "stay", Due: 10 * m, Default: "evacuate",
					Capability: "crisis_decisions", Phase: "containment", Weight: 1}},
			{Name: "quiet", HasAt: true, At: h + 30*m, To: []string{"cmt"}, Subject: "Skipped", Order: 6},
			{Name: "regulator-call", HasAt: true, At: 2 * h, To: []string{"cmt", "regulator"}, Subject: "The regulator asks", Order: 7,
				Decision: &scenarios.Decision{Name: "ack", Options: []scenarios.Option{{Key: "yes"}, {Key: "no"}},
					Expected: "yes", Due: h, Capability: "regulatory", Phase: "containment"}},
			{Name: "payment-wallet", After: "ransom", AfterKind: scenarios.AfterDecision, To: []string{"cmt"}, Subject: "Wallet", Order: 8},
		},
	}
}

// v2Log plays v2Scenario; the comments give each event's seq.
func v2Log() *eventLog {
	inPlay := []string{"irt", "comms", "cmt", "hr"}
	l := &eventLog{}
	return l.
		add(engine.Event{Kind: engine.KindExerciseStarted, Speed: 1, Mode: engine.ModeEvaluation, Teams: inPlay}).                                      // 1
		add(engine.Event{Kind: engine.KindTeamJoined, Team: "irt"}).                                                                                    // 2
		add(engine.Event{T: m, Kind: engine.KindTeamJoined, Team: "cmt"}).                                                                              // 3
		deliver(0, "start", "irt").                                                                                                                     // 4
		trig(0, "log", "irt", 15*m).                                                                                                                    // 5
		trig(0, "contain", "irt", 30*m).                                                                                                                // 6
		trig(0, "isolate_backups", "irt", 10*m).                                                                                                        // 7
		trig(0, "notify_staff", "comms", 20*m).                                                                                                         // 8
		trig(0, "power_check", "facilities", h).                                                                                                        // 9
		trig(0, "brief_hr", "hr", h).                                                                                                                   // 10
		rec(5*m, "log", "irt").                                                                                                                         // 11
		deliver(5*m, "nudge-irt", "irt").                                                                                                               // 12
		rec(15*m, "notify_staff", "comms").                                                                                                             // 13
		deliver(25*m, "nudge", "irt").                                                                                                                  // 14
		rec(26*m+52*time.Second+400400*time.Microsecond, "isolate_backups", "irt").                                                                     // 15
		rec(40*m, "contain", "comms").                                                                                                                  // 16
		deliver(h, "demand", "cmt", "irt", "comms", "regulator").                                                                                       // 17
		add(engine.Event{T: h + 5*m, Kind: engine.KindAnswerRecorded, Team: "irt", Name: "Priya", Question: "module.m1.1", Text: "The IRT lead"}).      // 18
		deliver(h+10*m, "press-call", "comms", "regulator").                                                                                            // 19
		answer(h+12*m, "press_line", "comms", "hold").                                                                                                  // 20
		deliver(h+15*m, "fire", "irt").                                                                                                                 // 21
		answer(h+20*m, "ransom", "irt", "negotiate").                                                                                                   // 22
		add(engine.Event{T: h + 25*m, Kind: engine.KindDecisionDefaulted, Team: "irt", Decision: "evacuate", Option: "evacuate"}).                      // 23
		answer(h+27*m, "evacuate", "irt", "stay").                                                                                                      // 24: after the default, it does not count
		add(engine.Event{T: h + 30*m, Kind: engine.KindInjectSkipped, Inject: "quiet", Reason: "when was false"}).                                      // 25
		answer(h+45*m, "ransom", "cmt", "negotiate").                                                                                                   // 26: late
		add(engine.Event{T: h + 50*m, Kind: engine.KindObservation, By: "evaluator", Capability: "containment", Rating: "U", Text: "slow"}).            // 27
		add(engine.Event{T: h + 51*m, Kind: engine.KindObservation, By: "facilitator", Capability: "containment", Rating: "M", Text: "so so"}).         // 28
		add(engine.Event{T: h + 52*m, Kind: engine.KindObservation, By: "evaluator", Team: "irt", Capability: "containment", Rating: "S", Text: "ok"}). // 29
		add(engine.Event{T: h + 53*m, Kind: engine.KindObservation, By: "evaluator", Capability: "crisis_decisions", Rating: "P", Text: "good"}).       // 30
		add(engine.Event{T: h + 54*m, Kind: engine.KindObservation, By: "evaluator", Capability: "crisis_decisions", Rating: "S", Text: "fine"}).       // 31
		add(engine.Event{T: h + 55*m, Kind: engine.KindObservation, By: "evaluator", Capability: "recovery", Rating: "S", Text: "n/a"}).                // 32
		deliver(2*h, "regulator-call", "cmt", "regulator").                                                                                             // 33
		add(engine.Event{T: 2*h + 5*m, Kind: engine.KindTeamMarkedPlayed, Team: "comms"}).                                                              // 34
		add(engine.Event{T: 2*h + 10*m, Kind: engine.KindFeedbackRecorded, Team: "irt", Name: "Priya",
												Feedback: &engine.Feedback{Ratings: map[string]int{"structured": 4}, Strengths: "clear", Improvements: "more time"}}). // 35
		end(2*h + 30*m).                                                          // 36
		add(engine.Event{T: 2*h + 30*m, Kind: engine.KindTeamJoined, Team: "hr"}) // 37: after the end
}

// TestScoringV2Fixture checks v2Scenario's report item by item against figures worked out by
// hand from scoring.md (v2).
func TestScoringV2Fixture(t *testing.T) {
	r := scoring.Score(scoring.Input{ID: "v2", Scenario: v2Scenario(), Events: v2Log().events,
		Mode: engine.ModeEvaluation, Kind: engine.ExerciseLive, Teams: []string{"irt", "comms", "cmt", "hr"}})

	assert.Equal(t, "evaluation", r.Exercise.Mode)
	assert.Equal(t, "live", r.Exercise.Kind)
	assert.Equal(t, []string{"irt", "comms", "cmt", "hr"}, r.Exercise.TeamsInPlay)
	// hr joined only after the end; comms was marked played.
	assert.Equal(t, []string{"irt", "comms", "cmt"}, r.Exercise.TeamsPlayed)

	type row struct {
		kind, id, team, status string
		credit                 *float64
		weight                 float64
		gaps                   []string
		answer                 string
		defaulted              bool
	}
	var got []row
	for _, it := range r.Items {
		got = append(got, row{it.Kind, it.ID, it.Team, it.Status, it.Credit, it.Weight, it.Gaps, it.Answer, it.Defaulted})
	}
	assert.Equal(t, []row{
		// On time, by its owner; the nudge that names it came after.
		{"action", "log", "irt", "scored", f(1), 1, []string{}, "", false},
		// comms at 40m: 0.5 (by T+2D) × ½ (wrong owner) = 0.25.
		{"action", "contain", "irt", "scored", f(0.25), 0.3, []string{"late", "wrong_owner"}, "", false},
		// 26m52s, after T+2D = 20m: 0.25 × ½ (prompted at 25m) = 0.125.
		{"action", "isolate_backups", "irt", "scored", f(0.125), 1, []string{"late", "prompted"}, "", false},
		// On time, 1 − ¼ (contain not yet recorded); the prompt went to irt, not comms.
		{"action", "notify_staff", "comms", "scored", f(0.75), 0.7, []string{"out_of_order"}, "", false},
		// negotiate (0.5), late (after 1h30m): 0.25.
		{"decision", "ransom", "cmt", "scored", f(0.25), 2, []string{"late", "partial"}, "negotiate", false},
		{"decision", "ransom", "irt", "scored", f(0.5), 2, []string{"partial"}, "negotiate", false},
		// No answer, and the exercise ran past 1h30m.
		{"decision", "ransom", "comms", "scored", f(0), 2, []string{"missed"}, "", false},
		// The default came first; the answer after it does not count.
		{"decision", "evacuate", "irt", "scored", f(0), 1, []string{"missed"}, "evacuate", true},
		// Due at 3h, the exercise ended at 2h30m: open. The external regulator decides nothing.
		{"decision", "ack", "cmt", "open", nil, 1, []string{}, "", false},
	}, got)

	assert.Equal(t, []scoring.NotPlayedItem{
		{Kind: "action", ID: "power_check", Team: "facilities"},
		{Kind: "action", ID: "brief_hr", Team: "hr"},
	}, r.NotPlayed)
	assert.Equal(t, []string{"never_triggered"}, r.NotInPlay)
	assert.Equal(t, []string{"ack"}, r.Open)
	assert.Equal(t, []string{"payment-wallet"}, r.NotReached)
	assert.Equal(t, []scoring.Discussion{{Decision: "press_line", Inject: "press-call", Answers: map[string]string{"comms": "hold"}}}, r.Discussions)

	// Σ credit × weight = 1 + 0.075 + 0.125 + 0.525 + 0.5 + 1 + 0 + 0 = 3.225 over Σ weight =
	// 10: 32.25, rounded half away from zero to 32.3 (floating point sums to 32.2499…).
	require.NotNil(t, r.Score.Overall)
	assert.Equal(t, 32.3, *r.Score.Overall)
	assert.Equal(t, "U", *r.Ratings.Overall)
	// irt: (1 + 0.075 + 0.125 + 1 + 0) / 5.3 = 41.5; cmt 0.5 / 2; comms 0.525 / 2.7 = 19.4.
	assert.Equal(t, map[string]float64{"irt": 41.5, "cmt": 25, "comms": 19.4}, r.Score.ByTeam)
	// containment 0.2 / 1.3 = 15.4; crisis_decisions 1.5 / 7 = 21.4.
	assert.Equal(t, map[string]float64{"detection": 100, "containment": 15.4, "communications": 75, "crisis_decisions": 21.4}, r.Score.ByCapability)
	// containment: 2.225 / 9 = 24.7.
	assert.Equal(t, map[string]float64{"detection": 100, "containment": 24.7}, r.Score.ByPhase)
	// decide_obj: (0.525 + 1.5) / 7.7 = 26.3.
	assert.Equal(t, map[string]float64{"contain_obj": 15.4, "decide_obj": 26.3}, r.Score.ByObjective)
	assert.Equal(t, map[string]string{"contain_obj": "U", "decide_obj": "U"}, r.Ratings.ByObjective)
	assert.Equal(t, "S", r.Ratings.ByCapability["communications"])

	u := "U"
	assert.Equal(t, map[string]scoring.EvaluatorRating{
		// U, M, S: the middle one is M, one band from the automatic U.
		"containment": {U: 1, M: 1, S: 1, Median: "M", Automatic: &u},
		// S, P: the lower of the two middle ones is S, two bands from U.
		"crisis_decisions": {S: 1, P: 1, Median: "S", Automatic: &u, Disagreement: true},
		// No score: no automatic rating, no disagreement.
		"recovery": {S: 1, Median: "S"},
	}, r.EvaluatorRatings)

	var plan []string
	for _, ca := range r.ImprovementPlan {
		plan = append(plan, fmt.Sprintf("%s:%s:%v:%s:%g", ca.Item, ca.Gap, ca.Teams, ca.Responsible, ca.CreditLost))
	}
	assert.Equal(t, []string{
		"ransom:partial:[cmt irt]:cmt:2.5", // 2 × 0.75 + 2 × 0.5
		"ransom:missed:[comms]:comms:2",
		"ransom:late:[cmt]:cmt:1.5",
		"evacuate:missed:[irt]:irt:1",
		"isolate_backups:late:[irt]:irt:0.875",
		"isolate_backups:prompted:[irt]:irt:0.875",
		"contain:late:[irt]:irt:0.225", // 0.3 × 0.75
		"contain:wrong_owner:[irt]:irt:0.225",
		"notify_staff:out_of_order:[comms]:comms:0.175",
	}, plan)
	for _, ca := range r.ImprovementPlan {
		assert.Contains(t, ca.Action, "The plan is not changed", ca.Item+":"+ca.Gap)
	}
	// contain is critical: its lateness never relaxes the plan.
	assert.Contains(t, r.ImprovementPlan[6].Action, "safety-critical")

	// Evidence: the prompted gap shows the prompting inject's delivery.
	for _, g := range r.Gaps {
		if g.Item == "isolate_backups" && g.Kind == "prompted" {
			assert.Equal(t, []int64{7, 15, 14}, g.Evidence)
		}
	}
	evac := mustItem(t, r, "decision", "evacuate", "irt")
	assert.Equal(t, []int64{21, 23}, evac.Evidence)

	require.Len(t, r.Answers, 1)
	assert.Equal(t, scoring.Answer{Question: "module.m1.1", QuestionText: "Who is in charge?", Team: "irt", Name: "Priya",
		Answer: "The IRT lead", T: scoring.Duration(h + 5*m), Seq: 18}, r.Answers[0])
	require.Len(t, r.Modules, 1)
	assert.Equal(t, r.Answers, r.Modules[0].Questions[0].Answers)
	assert.Equal(t, []scoring.ObjectiveInfo{
		{Name: "contain_obj", Title: "Contain the attack", Capabilities: []string{"containment"}},
		{Name: "decide_obj", Title: "Decide and tell", Capabilities: []string{"crisis_decisions", "communications"}},
	}, r.Objectives)
	assert.Equal(t, []scoring.FeedbackEntry{{Team: "irt", Name: "Priya", Ratings: map[string]int{"structured": 4},
		Strengths: "clear", Improvements: "more time"}}, r.Feedback)

	// Every key of scoring.md's v1 and v2 examples is in the JSON.
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	for _, k := range []string{"exercise", "score", "ratings", "items", "not_in_play", "open", "gaps", "timeline",
		"not_played", "discussions", "answers", "objectives", "modules", "feedback", "not_reached", "evaluator_ratings"} {
		assert.Contains(t, doc, k)
	}
	ex := doc["exercise"].(map[string]any)
	for _, k := range []string{"id", "scenario", "plan", "plan_version", "mode", "kind", "teams_in_play", "teams_played"} {
		assert.Contains(t, ex, k)
	}
	assert.Contains(t, doc["score"], "by_objective")
	assert.Contains(t, doc["ratings"], "by_objective")
	// JSON durations are rounded to the millisecond.
	assert.Contains(t, string(b), `"done_at":"26m52.4s"`)
}

// TestTeamsPlayedWithoutJoins: a log with no team_joined (a rehearsal, a log from before v2)
// counts every team in play as played, and an exercise with no mode is training.
func TestTeamsPlayedWithoutJoins(t *testing.T) {
	r := mustScore(t, testScenario(), newLog().trig(0, "log_report", "service_desk", 15*m).end(h))
	assert.Equal(t, "training", r.Exercise.Mode)
	assert.Equal(t, "live", r.Exercise.Kind)
	assert.Equal(t, []string{"service_desk", "irt", "cmt", "legal"}, r.Exercise.TeamsPlayed)
	assert.Len(t, r.Items, 1)

	// The record's teams narrow those in play; the others' items are not played.
	r = scoring.Score(scoring.Input{ID: "x", Scenario: testScenario(), Teams: []string{"irt"},
		Events: newLog().trig(0, "log_report", "service_desk", 15*m).end(h).events})
	assert.Empty(t, r.Items)
	assert.Equal(t, []scoring.NotPlayedItem{{Kind: "action", ID: "log_report", Team: "service_desk"}}, r.NotPlayed)
}

// TestCreditArithmetic checks the combination order of scoring.md step 6 exactly.
func TestCreditArithmetic(t *testing.T) {
	tests := []struct {
		timing float64
		f      scoring.ActionFactors
		want   float64
	}{
		{1, scoring.ActionFactors{}, 1},
		{0.5, scoring.ActionFactors{WrongOwner: true, Prompted: true}, 0.125},
		{0.5, scoring.ActionFactors{WrongOwner: true, OutOfOrder: true}, 0},
		{1, scoring.ActionFactors{Prompted: true, OutOfOrder: true}, 0.25},
		{0.25, scoring.ActionFactors{WrongOwner: true, Prompted: true, OutOfOrder: true}, 0},
	}
	for _, tt := range tests {
		timing, _ := scoring.TimingCredit(0, 0, 0)
		timing.SetFloat64(tt.timing)
		got, _ := scoring.ActionCredit(timing, tt.f).Float64()
		assert.Equal(t, tt.want, got, "%v %+v", tt.timing, tt.f)
	}
	d := &scenarios.Decision{Credit: map[string]float64{"a": 0.33}}
	got, _ := scoring.DecisionCredit(d, "a", true).Float64()
	assert.Equal(t, 0.165, got)
	assert.Equal(t, "33/200", scoring.DecisionCredit(d, "a", true).RatString())
	rec, ok := engine.CountingRecord([]engine.ActionRecord{{Team: "a", Seq: 1}, {Team: "o", Seq: 2}}, "o")
	assert.True(t, ok)
	assert.Equal(t, int64(2), rec.Seq)
	rec, _ = engine.CountingRecord([]engine.ActionRecord{{Team: "a", Seq: 1}, {Team: "b", Seq: 2}}, "o")
	assert.Equal(t, int64(1), rec.Seq)
}

// TestHumanFormsV2: the human forms of the v2 fixture name teams, capabilities and actions by
// their titles and give simulated times to the second; the CSV keeps names and Go durations
// with title columns beside them; the JSON keeps names.
func TestHumanFormsV2(t *testing.T) {
	r := scoring.Score(scoring.Input{ID: "v2", Scenario: v2Scenario(), Events: v2Log().events,
		Mode: engine.ModeEvaluation, Teams: []string{"irt", "comms", "cmt", "hr"}})
	render := func(format string) string {
		var b strings.Builder
		require.NoError(t, scoring.Write(&b, r, format))
		return b.String()
	}
	for _, format := range []string{"md", "html"} {
		out := render(format)
		assert.Contains(t, out, "T+0:26:52", format)
		assert.NotContains(t, out, "26m52.4", format)
		assert.Contains(t, out, "Isolate the backups", format)
		assert.Contains(t, out, "Incident Response Team", format)
		assert.Contains(t, out, "Crisis decisions", format)
		assert.Contains(t, out, "Contain the attack", format)   // an objective
		assert.Contains(t, out, "Who is in charge?", format)    // a module's question
		assert.Contains(t, out, "The IRT lead", format)         // its answer
		assert.Contains(t, out, "payment-wallet", format)       // not reached
		assert.Contains(t, out, "Human Resources", format)      // not played
		assert.Contains(t, out, "disagreement", format)         // evaluators' ratings
		assert.Contains(t, out, "more time", format)            // feedback
		assert.Contains(t, out, "evacuate (default)", format)   // the defaulted answer
		assert.Contains(t, out, "Communications: hold", format) // the discussion
		assert.Contains(t, out, "evaluation (live)", format)    // the mode
	}
	csv := render("csv")
	assert.Contains(t, csv, "kind,id,title,team,team_title,capability,capability_title,")
	assert.Contains(t, csv, "isolate_backups,Isolate the backups,irt,Incident Response Team,containment,Containment,")
	assert.Contains(t, csv, "26m52.4004s")
	assert.Equal(t, "Crisis decisions", scoring.CapabilityTitle("crisis_decisions"))
	assert.Equal(t, "T+0:04:52", scoring.HumanTime(4*time.Minute+52*time.Second+900*time.Millisecond))
	assert.Equal(t, "4m52s", scoring.HumanDuration(4*time.Minute+52*time.Second+900*time.Millisecond))
}
