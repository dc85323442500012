package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres/pgtest"
)

// TestCatalogOfAnOlderDatabase: migration 003 indexes the credentials of the exercises stored
// before it, and the catalogue tells those that ended.
func TestCatalogOfAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	stmts := []string{`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL)`}
	for i, name := range []string{"001_init.sql", "002_replicas.sql"} {
		text, err := os.ReadFile("migrations/" + name)
		require.NoError(t, err)
		stmts = append(stmts, string(text), `INSERT INTO schema_migrations (version, name) VALUES (`+string(rune('1'+i))+`, 'migrations/`+name+`')`)
	}
	stmts = append(stmts,
		`INSERT INTO exercises (id, scenario, plan, credentials, speed, created_at) VALUES ('old', 'sc', 'p', '{"reviewer":"h-old"}', 60, '2026-03-14T07:30:00Z')`,
		`INSERT INTO exercises (id, scenario, plan, speed, created_at) VALUES ('live', 'sc', 'p', 60, '2026-03-14T07:31:00Z')`,
		`INSERT INTO events (exercise_id, seq, t_ns, wall, kind, payload) VALUES ('old', 1, 0, '2026-03-14T07:30:00Z', 'exercise_ended', '{}')`)
	for _, stmt := range stmts {
		_, err := conn.Exec(ctx, stmt, pgx.QueryExecModeSimpleProtocol)
		require.NoError(t, err, stmt)
	}
	require.NoError(t, conn.Close(ctx))

	s := mustOpen(t, u)
	entries, err := s.Catalog(ctx, true)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, engine.CatalogEntry{Record: engine.ExerciseRecord{ID: "old", Scenario: "sc", Plan: "p", Speed: 60,
		CreatedAt: epoch, Mode: engine.ModeTraining, Kind: engine.ExerciseLive}, Ended: true, LastSeq: 1}, entries[0])
	entries, err = s.Catalog(ctx, false)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "live", entries[0].Record.ID)
	id, key, ok, err := s.CredentialOf(ctx, "h-old")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, []string{"old", "reviewer"}, []string{id, key})
}
