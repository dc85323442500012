package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ttx-dev/ttx/engine"
)

var (
	_ engine.Cataloguer      = (*Store)(nil)
	_ engine.DerivedKeeper   = (*Store)(nil)
	_ engine.CredentialIndex = (*Store)(nil)
)

// selectCatalog names the ended kind as a literal, not a parameter: only then may SQLite
// answer the EXISTS from the partial index events_ended (migration 003).
const selectCatalog = `SELECT * FROM (SELECT id, scenario, plan, speed, created_at, mode, kind,
	EXISTS (SELECT 1 FROM events WHERE exercise_id = catalog.id AND kind = '` + engine.KindExerciseEnded + `') AS ended,
	COALESCE((SELECT MAX(seq) FROM events WHERE exercise_id = catalog.id), 0)
	FROM catalog) WHERE ended = ? ORDER BY created_at, id`

// Catalog returns the exercises that ended, or the others, without their sources,
// credentials and teams (the catalog table), oldest first, with whether its log holds exercise_ended (the events_ended index)
// and its last seq (the primary key's last entry): a start-up reads neither sources nor logs.
func (s *Store) Catalog(ctx context.Context, ended bool) ([]engine.CatalogEntry, error) {
	rows, err := s.db.QueryContext(ctx, selectCatalog, ended)
	if err != nil {
		return nil, fmt.Errorf("list the catalogue: %w", err)
	}
	defer rows.Close()
	var out []engine.CatalogEntry
	for rows.Next() {
		var e engine.CatalogEntry
		rec := &e.Record
		var created string
		if err := rows.Scan(&rec.ID, &rec.Scenario, &rec.Plan, &rec.Speed, &created, &rec.Mode, &rec.Kind,
			&e.Ended, &e.LastSeq); err != nil {
			return nil, fmt.Errorf("read the catalogue: %w", err)
		}
		if rec.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
			return nil, fmt.Errorf("exercise %s: created_at: %w", rec.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CredentialOf returns the exercise whose credentials hold hash (the credentials table).
func (s *Store) CredentialOf(ctx context.Context, hash string) (string, string, bool, error) {
	var id, key string
	err := s.db.QueryRowContext(ctx, `SELECT exercise_id, key FROM credentials WHERE hash = ? ORDER BY exercise_id LIMIT 1`, hash).Scan(&id, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("find a credential: %w", err)
	}
	return id, key, true, nil
}

// Derived returns the row name of exerciseID.
func (s *Store) Derived(ctx context.Context, exerciseID, name string) (engine.Derived, bool, error) {
	d := engine.Derived{ExerciseID: exerciseID, Name: name}
	err := s.db.QueryRowContext(ctx, `SELECT seq, body FROM derived WHERE exercise_id = ? AND name = ?`, exerciseID, name).
		Scan(&d.Seq, &d.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return engine.Derived{}, false, nil
	}
	if err != nil {
		return engine.Derived{}, false, fmt.Errorf("read %s of exercise %s: %w", name, exerciseID, err)
	}
	return d, true, nil
}

// DerivedAll returns the row name of every exercise that has one, by exercise id.
func (s *Store) DerivedAll(ctx context.Context, name string) ([]engine.Derived, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT exercise_id, seq, body FROM derived WHERE name = ? ORDER BY exercise_id`, name)
	if err != nil {
		return nil, fmt.Errorf("read every %s: %w", name, err)
	}
	defer rows.Close()
	var out []engine.Derived
	for rows.Next() {
		d := engine.Derived{Name: name}
		if err := rows.Scan(&d.ExerciseID, &d.Seq, &d.Body); err != nil {
			return nil, fmt.Errorf("read every %s: %w", name, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PutDerived keeps d, replacing the row of the same exercise and name. It is a cache of what
// the log says: losing it to a crash costs a recomputation, never an acknowledged event.
func (s *Store) PutDerived(ctx context.Context, d engine.Derived) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO derived (exercise_id, name, seq, body) VALUES (?, ?, ?, ?)
		ON CONFLICT (exercise_id, name) DO UPDATE SET seq = excluded.seq, body = excluded.body`,
		d.ExerciseID, d.Name, d.Seq, d.Body)
	if err != nil {
		return fmt.Errorf("keep %s of exercise %s: %w", d.Name, d.ExerciseID, err)
	}
	return nil
}
