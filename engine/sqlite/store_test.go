package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/engine/storetest"
)

var epoch = time.Date(2026, time.March, 14, 7, 30, 0, 0, time.UTC)

func mustOpen(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(path)
	require.NoError(tb, err)
	tb.Cleanup(func() { s.Close() })
	return s
}

// TestStoreContract runs the store suite every engine.Store passes. WithoutV2Record: this
// schema does not keep Mode, Teams and Kind yet; drop the flag with the migration that does.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		NewDatabase: func(t *testing.T) func() (engine.Store, error) {
			path := filepath.Join(t.TempDir(), "ttx.db")
			return func() (engine.Store, error) { return sqlite.Open(path) }
		},
		WithoutV2Record: true,
	})
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

// TestFailedAppendStopsTheExercise: SQLite does not check that seqs continue a log, so after an
// append of an exercise fails, the store takes no more of it: its log cannot get a gap.
func TestFailedAppendStopsTheExercise(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	mustCreate(t, s, "x1")
	mustCreate(t, s, "x2")
	require.NoError(t, s.Append(ctx, "x1", []engine.Event{note(1, "a")}))

	err := s.Append(ctx, "x1", []engine.Event{note(2, "b"), note(1, "again")})
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "%v", err)
	err = s.Append(ctx, "x1", []engine.Event{note(2, "b")})
	assert.Error(t, err, "after a failed append the exercise takes no more, so its log cannot get a gap")

	require.NoError(t, s.Append(ctx, "x2", []engine.Event{note(1, "other exercises carry on")}))
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
