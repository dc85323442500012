package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ttx-dev/ttx/engine"
)

var _ engine.IdempotencyKeeper = (*Store)(nil)

// ClaimIdempotency claims c.Scope unless it is claimed, in one transaction that first deletes
// the claims older than engine.IdempotencyRetention.
func (s *Store) ClaimIdempotency(ctx context.Context, c engine.IdempotencyClaim) (engine.IdempotencyClaim, bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return engine.IdempotencyClaim{}, false, fmt.Errorf("claim an Idempotency-Key: %w", err)
	}
	defer tx.Rollback()
	kept, claimed, err := claimIdempotency(ctx, tx, c)
	if err != nil {
		return engine.IdempotencyClaim{}, false, fmt.Errorf("claim an Idempotency-Key: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return engine.IdempotencyClaim{}, false, fmt.Errorf("claim an Idempotency-Key: %w", err)
	}
	return kept, claimed, nil
}

func claimIdempotency(ctx context.Context, tx *sql.Tx, c engine.IdempotencyClaim) (engine.IdempotencyClaim, bool, error) {
	stale := c.ClaimedAt.Add(-engine.IdempotencyRetention).UTC().Format(timeFormat)
	if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency WHERE claimed_at < ?`, stale); err != nil {
		return engine.IdempotencyClaim{}, false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency (scope, body_hash, claimed_at) VALUES (?, ?, ?)
		ON CONFLICT (scope) DO NOTHING`, c.Scope, c.BodyHash, c.ClaimedAt.UTC().Format(timeFormat))
	if err != nil {
		return engine.IdempotencyClaim{}, false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 1 {
		return engine.IdempotencyClaim{}, n == 1, err // claimed
	}
	kept := engine.IdempotencyClaim{Scope: c.Scope}
	var claimedAt string
	var status sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT body_hash, claimed_at, status, content_type, body FROM idempotency WHERE scope = ?`, c.Scope).
		Scan(&kept.BodyHash, &claimedAt, &status, &kept.Answer.ContentType, &kept.Answer.Body)
	if err != nil {
		return engine.IdempotencyClaim{}, false, err
	}
	if kept.ClaimedAt, err = time.Parse(timeFormat, claimedAt); err != nil {
		return engine.IdempotencyClaim{}, false, err
	}
	kept.Answered, kept.Answer.Status = status.Valid, int(status.Int64)
	return kept, false, nil
}

// AnswerIdempotency keeps a as the answer of scope's claim.
func (s *Store) AnswerIdempotency(ctx context.Context, scope string, a engine.IdempotentAnswer) error {
	_, err := s.db.ExecContext(ctx, `UPDATE idempotency SET status = ?, content_type = ?, body = ? WHERE scope = ?`,
		a.Status, a.ContentType, a.Body, scope)
	if err != nil {
		return fmt.Errorf("keep the answer of an Idempotency-Key: %w", err)
	}
	return nil
}

// ForgetIdempotency drops scope's claim.
func (s *Store) ForgetIdempotency(ctx context.Context, scope string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM idempotency WHERE scope = ?`, scope); err != nil {
		return fmt.Errorf("forget an Idempotency-Key: %w", err)
	}
	return nil
}
