package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/scenarios"
)

// busyScenario has a bit of everything, for tests of the log rather than of the rules.
func busyScenario() *scenarios.Scenario {
	return testScenario(8*h,
		inj("call", at(0), to("service_desk"), triggers("log_report", "escalate_to_irt", "contain_hosts")),
		inj("spreading", at(40*m), to("service_desk", "irt"), severity("operational"), when("!action.contain_hosts.done")),
		inj("reporter", after("spreading", h), to("cmt")),
		inj("demand", at(2*h), to("cmt"), decision("ransom", "refuse", "pay", "refuse")),
		inj("crisis", at(3*h), to("cmt", "legal"), severity("crisis")),
	)
}

func TestFoldOfTheLogIsTheLiveState(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, busyScenario(), 60)
	x := f.x
	_, err := x.Act(ctx, engine.Response{Team: "service_desk", Ref: "1"}, "log_report")
	require.NoError(t, err)
	f.advance(t, 45*time.Second)
	_, err = x.Escalate(ctx, engine.Response{Team: "service_desk", Ref: "2"}, "irt", "help")
	require.NoError(t, err)
	require.NoError(t, x.Hold(ctx, "crisis", true))
	require.NoError(t, x.Advance(ctx)) // reporter at 1h40m
	require.NoError(t, x.Advance(ctx)) // demand at 2h
	_, err = x.Choose(ctx, engine.Response{Team: "cmt", Ref: "3"}, "ransom", "pay")
	require.NoError(t, err)
	_, err = x.Observe(ctx, engine.Observation{Text: "slow", Capability: "containment", Rating: "M", By: "evaluator", Team: "irt"})
	require.NoError(t, err)

	stored, err := f.store.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, x.EventsSince(0), stored)
	folded, err := engine.FoldEvents(f.sc, stored)
	require.NoError(t, err)
	assert.Equal(t, x.LiveState(), folded)
	assert.Equal(t, "pay", folded.Answered("ransom", "cmt"))
	assert.True(t, folded.Injects["crisis"].Held)
}

func TestFoldRejectsADamagedLog(t *testing.T) {
	sc := busyScenario()
	tests := []struct {
		name   string
		events []engine.Event
		msg    string
	}{
		{"gap", []engine.Event{{Seq: 1, Kind: engine.KindExerciseStarted}, {Seq: 3, Kind: engine.KindNote}}, "event 3 follows event 1: the log has a gap"},
		{"backwards", []engine.Event{{Seq: 1, T: h, Kind: engine.KindExerciseStarted}, {Seq: 2, Kind: engine.KindNote}}, "event 2 at 0s is earlier than the event before it at 1h0m0s"},
		{"unknown inject", []engine.Event{{Seq: 1, Kind: engine.KindInjectDelivered, Inject: "zzz"}}, `event 1: the scenario has no inject "zzz"`},
		{"unknown action", []engine.Event{{Seq: 1, Kind: engine.KindActionTriggered, Action: "zzz"}}, `event 1: the plan has no action "zzz"`},
		{"unknown kind", []engine.Event{{Seq: 1, Kind: "party"}}, `event 1: unknown kind "party"`},
		{"unknown decision", []engine.Event{{Seq: 1, Kind: engine.KindDecisionAnswered, Decision: "zzz"}}, `event 1: the scenario has no decision "zzz"`},
	}
	for _, tt := range tests {
		_, err := engine.FoldEvents(sc, tt.events)
		assert.EqualError(t, err, tt.msg, tt.name)
	}
}

func TestSameInputsSameLog(t *testing.T) {
	play := func() []engine.Event {
		ctx := context.Background()
		f := mustStart(t, busyScenario(), 60)
		f.advance(t, 30*time.Second)
		_, err := f.x.Act(ctx, engine.Response{Team: "irt"}, "contain_hosts")
		require.NoError(t, err)
		f.advance(t, 90*time.Second)
		_, err = f.x.Choose(ctx, engine.Response{Team: "cmt"}, "ransom", "refuse")
		require.NoError(t, err)
		require.NoError(t, f.x.Pause(ctx))
		require.NoError(t, f.x.Advance(ctx))
		require.NoError(t, f.x.End(ctx))
		return f.x.EventsSince(0)
	}
	assert.Equal(t, play(), play())
}

func TestSubscribe(t *testing.T) {
	ctx := context.Background()
	f := mustExercise(t, busyScenario(), 60)
	ch, cancel := f.x.Subscribe()
	require.NoError(t, f.x.Start(ctx))
	past, ch2, cancel2 := f.x.SubscribeSince(2)
	defer cancel2()
	_, err := f.x.Note(ctx, engine.Response{Team: "irt"}, "hello")
	require.NoError(t, err)

	all := f.x.EventsSince(0)
	for _, want := range all {
		assert.Equal(t, want, <-ch)
	}
	assert.Equal(t, all[2:len(all)-1], past)
	assert.Equal(t, all[len(all)-1], <-ch2, "no gap, no repeat at the seam")
	cancel()
	_, open := <-ch
	assert.False(t, open, "cancel closes the channel")
	cancel() // twice is harmless
}

func TestSlowSubscriberIsDropped(t *testing.T) {
	ctx := context.Background()
	f := mustStart(t, busyScenario(), 60)
	ch, cancel := f.x.Subscribe()
	defer cancel()
	for i := range engine.SubscriberBuffer + 1 {
		_, err := f.x.Note(ctx, engine.Response{Team: "irt"}, fmt.Sprint("note ", i))
		require.NoError(t, err)
	}
	n := 0
	for range ch {
		n++
	}
	assert.Equal(t, engine.SubscriberBuffer, n, "the buffer is delivered, then the channel is closed")
}

func TestRunDrivesTheClock(t *testing.T) {
	// The deadline makes a scheduler bug fail in seconds instead of hanging the suite.
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	f := mustStart(t, busyScenario(), 60)
	events, cancel := f.x.Subscribe()
	defer cancel()
	done := goRun(ctx, f.x)
	next := func() engine.Event {
		t.Helper()
		return nextEvent(t, ctx, events)
	}

	require.NoError(t, f.clock.BlockUntilContext(ctx, 1))
	f.clock.Advance(40 * time.Second) // 40m
	e := next()
	assert.Equal(t, "spreading", e.Inject)
	assert.Equal(t, 40*m, e.T)
	assert.Equal(t, engine.KindSeverityChanged, next().Kind)

	// A pause stops the timer; a resume wakes Run to set a new one.
	require.NoError(t, f.x.Pause(ctx))
	assert.Equal(t, engine.ClockPaused, next().Clock)
	require.NoError(t, f.x.Resume(ctx))
	assert.Equal(t, engine.ClockResumed, next().Clock)
	require.NoError(t, f.clock.BlockUntilContext(ctx, 1))
	f.clock.Advance(60 * time.Second) // 1h40m: reporter
	assert.Equal(t, "reporter", next().Inject)

	require.NoError(t, f.x.SetSpeed(ctx, 3600))
	assert.Equal(t, engine.ClockSpeed, next().Clock)
	require.NoError(t, f.clock.BlockUntilContext(ctx, 1))
	f.clock.Advance(time.Hour) // far past the end at 8h
	for _, want := range []string{"demand", "crisis"} {
		assert.Equal(t, want, next().Inject)
	}
	assert.Equal(t, engine.KindSeverityChanged, next().Kind)
	for e = next(); e.Kind == engine.KindActionTriggered; e = next() {
	}
	assert.Equal(t, engine.KindExerciseEnded, e.Kind)
	assert.Equal(t, 8*h, e.T)
	waitFor(t, done, "Run returns once the exercise has ended")
}

func TestRunStopsWithItsContext(t *testing.T) {
	deadline, cancelDeadline := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelDeadline()
	ctx, stop := context.WithCancel(deadline)
	f := mustStart(t, busyScenario(), 60)
	done := goRun(ctx, f.x)
	require.NoError(t, f.clock.BlockUntilContext(ctx, 1))
	stop()
	waitFor(t, done, "Run returns once its context is done")
}

func TestRestoreComesBackPaused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ttx.db")
	store, err := sqlite.Open(path)
	require.NoError(t, err)
	sc := busyScenario()
	clock := clockwork.NewFakeClockAt(epoch)
	rec := engine.ExerciseRecord{ID: "x1", Scenario: sc.Name, Plan: sc.PlanName, Speed: 60, CreatedAt: epoch}
	require.NoError(t, store.CreateExercise(ctx, rec))
	x := engine.New(rec, sc, clock, store)
	require.NoError(t, x.Start(ctx))
	clock.Advance(45 * time.Second)
	_, err = x.Act(ctx, engine.Response{Team: "irt", Name: "Alice", Ref: "r1"}, "contain_hosts")
	require.NoError(t, err)
	before := x.Snapshot()
	require.NoError(t, store.Close())

	store, err = sqlite.Open(path)
	require.NoError(t, err)
	defer store.Close()
	clock.Advance(time.Hour) // the server was down for an hour
	y, err := engine.Restore(ctx, rec, sc, clock, store)
	require.NoError(t, err)
	snap := y.Snapshot()
	assert.Equal(t, engine.StatusPaused, snap.Status)
	assert.Equal(t, 45*m, snap.SimTime, "paused at the time of its last event")
	assert.Equal(t, before.Severity, snap.Severity)
	assert.Equal(t, before.Teams, snap.Teams)
	last := y.EventsSince(before.Seq)
	require.Len(t, last, 1)
	assert.Equal(t, engine.Event{Seq: before.Seq + 1, T: 45 * m, Wall: epoch.Add(time.Hour + 45*time.Second), Kind: engine.KindClock, Clock: engine.ClockPaused, Reason: "server restarted"}, last[0])

	retry, err := y.Act(ctx, engine.Response{Team: "irt", Name: "Alice", Ref: "r1"}, "contain_hosts")
	require.NoError(t, err)
	assert.Equal(t, before.Seq, retry.Seq, "refs survive a restart")

	require.NoError(t, y.Resume(ctx))
	clock.Advance(5 * time.Second) // 50m
	require.NoError(t, y.Tick(ctx))
	assert.Equal(t, 50*m, y.Snapshot().SimTime)

	stored, err := store.Events(ctx, "x1")
	require.NoError(t, err)
	folded, err := engine.FoldEvents(sc, stored)
	require.NoError(t, err)
	assert.Equal(t, y.LiveState(), folded)

	z, err := engine.Restore(ctx, rec, sc, clock, store)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusPaused, z.Snapshot().Status)
}

func TestConcurrentResponsesShareCommits(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "ttx.db"))
	require.NoError(t, err)
	defer store.Close()
	sc := busyScenario()
	clock := clockwork.NewFakeClockAt(epoch)
	rec := engine.ExerciseRecord{ID: "x1", Scenario: sc.Name, Plan: sc.PlanName, Speed: 60, CreatedAt: epoch}
	require.NoError(t, store.CreateExercise(ctx, rec))
	x := engine.New(rec, sc, clock, store)
	require.NoError(t, x.Start(ctx))
	events, cancel := x.Subscribe()
	defer cancel()

	const writers, each = 8, 25
	commitsBefore := store.Commits()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := engine.Response{Team: "irt", Name: fmt.Sprint("p", w), Ref: fmt.Sprint(i)}
				e, err := x.Note(ctx, r, "hello")
				if !assert.NoError(t, err) {
					return
				}
				stored, err := store.Events(ctx, "x1")
				if assert.NoError(t, err) {
					assert.GreaterOrEqual(t, int64(len(stored)), e.Seq, "returned only once committed")
				}
			}
		}()
	}
	wg.Wait()
	stored, err := store.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, x.EventsSince(0), stored)
	assert.Less(t, store.Commits()-commitsBefore, int64(writers*each), "concurrent responses share commits")
	for i, e := range stored {
		assert.Equal(t, int64(i+1), e.Seq)
	}
	start := len(stored) - writers*each
	for _, want := range stored[start:] {
		assert.Equal(t, want.Seq, (<-events).Seq, "published in seq order")
	}
}
