package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
)

func TestClock(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(8*h,
		inj("a", at(40*m)),
		inj("b", at(2*h)),
		inj("c", after("b", 30*m)),
	)
	f := mustStart(t, sc, 60) // an hour a minute
	x := f.x

	f.advance(t, 30*time.Second) // 30m simulated
	assert.Equal(t, 30*m, x.Snapshot().SimTime)
	require.NoError(t, x.Pause(ctx))
	f.advance(t, time.Hour) // paused: nothing moves
	snap := x.Snapshot()
	assert.Equal(t, engine.StatusPaused, snap.Status)
	assert.Equal(t, 30*m, snap.SimTime)

	require.NoError(t, x.Resume(ctx))
	f.advance(t, 10*time.Second) // 40m: a fires
	require.NoError(t, x.SetSpeed(ctx, 120))
	f.advance(t, 10*time.Second) // +20m = 1h
	assert.Equal(t, h, x.Snapshot().SimTime)

	require.NoError(t, x.Advance(ctx)) // jumps to 2h: b fires
	assert.Equal(t, 2*h, x.Snapshot().SimTime)
	require.NoError(t, x.Pause(ctx))
	require.NoError(t, x.Advance(ctx)) // paused, still jumps: c at 2h30m
	snap = x.Snapshot()
	assert.Equal(t, engine.StatusPaused, snap.Status)
	assert.Equal(t, 2*h+30*m, snap.SimTime)

	require.NoError(t, x.Resume(ctx))
	f.advance(t, 15*time.Second) // +30m = 3h
	require.NoError(t, x.End(ctx))

	assert.Equal(t, append(append([]string(nil), start...),
		"30m0s clock paused",
		"30m0s clock resumed",
		"40m0s inject_delivered a",
		"40m0s clock speed",
		"2h0m0s clock advanced",
		"2h0m0s inject_delivered b",
		"2h0m0s clock paused",
		"2h30m0s clock advanced",
		"2h30m0s inject_delivered c",
		"2h30m0s clock resumed",
		"3h0m0s exercise_ended",
	), timeline(x.EventsSince(0)))
	last := x.EventsSince(0)[len(x.EventsSince(0))-1]
	assert.Equal(t, "facilitator", last.Reason)
	assert.Equal(t, epoch.Add(30*time.Second+time.Hour+10*time.Second+10*time.Second+15*time.Second), last.Wall)
}

func TestAdvanceWithNothingLeftEnds(t *testing.T) {
	f := mustStart(t, testScenario(h, inj("a", at(10*m))), 1)
	require.NoError(t, f.x.Advance(context.Background()))
	require.NoError(t, f.x.Advance(context.Background()))
	events := f.x.EventsSince(0)
	assert.Equal(t, []string{"10m0s clock advanced", "10m0s inject_delivered a", "1h0m0s clock advanced", "1h0m0s exercise_ended"},
		timeline(events[len(start):]))
	assert.Equal(t, "duration", events[len(events)-1].Reason)
}

func TestExerciseEndsAtDuration(t *testing.T) {
	f := mustStart(t, testScenario(h), 3600)
	f.advance(t, 2*time.Second) // 2h simulated: the end is stamped at 1h
	assert.Equal(t, []string{"1h0m0s exercise_ended"}, timeline(f.x.EventsSince(int64(len(start)))))
	snap := f.x.Snapshot()
	assert.Equal(t, engine.StatusEnded, snap.Status)
	assert.Equal(t, h, snap.SimTime)
	assert.Equal(t, "duration", snap.EndReason)
}

func TestClockConflicts(t *testing.T) {
	ctx := context.Background()
	type op func(x *engine.Exercise) error
	var (
		start   op = func(x *engine.Exercise) error { return x.Start(ctx) }
		pause   op = func(x *engine.Exercise) error { return x.Pause(ctx) }
		resume  op = func(x *engine.Exercise) error { return x.Resume(ctx) }
		advance op = func(x *engine.Exercise) error { return x.Advance(ctx) }
		end     op = func(x *engine.Exercise) error { return x.End(ctx) }
		speed   op = func(x *engine.Exercise) error { return x.SetSpeed(ctx, 10) }
		note    op = func(x *engine.Exercise) error {
			_, err := x.Note(ctx, engine.Response{Team: "irt"}, "hello")
			return err
		}
	)
	tests := []struct {
		name  string
		setup []op
		try   op
		code  string
		msg   string
	}{
		{"start a running exercise", []op{start}, start, engine.EConflict, "cannot start the exercise: the exercise is already running"},
		{"start an ended exercise", []op{start, end}, start, engine.EConflict, "cannot start the exercise: the exercise has ended"},
		{"pause before the start", nil, pause, engine.EConflict, "cannot pause the exercise: the exercise has not started yet"},
		{"pause a paused exercise", []op{start, pause}, pause, engine.EConflict, "cannot pause the exercise: the exercise is paused"},
		{"resume a running exercise", []op{start}, resume, engine.EConflict, "cannot resume the exercise: the exercise is already running"},
		{"advance before the start", nil, advance, engine.EConflict, "cannot advance the clock: the exercise has not started yet"},
		{"end an ended exercise", []op{start, end}, end, engine.EConflict, "cannot end the exercise: the exercise has ended"},
		{"speed after the end", []op{start, end}, speed, engine.EConflict, "cannot change the speed: the exercise has ended"},
		{"respond before the start", nil, note, engine.EConflict, "cannot record a response: the exercise has not started yet"},
		{"respond after the end", []op{start, end}, note, engine.EConflict, "cannot record a response: the exercise has ended"},
		{"speed too low", nil, func(x *engine.Exercise) error { return x.SetSpeed(ctx, 0.05) }, engine.EInvalid, "speed: 0.05 is outside 0.1 to 3600 simulated seconds per real second"},
		{"speed too high", []op{start}, func(x *engine.Exercise) error { return x.SetSpeed(ctx, 3601) }, engine.EInvalid, "speed: 3601 is outside 0.1 to 3600 simulated seconds per real second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustExercise(t, testScenario(h, inj("a", at(10*m))), 1)
			for _, o := range tt.setup {
				require.NoError(t, o(f.x))
			}
			before := len(f.x.EventsSince(0))
			err := tt.try(f.x)
			assert.Equal(t, tt.code, engine.ErrorCode(err))
			assert.EqualError(t, err, tt.msg)
			assert.Len(t, f.x.EventsSince(0), before, "a refused command records nothing")
		})
	}
}

func TestSpeedBeforeTheStart(t *testing.T) {
	f := mustExercise(t, testScenario(h, inj("a", at(10*m))), 1)
	require.NoError(t, f.x.SetSpeed(context.Background(), 600))
	require.NoError(t, f.x.Start(context.Background()))
	f.advance(t, time.Second)
	assert.Equal(t, 10*m, f.x.Snapshot().SimTime)
	assert.Equal(t, float64(600), f.x.Snapshot().Speed)
}

func TestHoldAndTrigger(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(4*h,
		inj("a", at(10*m)),
		inj("b", at(20*m), when("false")),
		inj("c", after("b", 10*m)),
		inj("d", at(h)),
	)
	f := mustStart(t, sc, 60)
	x := f.x
	require.NoError(t, x.Hold(ctx, "a", true))
	require.NoError(t, x.Hold(ctx, "a", true), "holding a held inject records nothing")
	f.advance(t, 15*time.Second) // 15m: a is held
	snap := x.Snapshot()
	require.NotEmpty(t, snap.Upcoming)
	assert.Equal(t, engine.UpcomingInject{Name: "a", Subject: "Subject of a", To: []string{"irt"}, Scheduled: true, Due: 10 * m, Held: true}, snap.Upcoming[0])
	require.NoError(t, x.Hold(ctx, "a", false)) // released after its due time: fires now

	require.NoError(t, x.Trigger(ctx, "b")) // now, ignoring when; c comes due 10m later
	err := x.Trigger(ctx, "b")
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err))
	assert.EqualError(t, err, "cannot trigger inject b: it was already delivered at 15m0s")
	err = x.Trigger(ctx, "nope")
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
	assert.EqualError(t, err, `inject: the scenario has no inject "nope"`)

	f.advance(t, 10*time.Second) // 25m: c
	require.NoError(t, x.Hold(ctx, "d", true))
	require.NoError(t, x.Advance(ctx)) // d is held: nothing left but the end
	assert.Equal(t, append(append([]string(nil), start...),
		"0s inject_held a",
		"15m0s inject_released a",
		"15m0s inject_delivered a",
		"15m0s inject_delivered b",
		"25m0s inject_delivered c",
		"25m0s inject_held d",
		"4h0m0s clock advanced",
		"4h0m0s exercise_ended",
	), timeline(x.EventsSince(0)))
}

func TestHoldBeforeTheStart(t *testing.T) {
	ctx := context.Background()
	f := mustExercise(t, testScenario(h, inj("a", at(0))), 1)
	require.NoError(t, f.x.Hold(ctx, "a", true))
	require.NoError(t, f.x.Start(ctx))
	assert.Equal(t, []string{"0s inject_held a", "0s exercise_started", "0s severity_changed local", "0s action_triggered open_bridge irt due 10m0s"},
		timeline(f.x.EventsSince(0)))
	assert.EqualError(t, f.x.Trigger(ctx, "zzz"), `inject: the scenario has no inject "zzz"`)
}

func TestSnapshotBeforeTheStart(t *testing.T) {
	f := mustExercise(t, testScenario(h, inj("a", at(10*m)), inj("b", after("a", m))), 30)
	snap := f.x.Snapshot()
	assert.Equal(t, engine.StatusCreated, snap.Status)
	assert.Equal(t, float64(30), snap.Speed, "the speed the exercise was created with")
	assert.Equal(t, time.Duration(0), snap.SimTime)
	assert.Equal(t, []engine.UpcomingInject{
		{Name: "a", Subject: "Subject of a", To: []string{"irt"}, Scheduled: true, Due: 10 * m},
		{Name: "b", Subject: "Subject of b", To: []string{"irt"}, After: "a"},
	}, snap.Upcoming)
	require.Len(t, snap.Teams, 4)
	assert.Empty(t, snap.Teams[1].Actions)
}

func TestSnapshotProgress(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, testScenario(4*h, inj("call", at(0), triggers("log_report", "contain_hosts", "escalate_to_irt"))), 60)
	_, err := f.x.Act(ctx, engine.Response{Team: "cmt"}, "contain_hosts")
	require.NoError(t, err)
	f.advance(t, 20*time.Second) // 20m: log_report (15m) is overdue
	_, err = f.x.Act(ctx, engine.Response{Team: "irt"}, "contain_hosts")
	require.NoError(t, err)
	snap := f.x.Snapshot()
	assert.Equal(t, "service_desk", snap.Teams[0].Team)
	assert.Equal(t, []engine.ActionProgress{
		{Action: "log_report", Owner: "service_desk", TriggeredAt: 0, Deadline: 15 * m, Status: engine.ProgressOverdue},
		{Action: "escalate_to_irt", Owner: "service_desk", TriggeredAt: 0, Deadline: 30 * m, Status: engine.ProgressPending},
	}, snap.Teams[0].Actions)
	assert.Equal(t, []engine.ActionProgress{
		{Action: "open_bridge", Owner: "irt", TriggeredAt: 0, Deadline: 10 * m, Status: engine.ProgressOverdue},
		{Action: "contain_hosts", Owner: "irt", TriggeredAt: 0, Deadline: h, Status: engine.ProgressDone, DoneAt: 20 * m, By: "irt"},
	}, snap.Teams[1].Actions, "the owner's record counts")
	assert.Equal(t, "local", snap.Severity)
	assert.Equal(t, 1, snap.Level)
}
