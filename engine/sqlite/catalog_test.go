package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
)

// TestCatalogTellsEndedExercises: the catalogue lists every exercise without its sources,
// with whether it ended and its last seq, and the credentials index finds each credential.
func TestCatalogTellsEndedExercises(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	for _, c := range []struct {
		id, cred string
		kinds    []string
	}{
		{"empty", "h-empty", nil},
		{"running", "h-running", []string{engine.KindExerciseStarted, engine.KindNote}},
		{"ended", "h-ended", []string{engine.KindExerciseStarted, engine.KindExerciseEnded, engine.KindFeedbackRecorded}},
	} {
		mustCreate(t, s, c.id)
		require.NoError(t, s.CreateExercise(ctx, engine.ExerciseRecord{ID: c.id + "-2", Scenario: "sc", Plan: "p", Speed: 1, CreatedAt: epoch,
			Credentials: map[string]string{"team:irt": c.cred + "-code"}}))
		var events []engine.Event
		for i, k := range c.kinds {
			e := note(int64(i+1), "x")
			e.Kind = k
			events = append(events, e)
		}
		if len(events) > 0 {
			require.NoError(t, s.Append(ctx, c.id, events))
		}
	}
	ended, err := s.Catalog(ctx, true)
	require.NoError(t, err)
	others, err := s.Catalog(ctx, false)
	require.NoError(t, err)
	got := map[string][2]int64{}
	for _, e := range append(ended, others...) {
		assert.Nil(t, e.Record.Sources, "a start-up reads no sources")
		ended := int64(0)
		if e.Ended {
			ended = 1
		}
		got[e.Record.ID] = [2]int64{ended, e.LastSeq}
	}
	assert.Equal(t, map[string][2]int64{
		"empty": {0, 0}, "running": {0, 2}, "ended": {1, 3},
		"empty-2": {0, 0}, "running-2": {0, 0}, "ended-2": {0, 0},
	}, got)

	id, key, ok, err := s.CredentialOf(ctx, "h-ended-code")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, []string{"ended-2", "team:irt"}, []string{id, key})
	_, _, ok, err = s.CredentialOf(ctx, "no-such-hash")
	require.NoError(t, err)
	assert.False(t, ok)
}

// TestDerivedRowsAreReplaced: a kept row is read back byte for byte and replaced by a later
// one of the same name.
func TestDerivedRowsAreReplaced(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, filepath.Join(t.TempDir(), "ttx.db"))
	mustCreate(t, s, "x1")
	mustCreate(t, s, "x2")
	_, ok, err := s.Derived(ctx, "x1", "row")
	require.NoError(t, err)
	assert.False(t, ok)
	body := []byte("\x00binary\xff")
	require.NoError(t, s.PutDerived(ctx, engine.Derived{ExerciseID: "x1", Name: "row", Seq: 3, Body: body}))
	require.NoError(t, s.PutDerived(ctx, engine.Derived{ExerciseID: "x2", Name: "row", Seq: 1, Body: []byte("b")}))
	require.NoError(t, s.PutDerived(ctx, engine.Derived{ExerciseID: "x1", Name: "report.md", Seq: 3, Body: []byte("md")}))
	d, ok, err := s.Derived(ctx, "x1", "row")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, engine.Derived{ExerciseID: "x1", Name: "row", Seq: 3, Body: body}, d)
	require.NoError(t, s.PutDerived(ctx, engine.Derived{ExerciseID: "x1", Name: "row", Seq: 5, Body: []byte("later")}))
	all, err := s.DerivedAll(ctx, "row")
	require.NoError(t, err)
	assert.Equal(t, []engine.Derived{
		{ExerciseID: "x1", Name: "row", Seq: 5, Body: []byte("later")},
		{ExerciseID: "x2", Name: "row", Seq: 1, Body: []byte("b")},
	}, all)
}

// TestCatalogOfAnOlderDatabase: migration 003 catalogues, and indexes the credentials of, the
// exercises stored before it.
func TestCatalogOfAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ttx.db")
	db, err := sql.Open("sqlite", sqlite.DSN(path))
	require.NoError(t, err)
	stmts := []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`}
	for i, name := range []string{"001_init.sql", "002_v2_exercises.sql"} {
		text, err := os.ReadFile("migrations/" + name)
		require.NoError(t, err)
		stmts = append(stmts, string(text), `INSERT INTO schema_migrations (version, name) VALUES (`+string(rune('1'+i))+`, 'migrations/`+name+`')`)
	}
	stmts = append(stmts,
		`INSERT INTO exercises (id, scenario, plan, credentials, speed, created_at) VALUES ('old', 'sc', 'p', '{"reviewer":"h-old"}', 60, '2026-03-14T07:30:00Z')`,
		`INSERT INTO events (exercise_id, seq, t_ns, wall, kind, payload) VALUES ('old', 1, 0, '2026-03-14T07:30:00Z', 'exercise_ended', '{}')`)
	for _, stmt := range stmts {
		_, err := db.ExecContext(ctx, stmt)
		require.NoError(t, err, stmt)
	}
	require.NoError(t, db.Close())

	s := mustOpen(t, path)
	entries, err := s.Catalog(ctx, true)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, engine.CatalogEntry{Record: engine.ExerciseRecord{ID: "old", Scenario: "sc", Plan: "p", Speed: 60,
		CreatedAt: epoch, Mode: engine.ModeTraining, Kind: engine.ExerciseLive}, Ended: true, LastSeq: 1}, entries[0])
	id, key, ok, err := s.CredentialOf(ctx, "h-old")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, []string{"old", "reviewer"}, []string{id, key})
}
