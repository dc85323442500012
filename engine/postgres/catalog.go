package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ttx-dev/ttx/engine"
)

var (
	_ engine.Cataloguer      = (*Store)(nil)
	_ engine.DerivedKeeper   = (*Store)(nil)
	_ engine.CredentialIndex = (*Store)(nil)
)

// selectCatalog names the ended kind as a literal, not a parameter: only then may PostgreSQL
// answer the EXISTS from the partial index events_ended (migration 003), whatever plan it
// caches for the statement.
const selectCatalog = `SELECT id, scenario, plan, speed, created_at, created_ns, mode, kind, ended, last FROM (
	SELECT x.id, x.scenario, x.plan, x.speed, x.created_at, x.created_ns, x.mode, x.kind,
	  EXISTS (SELECT 1 FROM events e WHERE e.exercise_id = x.id AND e.kind = '` + engine.KindExerciseEnded + `') AS ended,
	  coalesce((SELECT max(seq) FROM events e WHERE e.exercise_id = x.id), 0) AS last
	FROM exercises x) c
	WHERE ended = $1 ORDER BY created_at, created_ns, id`

// Catalog returns the exercises that ended, or the others, without their sources,
// credentials and teams, oldest first, with whether its log holds exercise_ended (the
// events_ended index) and its last seq (the primary key's last entry): a start-up reads
// neither sources nor logs. What it says is what the last committed append left.
func (s *Store) Catalog(ctx context.Context, ended bool) ([]engine.CatalogEntry, error) {
	rows, err := s.pool.Query(ctx, selectCatalog, ended)
	if err != nil {
		return nil, fmt.Errorf("list the catalogue: %w", err)
	}
	var out []engine.CatalogEntry
	var e engine.CatalogEntry
	var created time.Time
	var ns int32
	rec := &e.Record
	if _, err := pgx.ForEachRow(rows, []any{&rec.ID, &rec.Scenario, &rec.Plan, &rec.Speed, &created, &ns,
		&rec.Mode, &rec.Kind, &e.Ended, &e.LastSeq}, func() error {
		rec.CreatedAt = created.UTC().Add(time.Duration(ns))
		out = append(out, e)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read the catalogue: %w", err)
	}
	return out, nil
}

// CredentialOf returns the exercise whose credentials hold hash (the credentials table, which
// a trigger keeps whole), whichever replica created it.
func (s *Store) CredentialOf(ctx context.Context, hash string) (string, string, bool, error) {
	var id, key string
	err := s.pool.QueryRow(ctx, `SELECT exercise_id, key FROM credentials WHERE hash = $1 ORDER BY exercise_id LIMIT 1`, hash).
		Scan(&id, &key)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, s.redact(fmt.Errorf("find a credential: %w", err))
	}
	return id, key, true, nil
}

// Derived returns the row name of exerciseID.
func (s *Store) Derived(ctx context.Context, exerciseID, name string) (engine.Derived, bool, error) {
	d := engine.Derived{ExerciseID: exerciseID, Name: name}
	err := s.pool.QueryRow(ctx, `SELECT seq, body FROM derived WHERE exercise_id = $1 AND name = $2`, exerciseID, name).
		Scan(&d.Seq, &d.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return engine.Derived{}, false, nil
	}
	if err != nil {
		return engine.Derived{}, false, fmt.Errorf("read %s of exercise %s: %w", name, exerciseID, err)
	}
	return d, true, nil
}

// DerivedAll returns the row name of every exercise that has one, by exercise id.
func (s *Store) DerivedAll(ctx context.Context, name string) ([]engine.Derived, error) {
	rows, err := s.pool.Query(ctx, `SELECT exercise_id, seq, body FROM derived WHERE name = $1 ORDER BY exercise_id`, name)
	if err != nil {
		return nil, fmt.Errorf("read every %s: %w", name, err)
	}
	var out []engine.Derived
	d := engine.Derived{Name: name}
	if _, err := pgx.ForEachRow(rows, []any{&d.ExerciseID, &d.Seq, &d.Body}, func() error {
		out = append(out, d)
		d.Body = nil // the next row scans into a slice of its own
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read every %s: %w", name, err)
	}
	return out, nil
}

// PutDerived keeps d, replacing the row of the same exercise and name, for every replica. It
// is a cache of what the log says: losing it costs a recomputation, never an acknowledged
// event; a row whose seq is not the log's last is never served (facilitator.Manager.Kept).
func (s *Store) PutDerived(ctx context.Context, d engine.Derived) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO derived (exercise_id, name, seq, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (exercise_id, name) DO UPDATE SET seq = excluded.seq, body = excluded.body`,
		d.ExerciseID, d.Name, d.Seq, d.Body)
	if pgCode(err) == codeForeignKeyViolation {
		return engine.Errorf(engine.ENotFound, "there is no exercise %s", d.ExerciseID)
	}
	if err != nil {
		return fmt.Errorf("keep %s of exercise %s: %w", d.Name, d.ExerciseID, err)
	}
	return nil
}
