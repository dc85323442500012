package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// TestNewDefaults: an exercise is in evaluation mode, live, with every team that is not
// external in play, unless its record says otherwise; exercise_started logs mode and teams.
func TestNewDefaults(t *testing.T) {
	sc := withExternal(testScenario(h))
	tests := []struct {
		name      string
		rec       engine.ExerciseRecord
		wantMode  string
		wantTeams []string
	}{
		{"defaults", engine.ExerciseRecord{}, engine.ModeEvaluation, []string{"service_desk", "irt", "cmt", "legal"}},
		{"chosen", engine.ExerciseRecord{Mode: engine.ModeTraining, Teams: []string{"irt", "cmt"}}, engine.ModeTraining, []string{"irt", "cmt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustStartRecord(t, sc, tt.rec)
			rec := f.x.Record()
			assert.Equal(t, tt.wantMode, rec.Mode)
			assert.Equal(t, tt.wantTeams, rec.Teams)
			assert.Equal(t, engine.ExerciseLive, rec.Kind)
			started := f.x.EventsSince(0)[0]
			assert.Equal(t, engine.KindExerciseStarted, started.Kind)
			assert.Equal(t, tt.wantMode, started.Mode)
			assert.Equal(t, tt.wantTeams, started.Teams)
			stored, err := f.store.Exercise(context.Background(), "x1")
			require.NoError(t, err)
			assert.Equal(t, tt.wantMode, stored.Mode, "the memory store keeps the mode, with v2's default")
		})
	}
}

// TestWhoMayRespond: teams not in play are refused; external teams may escalate and write
// notes, nothing else.
func TestWhoMayRespond(t *testing.T) {
	ctx := context.Background()
	sc := withExternal(testScenario(h,
		inj("demand", at(0), to("cmt", "regulator", "legal"), decision("ransom", "refuse", "pay", "refuse"), questions("Why?")),
	))
	regulator := engine.Response{Team: "regulator", Name: "Control"}
	legal := engine.Response{Team: "legal"}
	tests := []struct {
		name string
		do   func(x *engine.Exercise) (engine.Event, error)
		msg  string // "" when taken
	}{
		{"external escalates", func(x *engine.Exercise) (engine.Event, error) {
			return x.Escalate(ctx, regulator, "cmt", "Report by 5pm")
		}, ""},
		{"external writes a note", func(x *engine.Exercise) (engine.Event, error) { return x.Note(ctx, regulator, "called cmt") }, ""},
		{"external acts", func(x *engine.Exercise) (engine.Event, error) { return x.Act(ctx, regulator, "notify_regulator") },
			"team: regulator is an external team: it may escalate and write notes, not record an action"},
		{"external chooses", func(x *engine.Exercise) (engine.Event, error) { return x.Choose(ctx, regulator, "ransom", "pay") },
			"team: regulator is an external team: it may escalate and write notes, not answer a decision"},
		{"external answers", func(x *engine.Exercise) (engine.Event, error) {
			return x.Answer(ctx, regulator, "inject.demand.1", "because")
		},
			"team: regulator is an external team: it may escalate and write notes, not answer a question"},
		{"not in play writes a note", func(x *engine.Exercise) (engine.Event, error) { return x.Note(ctx, legal, "hi") },
			"team: legal is not in play in this exercise"},
		{"not in play chooses", func(x *engine.Exercise) (engine.Event, error) { return x.Choose(ctx, legal, "ransom", "pay") },
			"team: legal is not in play in this exercise"},
		{"in play chooses", func(x *engine.Exercise) (engine.Event, error) {
			return x.Choose(ctx, engine.Response{Team: "cmt"}, "ransom", "pay")
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustStartRecord(t, sc, engine.ExerciseRecord{Teams: []string{"irt", "cmt"}})
			before := len(f.x.EventsSince(0))
			_, err := tt.do(f.x)
			if tt.msg == "" {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, engine.EForbidden, engine.ErrorCode(err))
			assert.EqualError(t, err, tt.msg)
			assert.Len(t, f.x.EventsSince(0), before)
		})
	}

	f := mustStartRecord(t, sc, engine.ExerciseRecord{})
	require.NoError(t, f.x.End(ctx))
	_, err := f.x.Feedback(ctx, regulator, goodFeedback)
	assert.EqualError(t, err, "team: regulator is an external team: it may escalate and write notes, not send feedback")
}

// TestTeamJoinedAndMarkedPlayed: each is recorded once per team; a repeat records nothing.
func TestTeamJoinedAndMarkedPlayed(t *testing.T) {
	ctx := context.Background()
	f := mustExercise(t, withExternal(testScenario(h)), 60)
	require.NoError(t, f.x.TeamJoined(ctx, "irt"), "before the start too")
	require.NoError(t, f.x.Start(ctx))
	require.NoError(t, f.x.TeamJoined(ctx, "irt"))
	require.NoError(t, f.x.TeamJoined(ctx, "regulator"))
	require.NoError(t, f.x.MarkPlayed(ctx, "legal"))
	require.NoError(t, f.x.MarkPlayed(ctx, "legal"))
	err := f.x.TeamJoined(ctx, "ghosts")
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
	assert.EqualError(t, err, `team: the plan has no team "ghosts"`)
	err = f.x.MarkPlayed(ctx, "regulator")
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
	assert.EqualError(t, err, "team: regulator is an external team: it is never scored, so never marked as played")
	require.NoError(t, f.x.End(ctx))
	require.NoError(t, f.x.MarkPlayed(ctx, "cmt"), "in the hot wash too")

	var got []string
	for _, e := range f.x.EventsSince(0) {
		if e.Kind == engine.KindTeamJoined || e.Kind == engine.KindTeamMarkedPlayed {
			got = append(got, line(e))
		}
	}
	assert.Equal(t, []string{"0s team_joined irt", "0s team_joined regulator", "0s team_marked_played legal", "0s team_marked_played cmt"}, got)
	snap := f.x.Snapshot()
	assert.True(t, snap.Teams[1].Joined)
	assert.True(t, snap.Teams[1].InPlay)
	assert.True(t, snap.Teams[3].MarkedPlayed)
	assert.True(t, snap.Teams[4].External)
	assert.False(t, snap.Teams[4].InPlay)
}

// TestRehearsalTeamsAndAnswers: a rehearsal plays its teams only (a step by another team of the
// organisation is an input error; control may script an external team's escalations and notes,
// not its answers), scripts answers, and is stored as a rehearsal with those teams.
func TestRehearsalTeamsAndAnswers(t *testing.T) {
	sc := withExternal(testScenario(h, inj("images", at(10*m), to("irt"), questions("Entry point?"))))
	sc.Modules = []*scenarios.Module{module("detect", 0, "Who saw it?")}
	rh := &scenarios.Rehearsal{Name: "r", Teams: []string{"irt", "cmt"}, Steps: setSteps([]scenarios.Step{
		answer("irt", "module.detect.1", 5*m),
		answer("irt", "inject.images.1", 5*m),
		answer("irt", "inject.images.1", 15*m),
		note("legal", 15*m),
		escalate("regulator", "cmt", 16*m),
		answer("cmt", "inject.nothing.1", 17*m),
		answer("regulator", "module.detect.1", 18*m),
	})}
	store := engine.NewMemoryStore()
	res, err := engine.Rehearse(context.Background(), sc, rh, store)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"0s module_started detect",
		"5m0s answer_recorded irt module.detect.1",
		"10m0s inject_delivered images",
		"15m0s answer_recorded irt inject.images.1",
		"16m0s escalation regulator ->cmt",
		"1h0m0s exercise_ended",
	}, afterStart(res.Events))
	assert.Equal(t, []string{
		"r.hcl:11: question: inject.images.1 has not been put to team irt",
		"r.hcl:13: team: legal does not play in this rehearsal; it plays irt, cmt",
		`r.hcl:15: question: the scenario has no question "inject.nothing.1"`,
		"r.hcl:16: team: regulator is an external team: it may escalate and write notes, not answer a question",
	}, rehearsalErrors(res))
	stored, err := store.Exercise(context.Background(), "rehearsal-r")
	require.NoError(t, err)
	assert.Equal(t, engine.ExerciseRehearsal, stored.Kind)
	assert.Equal(t, []string{"irt", "cmt"}, stored.Teams)
	assert.Equal(t, engine.ExerciseRehearsal, res.Exercise.Kind)
}
