package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
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

// TestStoreContract runs the store suite every engine.Store passes.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		NewDatabase: func(t *testing.T) func() (engine.Store, error) {
			path := filepath.Join(t.TempDir(), "ttx.db")
			return func() (engine.Store, error) { return sqlite.Open(path) }
		},
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

func TestExerciseRecordDefaults(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	require.NoError(t, s.CreateExercise(ctx, engine.ExerciseRecord{ID: "x1", Scenario: "sc", Plan: "p", Speed: 1, CreatedAt: epoch}))
	got, err := s.Exercise(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, engine.ModeEvaluation, got.Mode, "v2's default mode")
	assert.Equal(t, engine.ExerciseLive, got.Kind)
	assert.Nil(t, got.Teams, "no teams chosen: every team that is not external")
}

// TestRecordsStoredBeforeV2 opens a database that only the first migration made, with an
// exercise in it: migration 002 reads it as a live training exercise with every team in play.
func TestRecordsStoredBeforeV2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ttx.db")
	db, err := sql.Open("sqlite", sqlite.DSN(path))
	require.NoError(t, err)
	v1, err := os.ReadFile("migrations/001_init.sql")
	require.NoError(t, err)
	for _, stmt := range []string{
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`,
		string(v1),
		`INSERT INTO schema_migrations (version, name) VALUES (1, 'migrations/001_init.sql')`,
		`INSERT INTO exercises (id, scenario, plan, speed, created_at) VALUES ('old', 'sc', 'p', 60, '2026-03-14T07:30:00Z')`,
	} {
		_, err := db.ExecContext(ctx, stmt)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())

	s := mustOpen(t, path)
	got, err := s.Exercise(ctx, "old")
	require.NoError(t, err)
	assert.Equal(t, engine.ExerciseRecord{ID: "old", Scenario: "sc", Plan: "p", Speed: 60, CreatedAt: epoch,
		Sources: map[string]string{}, Credentials: map[string]string{},
		Mode: engine.ModeTraining, Kind: engine.ExerciseLive}, got)
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
