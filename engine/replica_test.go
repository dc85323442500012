package engine_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// sharedStore is engine.SharedStore over a memory store, as engine/postgres is over a
// database: one command at a time runs under the "lock", with the "database's" time from its
// own clock and whether every replica was down as the test sets it.
type sharedStore struct {
	*engine.MemoryStore
	clock *clockwork.FakeClock // the database's clock

	mu       sync.Mutex
	down     bool // every replica was down
	failNext bool // the next commit fails
	skew     time.Duration
}

func newSharedStore(clock *clockwork.FakeClock) *sharedStore {
	return &sharedStore{MemoryStore: engine.NewMemoryStore(), clock: clock}
}

func (s *sharedStore) QueueCommand(id string, cmd engine.Command) {
	s.mu.Lock()
	defer s.mu.Unlock()
	missed, err := s.EventsAfter(context.Background(), id, cmd.Folded())
	if err != nil {
		cmd.Done(err)
		return
	}
	events := cmd.Run(engine.Locked{Now: s.clock.Now().Add(s.skew), Missed: missed, EveryReplicaDown: s.down})
	if s.failNext {
		s.failNext = false
		cmd.Done(errors.New("the connection was lost during COMMIT"))
		return
	}
	if len(events) > 0 {
		if err := s.Append(context.Background(), id, events); err != nil {
			cmd.Done(err)
			return
		}
	}
	cmd.Done(nil)
}

func (s *sharedStore) EventsAfter(ctx context.Context, id string, after int64) ([]engine.Event, error) {
	events, err := s.Events(ctx, id)
	if err != nil || int64(len(events)) <= after {
		return nil, err
	}
	return events[after:], nil
}

// replicas are two replicas of one exercise on a shared store.
type replicas struct {
	store *sharedStore
	clock *clockwork.FakeClock
	a, b  *engine.Exercise
	sc    *scenarios.Scenario
}

func mustReplicas(tb testing.TB, sc *scenarios.Scenario, speed float64) *replicas {
	tb.Helper()
	clock := clockwork.NewFakeClockAt(epoch)
	store := newSharedStore(clock)
	rec := engine.ExerciseRecord{ID: "x1", Scenario: sc.Name, Plan: sc.PlanName, Speed: speed, CreatedAt: epoch}
	require.NoError(tb, store.CreateExercise(context.Background(), rec))
	a := engine.NewReplica(rec, sc, clock, store)
	b, err := engine.RestoreReplica(context.Background(), rec, sc, clock, store)
	require.NoError(tb, err)
	return &replicas{store: store, clock: clock, a: a, b: b, sc: sc}
}

func (r *replicas) log(tb testing.TB) []engine.Event {
	tb.Helper()
	events, err := r.store.Events(context.Background(), "x1")
	require.NoError(tb, err)
	return events
}

// TestReplicasKeepOneLog: commands to either replica continue the one log, each replica
// folding what the other appended before deciding; CatchUp brings a replica's subscribers
// what the other committed, in seq order, without a gap.
func TestReplicasKeepOneLog(t *testing.T) {
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	sc := testScenario(2*time.Hour, inj("first", at(0)), inj("second", at(10*time.Minute)))
	r := mustReplicas(t, sc, 60)
	_, feed, cancel := r.b.SubscribeSince(0)
	defer cancel()

	require.NoError(t, r.a.Start(ctx))
	_, err := r.b.Act(ctx, engine.Response{Team: "service_desk"}, "log_report")
	require.NoError(t, err, "replica b folds the start before deciding")
	r.clock.Advance(10 * time.Second) // 10 simulated minutes
	_, err = r.a.Act(ctx, engine.Response{Team: "irt"}, "open_bridge")
	require.NoError(t, err)
	require.NoError(t, r.b.CatchUp(ctx))

	log := r.log(t)
	assert.Equal(t, timeline(log), timeline(r.a.EventsSince(0)))
	assert.Equal(t, timeline(log), timeline(r.b.EventsSince(0)))
	assert.Contains(t, timeline(log), "10m0s inject_delivered second", "a fired what came due before its command")
	for i, e := range log {
		require.Equal(t, int64(i+1), e.Seq)
		assert.Equal(t, e.Seq, nextEvent(t, ctx, feed).Seq, "b's subscriber gets every event in order")
	}
}

// TestReplicasComputeOneClock: the simulated clock is a function of the log: a replica that
// saw only the log fires at the same simulated times, after pauses, speeds and advances
// decided by the other.
func TestReplicasComputeOneClock(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(3*time.Hour, inj("one", at(30*time.Minute)), inj("two", at(90*time.Minute)), inj("three", at(150*time.Minute)))
	r := mustReplicas(t, sc, 60)
	require.NoError(t, r.a.Start(ctx))
	r.clock.Advance(20 * time.Second) // 20 simulated minutes
	require.NoError(t, r.a.Pause(ctx))
	r.clock.Advance(time.Hour) // nothing moves while paused
	require.NoError(t, r.b.Resume(ctx))
	require.NoError(t, r.a.SetSpeed(ctx, 120))
	r.clock.Advance(5 * time.Second) // 10 simulated minutes: 30m
	require.NoError(t, r.b.Tick(ctx))
	require.NoError(t, r.a.Advance(ctx)) // to 90m
	r.clock.Advance(30 * time.Second)    // 60 simulated minutes: 150m
	require.NoError(t, r.a.Tick(ctx))
	require.NoError(t, r.b.CatchUp(ctx))

	want := []string{"1h30m0s clock advanced", "1h30m0s inject_delivered two", "2h30m0s inject_delivered three"}
	assert.Subset(t, timeline(r.log(t)), append(want, "30m0s inject_delivered one"))
	assert.Equal(t, r.a.Snapshot().SimTime, r.b.Snapshot().SimTime, "both replicas read one simulated time")
}

// TestFailedCommitIsNeverAcked: a command whose transaction fails gets an error, its events
// are in no log and no feed, and the replica's next command decides from the committed log.
func TestFailedCommitIsNeverAcked(t *testing.T) {
	ctx := context.Background()
	r := mustReplicas(t, testScenario(time.Hour), 60)
	require.NoError(t, r.a.Start(ctx))
	before := len(r.log(t))
	r.store.failNext = true
	_, err := r.a.Act(ctx, engine.Response{Team: "service_desk"}, "log_report")
	assert.Equal(t, engine.EInternal, engine.ErrorCode(err), "%v", err)
	assert.Len(t, r.log(t), before)
	assert.Len(t, r.a.EventsSince(0), before)

	e, err := r.a.Act(ctx, engine.Response{Team: "service_desk"}, "log_report")
	require.NoError(t, err, "the fold was rebuilt: the action is not taken as recorded")
	assert.Equal(t, int64(before+1), e.Seq)
}

// TestUnheldClockPauses: when the store says that every replica was down (for more than
// ClockUnheldLimit) the next command pauses the exercise at its last event's time, firing
// nothing that came due meanwhile; else, however long the clock went unheld, it fires what
// came due, in order, and does not pause.
func TestUnheldClockPauses(t *testing.T) {
	ctx := context.Background()
	sc := testScenario(3*time.Hour, inj("one", at(30*time.Minute)))
	for _, tc := range []struct {
		name string
		down bool
		want []string
	}{
		{"taken over", false, []string{"30m0s inject_delivered one"}},
		{"every replica down", true, []string{"0s clock paused"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustReplicas(t, sc, 60)
			require.NoError(t, r.a.Start(ctx))
			start := len(r.log(t))
			r.clock.Advance(time.Minute) // an hour simulated
			r.store.down = tc.down
			require.NoError(t, r.b.Tick(ctx))
			got := r.log(t)[start:]
			assert.Equal(t, tc.want, timeline(got))
			if tc.down {
				assert.Equal(t, engine.NoReplicaReason, got[0].Reason)
				assert.Equal(t, engine.StatusPaused, r.b.Snapshot().Status)
			}
		})
	}
}

// TestRealTimeNeverGoesBack: a database clock that steps back does not put an event's wall
// time or simulated time below the previous event's.
func TestRealTimeNeverGoesBack(t *testing.T) {
	ctx := context.Background()
	r := mustReplicas(t, testScenario(time.Hour), 60)
	require.NoError(t, r.a.Start(ctx))
	r.clock.Advance(10 * time.Second)
	_, err := r.a.Act(ctx, engine.Response{Team: "service_desk"}, "log_report")
	require.NoError(t, err)
	r.store.skew = -30 * time.Second
	_, err = r.b.Act(ctx, engine.Response{Team: "irt"}, "open_bridge")
	require.NoError(t, err)
	log := r.log(t)
	for i := 1; i < len(log); i++ {
		assert.False(t, log[i].Wall.Before(log[i-1].Wall), "event %d", log[i].Seq)
		assert.GreaterOrEqual(t, log[i].T, log[i-1].T, "event %d", log[i].Seq)
	}
}
