package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
)

func TestResponsesDedupeByRef(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, testScenario(h), 60)
	r := engine.Response{Team: "irt", Name: "Alice", Ref: "a1"}
	first, err := f.x.Act(ctx, r, "contain_hosts")
	require.NoError(t, err)
	f.advance(t, 10*time.Second)
	again, err := f.x.Act(ctx, r, "contain_hosts")
	require.NoError(t, err)
	assert.Equal(t, first, again, "a retry gets the first event")
	other, err := f.x.Note(ctx, r, "a different input with the same ref is a retry too")
	require.NoError(t, err)
	assert.Equal(t, first, other)

	bob, err := f.x.Act(ctx, engine.Response{Team: "irt", Name: "Bob", Ref: "a1"}, "contain_hosts")
	require.NoError(t, err)
	assert.NotEqual(t, first.Seq, bob.Seq, "another participant's ref is another response")

	require.NoError(t, f.x.End(ctx))
	late, err := f.x.Act(ctx, r, "contain_hosts")
	require.NoError(t, err, "a retry after the end still gets its event")
	assert.Equal(t, first, late)

	recorded := 0
	for _, e := range f.x.EventsSince(0) {
		if e.Kind == engine.KindActionRecorded {
			recorded++
		}
	}
	assert.Equal(t, 2, recorded)
}

func TestResponseValidation(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("é", engine.MaxTextRunes+1)
	longName := strings.Repeat("x", engine.MaxNameRunes+1)
	okText := strings.Repeat("é", engine.MaxTextRunes)
	irt := engine.Response{Team: "irt", Name: "Alice"}
	tests := []struct {
		name string
		do   func(x *engine.Exercise) (engine.Event, error)
		msg  string // "" when accepted
	}{
		{"no team", func(x *engine.Exercise) (engine.Event, error) { return x.Note(ctx, engine.Response{}, "hi") }, "team: is required"},
		{"unknown team", func(x *engine.Exercise) (engine.Event, error) {
			return x.Note(ctx, engine.Response{Team: "ghosts"}, "hi")
		}, `team: the plan has no team "ghosts"`},
		{"long name", func(x *engine.Exercise) (engine.Event, error) {
			return x.Note(ctx, engine.Response{Team: "irt", Name: longName}, "hi")
		}, "name: is longer than 100 characters"},
		{"long ref", func(x *engine.Exercise) (engine.Event, error) {
			return x.Note(ctx, engine.Response{Team: "irt", Ref: longName}, "hi")
		}, "ref: is longer than 100 characters"},
		{"empty note", func(x *engine.Exercise) (engine.Event, error) { return x.Note(ctx, irt, "  ") }, "text: is required"},
		{"long note", func(x *engine.Exercise) (engine.Event, error) { return x.Note(ctx, irt, long) }, "text: is longer than 4000 characters"},
		{"note at the limit", func(x *engine.Exercise) (engine.Event, error) { return x.Note(ctx, irt, okText) }, ""},
		{"invalid UTF-8", func(x *engine.Exercise) (engine.Event, error) { return x.Note(ctx, irt, "a\xffb") }, "text: is not valid UTF-8 text"},
		{"unknown action", func(x *engine.Exercise) (engine.Event, error) { return x.Act(ctx, irt, "dance") }, `action: the plan has no action "dance"`},
		{"no action", func(x *engine.Exercise) (engine.Event, error) { return x.Act(ctx, irt, "") }, "action: is required"},
		{"another team's action", func(x *engine.Exercise) (engine.Event, error) { return x.Act(ctx, irt, "log_report") }, ""},
		{"unknown decision", func(x *engine.Exercise) (engine.Event, error) { return x.Choose(ctx, irt, "lunch", "pizza") }, `decision: the scenario has no decision "lunch"`},
		{"a team outside decided_by", func(x *engine.Exercise) (engine.Event, error) {
			return x.Choose(ctx, irt, "ransom", "refuse")
		}, "decision: ransom is decided by cmt; team irt cannot answer it"},
		{"unknown option", func(x *engine.Exercise) (engine.Event, error) {
			return x.Choose(ctx, engine.Response{Team: "cmt"}, "ransom", "maybe")
		}, `option: "maybe" is not an option of decision ransom; choose one of pay, refuse`},
		{"answer", func(x *engine.Exercise) (engine.Event, error) {
			return x.Choose(ctx, engine.Response{Team: "cmt"}, "ransom", "refuse")
		}, ""},
		{"escalate to an unknown team", func(x *engine.Exercise) (engine.Event, error) { return x.Escalate(ctx, irt, "pope", "help") }, `to: the plan has no team "pope"`},
		{"escalate to oneself", func(x *engine.Exercise) (engine.Event, error) { return x.Escalate(ctx, irt, "irt", "help") }, "to: team irt cannot escalate to itself"},
		{"escalate without text", func(x *engine.Exercise) (engine.Event, error) { return x.Escalate(ctx, irt, "cmt", "") }, "text: is required"},
		{"ad hoc to nobody", func(x *engine.Exercise) (engine.Event, error) {
			return x.AdHoc(ctx, nil, engine.AdHocInject{Channel: "chat", Subject: "s"})
		}, "to: name at least one team"},
		{"ad hoc to an unknown team", func(x *engine.Exercise) (engine.Event, error) {
			return x.AdHoc(ctx, []string{"irt", "pope"}, engine.AdHocInject{Channel: "chat", Subject: "s"})
		}, `to: the plan has no team "pope"`},
		{"ad hoc on a bad channel", func(x *engine.Exercise) (engine.Event, error) {
			return x.AdHoc(ctx, []string{"irt"}, engine.AdHocInject{Channel: "pigeon", Subject: "s"})
		}, `channel: "pigeon" is not a channel; use one of email, phone, chat, news, social, ticket, sitrep`},
		{"ad hoc without subject", func(x *engine.Exercise) (engine.Event, error) {
			return x.AdHoc(ctx, []string{"irt"}, engine.AdHocInject{Channel: "chat"})
		}, "subject: is required"},
		{"ad hoc with a long body", func(x *engine.Exercise) (engine.Event, error) {
			return x.AdHoc(ctx, []string{"irt"}, engine.AdHocInject{Channel: "chat", Subject: "s", Body: long})
		}, "body: is longer than 4000 characters"},
		{"ad hoc", func(x *engine.Exercise) (engine.Event, error) {
			return x.AdHoc(ctx, []string{"irt", "cmt", "irt"}, engine.AdHocInject{Channel: "chat", Subject: "s"})
		}, ""},
		{"observation without rating", func(x *engine.Exercise) (engine.Event, error) {
			return x.Observe(ctx, engine.Observation{Text: "good", Capability: "containment", By: "facilitator"})
		}, `rating: "" is not a rating; use P, S, M or U`},
		{"observation with a long capability", func(x *engine.Exercise) (engine.Event, error) {
			return x.Observe(ctx, engine.Observation{Text: "good", Capability: longName, Rating: "P", By: "facilitator"})
		}, "capability: is longer than 100 characters"},
		{"observation", func(x *engine.Exercise) (engine.Event, error) {
			return x.Observe(ctx, engine.Observation{Text: "good", Capability: "containment", Rating: "S", By: "facilitator"})
		}, ""},
		{"observation without by", func(x *engine.Exercise) (engine.Event, error) {
			return x.Observe(ctx, engine.Observation{Text: "good", Rating: "S"})
		}, "by: is required"},
		{"observation about an unknown team", func(x *engine.Exercise) (engine.Event, error) {
			return x.Observe(ctx, engine.Observation{Text: "good", Rating: "S", By: "evaluator", Team: "pope"})
		}, `team: the plan has no team "pope"`},
		{"observation about a team", func(x *engine.Exercise) (engine.Event, error) {
			return x.Observe(ctx, engine.Observation{Text: "good", Rating: "S", By: "evaluator", Team: "cmt"})
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustStart(t, testScenario(h, inj("demand", at(0), to("cmt"), decision("ransom", "refuse", "pay", "refuse"))), 1)
			before := len(f.x.EventsSince(0))
			e, err := tt.do(f.x)
			if tt.msg == "" {
				require.NoError(t, err)
				assert.Equal(t, int64(before+1), e.Seq)
				return
			}
			assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
			assert.EqualError(t, err, tt.msg)
			assert.Len(t, f.x.EventsSince(0), before, "a rejected input records nothing")
		})
	}
}

func TestAdHocDeduplicatesTeams(t *testing.T) {
	f := mustStart(t, testScenario(h), 1)
	e, err := f.x.AdHoc(context.Background(), []string{"irt", "cmt", "irt"}, engine.AdHocInject{Channel: "news", From: "BBC", Subject: "On air", Body: "**now**"})
	require.NoError(t, err)
	assert.Equal(t, engine.KindInjectDelivered, e.Kind)
	assert.Equal(t, []string{"irt", "cmt"}, e.To)
	assert.Equal(t, &engine.AdHocInject{Channel: "news", From: "BBC", Subject: "On air", Body: "**now**"}, e.AdHoc)
}

func TestVisibleTo(t *testing.T) {
	training := engine.ExerciseRecord{Mode: engine.ModeTraining, Teams: []string{"irt", "cmt"}}
	evaluation := engine.ExerciseRecord{Mode: engine.ModeEvaluation, Teams: []string{"irt", "cmt"}}
	tests := []struct {
		e    engine.Event
		team string
		rec  engine.ExerciseRecord
		want bool
	}{
		{engine.Event{Kind: engine.KindExerciseStarted}, "irt", training, true},
		{engine.Event{Kind: engine.KindClock, Clock: engine.ClockPaused}, "irt", training, true},
		{engine.Event{Kind: engine.KindSeverityChanged}, "irt", training, true},
		{engine.Event{Kind: engine.KindExerciseEnded}, "irt", training, true},
		{engine.Event{Kind: engine.KindInjectDelivered, To: []string{"cmt", "irt"}}, "irt", training, true},
		{engine.Event{Kind: engine.KindInjectDelivered, To: []string{"cmt"}}, "irt", training, false},
		{engine.Event{Kind: engine.KindInjectSkipped, Inject: "a"}, "irt", training, false},
		{engine.Event{Kind: engine.KindInjectHeld, Inject: "a"}, "irt", training, false},
		{engine.Event{Kind: engine.KindInjectReleased, Inject: "a"}, "irt", training, false},
		{engine.Event{Kind: engine.KindObservation}, "irt", training, false},
		{engine.Event{Kind: engine.KindObservation, Team: "irt"}, "irt", evaluation, false},
		{engine.Event{Kind: engine.KindEscalation, Team: "service_desk", To: []string{"irt"}}, "irt", training, true},
		{engine.Event{Kind: engine.KindEscalation, Team: "irt", To: []string{"cmt"}}, "irt", training, true},
		{engine.Event{Kind: engine.KindEscalation, Team: "service_desk", To: []string{"cmt"}}, "irt", training, false},
		{engine.Event{Kind: engine.KindNote, Team: "irt"}, "irt", training, true},
		{engine.Event{Kind: engine.KindNote, Team: "cmt"}, "irt", training, false},
		{engine.Event{Kind: engine.KindActionRecorded, Team: "cmt"}, "irt", training, false},
		{engine.Event{Kind: engine.KindActionTriggered, Team: "irt"}, "irt", training, true},
		{engine.Event{Kind: engine.KindActionTriggered, Team: "irt"}, "irt", engine.ExerciseRecord{}, true}, // stored before v2: training
		{engine.Event{Kind: engine.KindActionTriggered, Team: "cmt"}, "irt", training, false},
		{engine.Event{Kind: engine.KindActionTriggered, Team: "irt"}, "irt", evaluation, false},
		{engine.Event{Kind: engine.KindDecisionAnswered, Team: "cmt"}, "cmt", training, true},
		{engine.Event{Kind: engine.KindDecisionDefaulted, Team: "cmt"}, "cmt", evaluation, true},
		{engine.Event{Kind: engine.KindDecisionDefaulted, Team: "cmt"}, "irt", evaluation, false},
		{engine.Event{Kind: engine.KindModuleStarted, Module: "m"}, "irt", evaluation, true},
		{engine.Event{Kind: engine.KindModuleStarted, Module: "m"}, "legal", evaluation, false},
		{engine.Event{Kind: engine.KindAnswerRecorded, Team: "irt"}, "irt", evaluation, true},
		{engine.Event{Kind: engine.KindAnswerRecorded, Team: "irt"}, "cmt", evaluation, false},
		{engine.Event{Kind: engine.KindTeamJoined, Team: "irt"}, "irt", training, false},
		{engine.Event{Kind: engine.KindTeamMarkedPlayed, Team: "irt"}, "irt", training, false},
		{engine.Event{Kind: engine.KindFeedbackRecorded, Team: "irt"}, "irt", training, false},
		{engine.Event{Kind: engine.KindExerciseClosed}, "irt", training, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.VisibleTo(tt.team, tt.rec), "%s %s %+v", tt.team, tt.rec.Mode, tt.e)
	}
}
