package engine_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
)

// fullDisk is a memory store that refuses every write while full is set, as SQLite does on a
// full disk, and like engine/sqlite refuses an exercise's appends after one failed until told
// to forget it. Its queued appends commit later, in the order queued, as QueuedAppender asks.
type fullDisk struct {
	*engine.MemoryStore
	full      atomic.Bool
	failed    atomic.Bool
	forgotten atomic.Int32

	mu   sync.Mutex
	last chan struct{} // closed once the append queued last has been committed
}

var errDiskFull = errors.New("database or disk is full")

func (s *fullDisk) Append(ctx context.Context, id string, events []engine.Event) error {
	if s.full.Load() || s.failed.Load() {
		s.failed.Store(true)
		return errDiskFull
	}
	return s.MemoryStore.Append(ctx, id, events)
}

// QueueAppend commits events in a goroutine of their own once the append queued before them
// has been committed: one goroutine each, they would otherwise commit in any order.
func (s *fullDisk) QueueAppend(id string, events []engine.Event, done func(error)) {
	s.mu.Lock()
	prev, next := s.last, make(chan struct{})
	s.last = next
	s.mu.Unlock()
	go func() {
		defer close(next)
		if prev != nil {
			<-prev
		}
		done(s.Append(context.Background(), id, events))
	}()
}

func (s *fullDisk) ForgetFailure(string) {
	s.failed.Store(false)
	s.forgotten.Add(1)
}

// TestAnExerciseHealsOnceTheDiskTakesWritesAgain: a write refused (a full disk) is answered
// with an error and never acked; while the disk is full every command is refused; once it
// takes writes again the exercise goes on from its stored log, paused as after a restart,
// with nothing of what failed in it, and its clock driver runs again.
func TestAnExerciseHealsOnceTheDiskTakesWritesAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	store := &fullDisk{MemoryStore: engine.NewMemoryStore()}
	clock := clockwork.NewFakeClockAt(epoch)
	sc := testScenario(h, inj("first", at(0), to("irt")), inj("later", at(10*time.Minute), to("irt")))
	rec := engine.ExerciseRecord{ID: "x1", Scenario: sc.Name, Plan: sc.PlanName, Speed: 60, CreatedAt: epoch}
	require.NoError(t, store.CreateExercise(ctx, rec))
	x := engine.New(rec, sc, clock, store)
	runDone := goRun(ctx, x)
	require.NoError(t, x.Start(ctx))
	ok, err := x.Act(ctx, engine.Response{Team: "irt", Name: "Ana", Ref: "ok"}, "contain_hosts")
	require.NoError(t, err)

	store.full.Store(true)
	_, err = x.Note(ctx, engine.Response{Team: "irt", Name: "Ana", Ref: "lost"}, "never stored")
	require.Error(t, err)
	assert.Equal(t, "internal error", engine.ErrorMessage(err), "the store's message stays inside")
	_, err = x.Note(ctx, engine.Response{Team: "irt", Name: "Ana", Ref: "lost2"}, "still full")
	require.Error(t, err, "refused while the disk is full")

	store.full.Store(false)
	e, err := x.Note(ctx, engine.Response{Team: "irt", Name: "Ana", Ref: "back"}, "stored")
	require.NoError(t, err, "the exercise heals once the disk takes writes")
	assert.Positive(t, store.forgotten.Load())
	stored, err := store.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, stored, x.EventsSince(0), "memory is the disk")
	for _, s := range stored {
		assert.NotContains(t, []string{"lost", "lost2"}, s.Ref, "nothing that failed is in the log")
	}
	assert.Equal(t, e, stored[len(stored)-1])
	assert.Greater(t, e.Seq, ok.Seq)
	st, err := engine.FoldEvents(sc, stored)
	require.NoError(t, err)
	assert.Equal(t, engine.StatusPaused, st.Status, "it comes back paused, as after a restart")
	retry, err := x.Act(ctx, engine.Response{Team: "irt", Name: "Ana", Ref: "ok"}, "contain_hosts")
	require.NoError(t, err)
	assert.Equal(t, ok.Seq, retry.Seq, "refs are still recorded once")

	// The clock driver runs again once resumed: the later inject fires.
	events, stop := x.Subscribe()
	defer stop()
	require.NoError(t, x.Resume(ctx))
	require.NoError(t, clock.BlockUntilContext(ctx, 1))
	clock.Advance(10 * time.Minute)
	for {
		select {
		case ev := <-events:
			if ev.Kind == engine.KindInjectDelivered && ev.Inject == "later" {
				cancel()
				waitFor(t, runDone, "Run returns once its context is done")
				return
			}
		case <-ctx.Done():
			t.Fatal("the clock driver did not run again after healing")
		}
	}
}

// TestAHealedExerciseStillDefaultsItsDecisions: a decision put before the log failed keeps its
// due after the heal: at delivery + due its deciding teams get the default.
func TestAHealedExerciseStillDefaultsItsDecisions(t *testing.T) {
	ctx := context.Background()
	store := &fullDisk{MemoryStore: engine.NewMemoryStore()}
	clock := clockwork.NewFakeClockAt(epoch)
	sc := ransomScenario("negotiate")
	rec := engine.ExerciseRecord{ID: "x1", Scenario: sc.Name, Plan: sc.PlanName, Speed: 60, CreatedAt: epoch}
	require.NoError(t, store.CreateExercise(ctx, rec))
	x := engine.New(rec, sc, clock, store)
	require.NoError(t, x.Start(ctx))
	clock.Advance(10 * time.Second) // 10m: the demand puts the decision, due at 40m
	require.NoError(t, x.Tick(ctx))

	store.full.Store(true)
	_, err := x.Note(ctx, engine.Response{Team: "irt", Name: "Ana", Ref: "lost"}, "never stored")
	require.Error(t, err)
	store.full.Store(false)
	require.NoError(t, x.Resume(ctx), "healed, it comes back paused")

	clock.Advance(40 * time.Second) // 50m
	require.NoError(t, x.Tick(ctx))
	st := x.LiveState()
	assert.Equal(t, "negotiate", st.Defaulted("ransom", "cmt"))
	assert.Equal(t, "negotiate", st.Defaulted("ransom", "legal"))
}
