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
