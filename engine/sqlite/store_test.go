package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
)

var epoch = time.Date(2026, time.March, 14, 7, 30, 0, 0, time.UTC)

func mustOpen(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(path)
	require.NoError(tb, err)
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustCreate(tb testing.TB, s engine.Store, id string) engine.ExerciseRecord {
	tb.Helper()
	rec := engine.ExerciseRecord{
		ID: id, Scenario: "hospital-ransomware", Plan: "acme-irp",
		Sources:     map[string]string{"a.hcl": "plan \"p\" {}\n"},
		Credentials: map[string]string{"facilitator": "hash"},
		Speed:       60, CreatedAt: epoch,
	}
	require.NoError(tb, s.CreateExercise(context.Background(), rec))
	return rec
}

func note(seq int64, text string) engine.Event {
	return engine.Event{Seq: seq, T: time.Duration(seq) * time.Second, Wall: epoch.Add(time.Duration(seq) * time.Millisecond),
		Kind: engine.KindNote, Team: "irt", Name: "Alice", Ref: fmt.Sprint("r", seq), Text: text}
}

func TestExercisesRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ttx.db")
	s := mustOpen(t, path)
	rec := mustCreate(t, s, "x1")
	rec2 := rec
	rec2.ID, rec2.CreatedAt, rec2.Sources, rec2.Credentials = "x0", epoch.Add(time.Hour), map[string]string{}, map[string]string{}
	require.NoError(t, s.CreateExercise(ctx, rec2))

	got, err := s.Exercise(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, rec, got)

	err = s.CreateExercise(ctx, rec)
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "%v", err)

	_, err = s.Exercise(ctx, "nope")
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))
	_, err = s.Events(ctx, "nope")
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))

	all, err := s.Exercises(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, "x1", all[0].ID, "oldest first")
	assert.Equal(t, "x0", all[1].ID)
}

func TestAppendAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ttx.db")
	s, err := sqlite.Open(path)
	require.NoError(t, err)
	mustCreate(t, s, "x1")
	want := []engine.Event{
		{Seq: 1, T: 0, Wall: epoch, Kind: engine.KindExerciseStarted, Speed: 60},
		{Seq: 2, T: time.Minute, Wall: epoch.Add(time.Second), Kind: engine.KindInjectDelivered, Inject: "call", To: []string{"irt", "cmt"}},
		{Seq: 3, T: time.Minute, Wall: epoch.Add(time.Second), Kind: engine.KindInjectDelivered, To: []string{"irt"},
			AdHoc: &engine.AdHocInject{Channel: "chat", Subject: "ad hoc", Body: "**hi** — ünïcode"}},
		{Seq: 4, T: 2 * time.Minute, Wall: epoch.Add(2 * time.Second), Kind: engine.KindActionTriggered, Action: "a", Team: "irt", Due: time.Hour},
	}
	require.NoError(t, s.Append(ctx, "x1", want[:1]))
	require.NoError(t, s.Append(ctx, "x1", want[1:]))
	require.NoError(t, s.Close())

	s = mustOpen(t, path) // migrations already applied: opening again must work
	got, err := s.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestAppendRejectsWhatDoesNotFit(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	mustCreate(t, s, "x1")
	mustCreate(t, s, "x2")
	require.NoError(t, s.Append(ctx, "x1", []engine.Event{note(1, "a")}))

	err := s.Append(ctx, "ghost", []engine.Event{note(1, "a")})
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err), "%v", err)

	err = s.Append(ctx, "x1", []engine.Event{note(2, "b"), note(1, "again")})
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "%v", err)
	got, err := s.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Len(t, got, 1, "a request that fails is written not at all")

	err = s.Append(ctx, "x1", []engine.Event{note(2, "b")})
	assert.Error(t, err, "after a failed append the exercise takes no more, so its log cannot get a gap")

	require.NoError(t, s.Append(ctx, "x2", []engine.Event{note(1, "other exercises carry on")}))
}

func TestConcurrentAppendsAllCommitted(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	const exercises, perExercise = 8, 50
	var wg sync.WaitGroup
	for i := range exercises {
		id := fmt.Sprint("x", i)
		mustCreate(t, s, id)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := int64(1); seq <= perExercise; seq++ {
				if err := s.Append(ctx, id, []engine.Event{note(seq, id)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range exercises {
		got, err := s.Events(ctx, fmt.Sprint("x", i))
		require.NoError(t, err)
		require.Len(t, got, perExercise)
		for j, e := range got {
			assert.Equal(t, int64(j+1), e.Seq)
		}
	}
}

func TestQueuedAppendsCommitInOrder(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	mustCreate(t, s, "x1")
	const n = 200
	results := make(chan int64, n)
	for seq := int64(1); seq <= n; seq++ {
		s.QueueAppend("x1", []engine.Event{note(seq, "q")}, func(err error) {
			assert.NoError(t, err)
			results <- seq
		})
	}
	for want := int64(1); want <= n; want++ {
		assert.Equal(t, want, <-results, "done is called in queue order")
	}
}

// BenchmarkAppendConcurrent appends one-event responses from many goroutines at once, each to
// its own exercise, as a server full of teams does; group commit shares the fsyncs.
func BenchmarkAppendConcurrent(b *testing.B) {
	ctx := context.Background()
	s := mustOpen(b, filepath.Join(b.TempDir(), "ttx.db"))
	const parallelism = 16
	b.SetParallelism(parallelism)
	// RunParallel starts parallelism*GOMAXPROCS goroutines: their exercises are created before
	// the timer starts, so that at any benchtime it measures appends, not creations.
	ids := make([]string, parallelism*runtime.GOMAXPROCS(0))
	for i := range ids {
		ids[i] = fmt.Sprint("x", i)
		mustCreate(b, s, ids[i])
	}
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := ids[next.Add(1)-1]
		seq := int64(0)
		for pb.Next() {
			seq++
			if err := s.Append(ctx, id, []engine.Event{note(seq, "benchmark response")}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
}

func TestExercisesSortByCreationTime(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	for i, at := range []time.Time{epoch.Add(500 * time.Millisecond), epoch, epoch.Add(time.Second)} {
		rec := engine.ExerciseRecord{ID: fmt.Sprint("x", i), Scenario: "s", Plan: "p", Speed: 1, CreatedAt: at}
		require.NoError(t, s.CreateExercise(ctx, rec))
	}
	all, err := s.Exercises(ctx)
	require.NoError(t, err)
	var ids []string
	for _, rec := range all {
		ids = append(ids, rec.ID)
	}
	assert.Equal(t, []string{"x1", "x0", "x2"}, ids)
	assert.Equal(t, epoch.Add(500*time.Millisecond), all[1].CreatedAt)
}

func TestAppendBeforeCreateIsNotFoundAndHarmless(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	err := s.Append(ctx, "x1", []engine.Event{note(1, "too early")})
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))
	mustCreate(t, s, "x1")
	require.NoError(t, s.Append(ctx, "x1", []engine.Event{note(1, "now")}))
}

// TestOpenErrorsSayWhatIsWrong: a database whose directory is missing or is a file gets one
// sentence naming the database and the directory, not SQLite's "unable to open database file".
func TestOpenErrorsSayWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	_, err := sqlite.Open(filepath.Join(missing, "ttx.db"))
	require.Error(t, err)
	assert.Equal(t, "open database "+filepath.Join(missing, "ttx.db")+": the directory "+missing+" does not exist", err.Error())

	file := filepath.Join(dir, "file")
	s := mustOpen(t, file)
	require.NoError(t, s.Close())
	_, err = sqlite.Open(filepath.Join(file, "ttx.db"))
	require.Error(t, err)
	assert.Equal(t, "open database "+filepath.Join(file, "ttx.db")+": "+file+" is not a directory", err.Error())
}

// TestLockIsHeldOnce: a second holder of one database's lock is refused with a sentence, and
// the lock is free again once released.
func TestLockIsHeldOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ttx.db")
	unlock, err := sqlite.Lock(path)
	require.NoError(t, err)
	_, err = sqlite.Lock(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another ttx serve is already using the database "+path)
	unlock()
	unlock2, err := sqlite.Lock(path)
	require.NoError(t, err, "free again once released")
	unlock2()
}
