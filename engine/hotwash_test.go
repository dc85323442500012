package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/scenarios"
)

func hotWashScenario() *scenarios.Scenario {
	sc := testScenario(h, inj("demand", at(0), to("cmt"), decision("ransom", "refuse", "pay", "refuse")))
	sc.Modules = []*scenarios.Module{module("detect", 0, "Who saw it first?")}
	return sc
}

var goodFeedback = engine.Feedback{Ratings: map[string]int{"structured": 4, "decisions": 5}, Strengths: "realistic injects"}

// TestHotWash: after the end, responses are refused but observations, answers and feedback
// are taken, stamped with the end's time; Close ends that, and every command after it is
// refused with a conflict that says the exercise is closed.
func TestHotWash(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, hotWashScenario(), 60)
	irt := engine.Response{Team: "irt", Name: "Ines"}
	_, err := f.x.Feedback(ctx, irt, goodFeedback)
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err))
	assert.EqualError(t, err, "cannot send feedback: the exercise has not ended yet")
	assert.Equal(t, engine.EConflict, engine.ErrorCode(f.x.Close(ctx)))
	assert.EqualError(t, f.x.Close(ctx), "cannot close the exercise: it has not ended")

	f.advance(t, 20*time.Second) // 20m
	require.NoError(t, f.x.End(ctx))
	f.clock.Advance(time.Hour) // the hot wash takes a while: the simulated clock stays at the end

	refused := map[string]func() error{
		"act":      func() error { _, err := f.x.Act(ctx, irt, "contain_hosts"); return err },
		"choose":   func() error { _, err := f.x.Choose(ctx, engine.Response{Team: "cmt"}, "ransom", "pay"); return err },
		"escalate": func() error { _, err := f.x.Escalate(ctx, irt, "cmt", "help"); return err },
		"note":     func() error { _, err := f.x.Note(ctx, irt, "hi"); return err },
	}
	for name, do := range refused {
		err := do()
		assert.Equal(t, engine.EConflict, engine.ErrorCode(err), name)
		assert.ErrorContains(t, err, "the exercise has ended", name)
	}

	obs, err := f.x.Observe(ctx, engine.Observation{Text: "slow to contain", Rating: "M", By: "evaluator", Team: "irt"})
	require.NoError(t, err)
	ans, err := f.x.Answer(ctx, irt, "module.detect.1", "the ward clerk")
	require.NoError(t, err)
	fb, err := f.x.Feedback(ctx, irt, goodFeedback)
	require.NoError(t, err)
	for _, e := range []engine.Event{obs, ans, fb} {
		assert.Equal(t, 20*m, e.T, "%s is stamped with the end's time", e.Kind)
	}
	assert.Equal(t, engine.Event{Seq: fb.Seq, T: 20 * m, Wall: fb.Wall, Kind: engine.KindFeedbackRecorded, Team: "irt", Name: "Ines", Feedback: &goodFeedback}, fb)
	assert.Equal(t, "evaluator", obs.By)
	assert.Equal(t, "irt", obs.Team)

	_, err = f.x.Feedback(ctx, irt, goodFeedback)
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err))
	assert.EqualError(t, err, "feedback: Ines of team irt has already sent feedback; it is taken once")
	_, err = f.x.Feedback(ctx, engine.Response{Team: "irt", Name: "Ian"}, engine.Feedback{})
	require.NoError(t, err, "another participant of the team, with an empty form")

	require.NoError(t, f.x.Close(ctx))
	assert.Equal(t, engine.StatusClosed, f.x.Snapshot().Status)
	closed := map[string]func() error{
		"observe": func() error {
			_, err := f.x.Observe(ctx, engine.Observation{Text: "x", Rating: "S", By: "facilitator"})
			return err
		},
		"answer":   func() error { _, err := f.x.Answer(ctx, irt, "module.detect.1", "again"); return err },
		"feedback": func() error { _, err := f.x.Feedback(ctx, engine.Response{Team: "cmt"}, goodFeedback); return err },
		"act":      func() error { _, err := f.x.Act(ctx, irt, "contain_hosts"); return err },
		"retry": func() error {
			_, err := f.x.Act(ctx, engine.Response{Team: "irt", Ref: "r1"}, "contain_hosts")
			return err
		},
		"adhoc": func() error {
			_, err := f.x.AdHoc(ctx, []string{"irt"}, engine.AdHocInject{Channel: "chat", Subject: "s"})
			return err
		},
		"close":  func() error { return f.x.Close(ctx) },
		"end":    func() error { return f.x.End(ctx) },
		"pause":  func() error { return f.x.Pause(ctx) },
		"speed":  func() error { return f.x.SetSpeed(ctx, 2) },
		"mark":   func() error { return f.x.MarkPlayed(ctx, "legal") },
		"hold":   func() error { return f.x.Hold(ctx, "demand", true) },
		"start":  func() error { return f.x.Start(ctx) },
		"resume": func() error { return f.x.Resume(ctx) },
	}
	for name, do := range closed {
		err := do()
		assert.Equal(t, engine.EConflict, engine.ErrorCode(err), name)
		assert.ErrorContains(t, err, "the exercise is closed", name)
	}
	before := f.x.LiveState().LastSeq
	require.NoError(t, f.x.TeamJoined(ctx, "cmt"), "a hello still works")
	require.NoError(t, f.x.Tick(ctx))
	assert.Equal(t, before, f.x.LiveState().LastSeq, "nothing is recorded after the close")
}

func TestFeedbackValidation(t *testing.T) {
	tests := []struct {
		name string
		fb   engine.Feedback
		msg  string
	}{
		{"an unknown statement", engine.Feedback{Ratings: map[string]int{"fun": 5}}, `ratings: "fun" is not a statement of the form; use structured, realistic, facilitated, right_people, understanding, decisions`},
		{"a rating of 0", engine.Feedback{Ratings: map[string]int{"realistic": 0}}, "ratings: realistic is rated 0; ratings run from 1 to 5"},
		{"a rating of 6", engine.Feedback{Ratings: map[string]int{"right_people": 6}}, "ratings: right_people is rated 6; ratings run from 1 to 5"},
		{"invalid text", engine.Feedback{Comment: "a\xffb"}, "comment: is not valid UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustStart(t, hotWashScenario(), 60)
			require.NoError(t, f.x.End(context.Background()))
			_, err := f.x.Feedback(context.Background(), engine.Response{Team: "irt"}, tt.fb)
			assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
			assert.EqualError(t, err, tt.msg)
		})
	}
	all := engine.Feedback{Ratings: map[string]int{}}
	for i, s := range engine.FeedbackStatements {
		all.Ratings[s] = 1 + i%5
	}
	f := mustStart(t, hotWashScenario(), 60)
	require.NoError(t, f.x.End(context.Background()))
	_, err := f.x.Feedback(context.Background(), engine.Response{Team: "irt"}, all)
	assert.NoError(t, err, "every statement of protocol.md")
}

// TestRestoreAClosedExercise: a closed exercise comes back closed, with its defaults, answers,
// joins, marks and feedback; it stays closed and is not paused again.
func TestRestoreAClosedExercise(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ttx.db")
	store, err := sqlite.Open(path)
	require.NoError(t, err)
	sc := ransomScenario("negotiate")
	sc.Modules = []*scenarios.Module{module("detect", 0, "Who saw it first?")}
	clock := clockwork.NewFakeClockAt(epoch)
	rec := engine.ExerciseRecord{ID: "x1", Scenario: sc.Name, Plan: sc.PlanName, Speed: 60, CreatedAt: epoch, Mode: engine.ModeTraining, Teams: []string{"irt", "cmt", "legal"}}
	require.NoError(t, store.CreateExercise(ctx, rec))
	x := engine.New(rec, sc, clock, store)
	require.NoError(t, x.TeamJoined(ctx, "irt"))
	require.NoError(t, x.Start(ctx))
	require.NoError(t, x.MarkPlayed(ctx, "legal"))
	clock.Advance(45 * time.Second) // 45m: ransom defaulted at 40m
	_, err = x.Answer(ctx, engine.Response{Team: "irt", Name: "Ines"}, "module.detect.1", "the clerk")
	require.NoError(t, err)
	require.NoError(t, x.End(ctx))
	_, err = x.Feedback(ctx, engine.Response{Team: "irt", Name: "Ines"}, goodFeedback)
	require.NoError(t, err)
	require.NoError(t, x.Close(ctx))
	before := x.Snapshot()
	require.NoError(t, store.Close())

	store, err = sqlite.Open(path)
	require.NoError(t, err)
	defer store.Close()
	stored, err := store.Exercise(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, engine.ModeTraining, stored.Mode)
	y, err := engine.Restore(ctx, stored, sc, clock, store)
	require.NoError(t, err)
	assert.Equal(t, before, y.Snapshot())
	st := y.LiveState()
	assert.Equal(t, engine.StatusClosed, st.Status)
	assert.Equal(t, before.Seq, st.LastSeq, "no pause appended")
	assert.Equal(t, engine.ModeTraining, st.Mode)
	assert.Equal(t, []string{"irt", "cmt", "legal"}, st.Teams)
	assert.Equal(t, "negotiate", st.Defaulted("ransom", "cmt"))
	assert.Equal(t, "negotiate", st.Defaulted("ransom", "legal"))
	assert.Len(t, st.QuestionAnswers["module.detect.1"], 1)
	assert.Contains(t, st.Joined, "irt")
	assert.Contains(t, st.MarkedPlayed, "legal")
	assert.Len(t, st.FeedbackFrom, 1)
	_, err = y.Feedback(ctx, engine.Response{Team: "cmt"}, goodFeedback)
	assert.ErrorContains(t, err, "the exercise is closed")
	assert.Equal(t, x.LiveState(), st)
}
