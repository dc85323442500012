package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// momentScenario has, at 10m: the module m2's start, the inject a, and the due of decision
// ransom (delivered at 0 to cmt and legal, due in 10m, default refuse).
func momentScenario() *scenarios.Scenario {
	sc := testScenario(h,
		inj("a", at(10*m), to("irt")),
		inj("demand", at(0), to("cmt", "legal"), decision("ransom", "refuse", "pay", "refuse"), decidedBy("cmt", "legal"), dueIn(10*m, "refuse")),
	)
	sc.Modules = []*scenarios.Module{module("m1", 0), module("m2", 10*m, "What now?")}
	return sc
}

// TestOrderAtOneMoment: at one simulated moment, clock events come first, then module starts,
// then injects, then the responses stamped then, then the decision defaults due then
// (language.md v2, "One moment, one order").
func TestOrderAtOneMoment(t *testing.T) {
	ctx := context.Background()
	cmt := engine.Response{Team: "cmt", Name: "Cleo"}
	tests := []struct {
		name string
		do   func(x *engine.Exercise) error
		want []string
	}{
		{
			name: "a response",
			do: func(x *engine.Exercise) error {
				_, err := x.Choose(ctx, cmt, "ransom", "pay")
				return err
			},
			want: []string{
				"10m0s module_started m2",
				"10m0s inject_delivered a",
				"10m0s decision_answered cmt ransom pay",
				"10m0s decision_defaulted legal ransom refuse",
			},
		},
		{
			name: "a clock event",
			do:   func(x *engine.Exercise) error { return x.Pause(ctx) },
			want: []string{
				"10m0s clock paused",
				"10m0s module_started m2",
				"10m0s inject_delivered a",
				"10m0s decision_defaulted cmt ransom refuse",
				"10m0s decision_defaulted legal ransom refuse",
			},
		},
		{
			name: "the facilitator's end",
			do:   func(x *engine.Exercise) error { return x.End(ctx) },
			want: []string{
				"10m0s module_started m2",
				"10m0s inject_delivered a",
				"10m0s decision_defaulted cmt ransom refuse",
				"10m0s decision_defaulted legal ransom refuse",
				"10m0s exercise_ended",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustStart(t, momentScenario(), 60)
			before := len(f.x.EventsSince(0))
			f.clock.Advance(10 * time.Second) // exactly 10m, nothing ticked
			require.NoError(t, tt.do(f.x))
			assert.Equal(t, tt.want, timeline(f.x.EventsSince(0))[before:])
		})
	}
}

func TestStartOrder(t *testing.T) {
	f := mustStart(t, momentScenario(), 60)
	assert.Equal(t, []string{
		"0s module_started m1",
		"0s inject_delivered demand",
	}, afterStart(f.x.EventsSince(0)))
}

// TestTimesTruncatedToTheMillisecond: simulated times are stamped truncated to the
// millisecond.
func TestTimesTruncatedToTheMillisecond(t *testing.T) {
	f := mustStart(t, testScenario(h), 1)
	f.clock.Advance(1234567891 * time.Nanosecond)
	e, err := f.x.Note(context.Background(), engine.Response{Team: "irt"}, "now")
	require.NoError(t, err)
	assert.Equal(t, 1234*time.Millisecond, e.T)
	assert.Equal(t, 1234*time.Millisecond, f.x.Snapshot().SimTime)
}

// TestChains: an inject after an action comes due its delay after the action's first record
// by any team; an inject after a skipped inject, or after the decision of a skipped inject, is
// skipped, and so are those after it; what never comes due is not reached at the end.
func TestChains(t *testing.T) {
	sc := testScenario(2*h,
		inj("contained", afterAction("contain_hosts", 5*m)),
		inj("vote", at(10*m), to("cmt"), when("false"), decision("ransom", "refuse", "pay", "refuse")),
		inj("after-vote", afterDecision("ransom", 0), to("cmt")),
		inj("after-after-vote", after("after-vote", m), to("cmt")),
		inj("after-bridge", afterAction("invoke_bcp", 0), to("cmt")),
		inj("late", at(3*h)),
		inj("held", at(50*m)),
	)
	rh := &scenarios.Rehearsal{Name: "r", Steps: setSteps([]scenarios.Step{
		respond("cmt", "contain_hosts", 20*m), // another team's record counts for the chain
		respond("irt", "contain_hosts", 25*m),
	})}
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"10m0s inject_skipped vote",
		"10m0s inject_skipped after-vote",
		"10m0s inject_skipped after-after-vote",
		"20m0s action_recorded contain_hosts cmt",
		"25m0s inject_delivered contained",
		"25m0s action_recorded contain_hosts irt",
		"50m0s inject_delivered held",
		"2h0m0s exercise_ended",
	}, afterStart(res.Events))
	var reasons []string
	for _, e := range res.Events {
		if e.Kind == engine.KindInjectSkipped {
			reasons = append(reasons, e.Reason)
		}
	}
	assert.Equal(t, []string{
		"its when condition was false",
		"it follows decision ransom of inject vote, which was skipped",
		"it follows inject after-vote, which was skipped",
	}, reasons)
	assert.Equal(t, []string{"after-bridge", "late"}, res.State.NotReached())
}

func TestNotReachedInTheSnapshot(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, testScenario(h, inj("a", at(10*m)), inj("b", afterAction("invoke_bcp", 0)), inj("c", at(20*m))), 60)
	require.NoError(t, f.x.Hold(ctx, "c", true))
	assert.Nil(t, f.x.Snapshot().NotReached, "nothing is not reached before the end")
	assert.Nil(t, f.x.LiveState().NotReached())
	require.NoError(t, f.x.End(ctx))
	assert.Equal(t, []string{"a", "b", "c"}, f.x.Snapshot().NotReached, "held, waiting on an action, never due")
}

// TestModules: a module starts when the clock reaches its at, and advance stops there when it
// comes before the next inject.
func TestModules(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(h, inj("a", at(30*m)))
	sc.Modules = []*scenarios.Module{module("detect", 0, "Who saw it first?"), module("contain", 20*m)}
	f := mustStart(t, sc, 60)
	require.NoError(t, f.x.Advance(ctx))
	require.NoError(t, f.x.Advance(ctx))
	assert.Equal(t, []string{
		"0s module_started detect",
		"20m0s clock advanced",
		"20m0s module_started contain",
		"30m0s clock advanced",
		"30m0s inject_delivered a",
	}, afterStart(f.x.EventsSince(0)))
	assert.Equal(t, map[string]time.Duration{"detect": 0, "contain": 20 * m}, f.x.LiveState().ModuleStarts)
}

// TestAnswers: a module's question may be answered once the module started, an inject's once
// it was delivered to the team, as often as they like; anything else is refused naming it.
func TestAnswers(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(h, inj("images", at(0), to("irt"), questions("What entry point?", "Since when?")))
	sc.Modules = []*scenarios.Module{module("detect", 0, "Who saw it first?"), module("contain", 30*m, "Isolate?")}
	irt := engine.Response{Team: "irt", Name: "Ines"}
	tests := []struct {
		name     string
		r        engine.Response
		question string
		text     string
		code     string // "" when taken
		msg      string
	}{
		{"a module's question", irt, "module.detect.1", "The ward clerk", "", ""},
		{"again", irt, "module.detect.1", "The ward clerk, at 09:12", "", ""},
		{"an inject's question", irt, "inject.images.2", "Tuesday", "", ""},
		{"another team's inject", engine.Response{Team: "cmt"}, "inject.images.1", "?", engine.EInvalid, "question: inject.images.1 has not been put to team cmt"},
		{"a module not started", irt, "module.contain.1", "yes", engine.EInvalid, "question: module.contain.1 has not been put yet: module contain starts at 30m0s"},
		{"an unknown question", irt, "module.detect.9", "yes", engine.EInvalid, `question: the scenario has no question "module.detect.9"`},
		{"no text", irt, "module.detect.1", " ", engine.EInvalid, "text: is required"},
		{"no question", irt, "", "yes", engine.EInvalid, "question: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustStart(t, sc, 60)
			f.advance(t, 5*time.Second)
			e, err := f.x.Answer(ctx, tt.r, tt.question, tt.text)
			if tt.code != "" {
				assert.Equal(t, tt.code, engine.ErrorCode(err))
				assert.EqualError(t, err, tt.msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, engine.Event{Seq: e.Seq, T: 5 * m, Wall: e.Wall, Kind: engine.KindAnswerRecorded, Team: "irt", Name: "Ines", Question: tt.question, Text: tt.text}, e)
			assert.Equal(t, []engine.QuestionAnswer{{Team: "irt", Name: "Ines", Text: tt.text, T: 5 * m, Seq: e.Seq}}, f.x.LiveState().QuestionAnswers[tt.question])
		})
	}
}

// TestInjectToTeamsNotInPlay: an inject whose `to` holds only teams not in play is delivered
// all the same, with its severity and triggers.
func TestInjectToTeamsNotInPlay(t *testing.T) {
	sc := testScenario(h, inj("memo", at(10*m), to("legal"), severity("operational"), triggers("notify_regulator")))
	f := mustStartRecord(t, sc, engine.ExerciseRecord{Teams: []string{"irt", "cmt"}})
	f.advance(t, 10*time.Second)
	assert.Equal(t, []string{
		"10m0s inject_delivered memo",
		"10m0s severity_changed operational",
		"10m0s action_triggered notify_regulator legal due 72h0m0s",
	}, afterStart(f.x.EventsSince(0)))
}

// TestAdvanceToModule: the console's "next module" jumps to the next module's start, the
// injects on the way delivered first at their own times; with no module left it is refused
// with a sentence and nothing is logged.
func TestAdvanceToModule(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(h, inj("a", at(10*m)), inj("b", at(25*m)), inj("c", at(40*m)))
	sc.Modules = []*scenarios.Module{module("detect", 0, "Who saw it first?"), module("contain", 30*m, "Isolate?")}
	f := mustStart(t, sc, 60)
	require.NoError(t, f.x.Pause(ctx))
	require.NoError(t, f.x.AdvanceToModule(ctx))
	assert.Equal(t, []string{
		"0s module_started detect",
		"0s clock paused",
		"10m0s inject_delivered a",
		"25m0s inject_delivered b",
		"30m0s clock advanced",
		"30m0s module_started contain",
	}, afterStart(f.x.EventsSince(0)))
	snap := f.x.Snapshot()
	assert.Equal(t, 30*m, snap.SimTime)
	assert.Equal(t, engine.StatusPaused, snap.Status, "a paused exercise stays paused")

	seq := snap.Seq
	err := f.x.AdvanceToModule(ctx)
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err))
	assert.EqualError(t, err, "cannot advance to the next module: every module of the scenario has started")
	assert.Equal(t, seq, f.x.Snapshot().Seq, "nothing logged")

	require.NoError(t, f.x.End(ctx))
	assert.EqualError(t, f.x.AdvanceToModule(ctx), "cannot advance to the next module: the exercise has ended")
}
