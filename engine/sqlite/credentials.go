package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ttx-dev/ttx/engine"
)

var _ engine.CredentialsUpdater = (*Store)(nil)

// SetCredential sets one entry of the exercise's credentials, in one transaction.
func (s *Store) SetCredential(ctx context.Context, exerciseID, key, value string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set a credential of exercise %s: %w", exerciseID, err)
	}
	defer tx.Rollback()
	var raw string
	err = tx.QueryRowContext(ctx, `SELECT credentials FROM exercises WHERE id = ?`, exerciseID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return engine.Errorf(engine.ENotFound, "there is no exercise %s", exerciseID)
	}
	if err != nil {
		return fmt.Errorf("set a credential of exercise %s: %w", exerciseID, err)
	}
	creds := map[string]string{}
	if err := json.Unmarshal([]byte(raw), &creds); err != nil {
		return fmt.Errorf("set a credential of exercise %s: %w", exerciseID, err)
	}
	if creds == nil {
		creds = map[string]string{}
	}
	creds[key] = value
	b, err := json.Marshal(creds)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE exercises SET credentials = ? WHERE id = ?`, string(b), exerciseID); err != nil {
		return fmt.Errorf("set a credential of exercise %s: %w", exerciseID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set a credential of exercise %s: %w", exerciseID, err)
	}
	return nil
}
