package postgres

import (
	"context"
	"fmt"

	"github.com/ttx-dev/ttx/engine"
)

var _ engine.CredentialsUpdater = (*Store)(nil)

// SetCredential sets one entry of the exercise's credentials in one statement, which notifies
// the other replicas on the exercises' channel (as a creation does) when it commits: a
// replica that holds the exercise reads its credentials again, so that a replaced token stops
// working on every replica.
func (s *Store) SetCredential(ctx context.Context, exerciseID, key, value string) error {
	tag, err := s.pool.Exec(ctx,
		`WITH u AS (UPDATE exercises SET credentials = jsonb_set(credentials, ARRAY[$2::text], to_jsonb($3::text)) WHERE id = $1 RETURNING id)
		SELECT pg_notify('`+channelExercises+`', id) FROM u`,
		exerciseID, key, value)
	if err != nil {
		return fmt.Errorf("set a credential of exercise %s: %w", exerciseID, err)
	}
	if tag.RowsAffected() == 0 {
		return engine.Errorf(engine.ENotFound, "there is no exercise %s", exerciseID)
	}
	return nil
}
