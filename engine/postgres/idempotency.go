package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/ttx-dev/ttx/engine"
)

var _ engine.IdempotencyKeeper = (*Store)(nil)

// claimTries bounds the rounds of ClaimIdempotency: a claim is read back only if it was not
// forgotten between the insert that found it and the read, which takes another replica's
// failed command in that very moment.
const claimTries = 8

// ClaimIdempotency claims c.Scope unless it is claimed: the claims older than
// engine.IdempotencyRetention are deleted, then an INSERT … ON CONFLICT DO NOTHING claims it,
// so that of replicas claiming one scope at once exactly one inserts (the others wait on the
// key until it commits, then find it). A claim that is not inserted is read back.
func (s *Store) ClaimIdempotency(ctx context.Context, c engine.IdempotencyClaim) (engine.IdempotencyClaim, bool, error) {
	if _, err := s.pool.Exec(ctx, `DELETE FROM idempotency WHERE claimed_at < $1`,
		c.ClaimedAt.Add(-engine.IdempotencyRetention)); err != nil {
		return engine.IdempotencyClaim{}, false, s.redact(fmt.Errorf("claim an Idempotency-Key: %w", err))
	}
	for range claimTries {
		tag, err := s.pool.Exec(ctx, `INSERT INTO idempotency (scope, body_hash, claimed_at) VALUES ($1, $2, $3)
			ON CONFLICT (scope) DO NOTHING`, c.Scope, c.BodyHash, c.ClaimedAt)
		if err != nil {
			return engine.IdempotencyClaim{}, false, s.redact(fmt.Errorf("claim an Idempotency-Key: %w", err))
		}
		if tag.RowsAffected() == 1 {
			return engine.IdempotencyClaim{}, true, nil
		}
		kept := engine.IdempotencyClaim{Scope: c.Scope}
		var status *int32
		err = s.pool.QueryRow(ctx, `SELECT body_hash, claimed_at, status, content_type, body FROM idempotency WHERE scope = $1`, c.Scope).
			Scan(&kept.BodyHash, &kept.ClaimedAt, &status, &kept.Answer.ContentType, &kept.Answer.Body)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // forgotten since the insert found it: claim it again
		}
		if err != nil {
			return engine.IdempotencyClaim{}, false, s.redact(fmt.Errorf("read an Idempotency-Key's claim: %w", err))
		}
		if status != nil {
			kept.Answered, kept.Answer.Status = true, int(*status)
		}
		return kept, false, nil
	}
	return engine.IdempotencyClaim{}, false, fmt.Errorf("claim an Idempotency-Key: forgotten and claimed again %d times running", claimTries)
}

// AnswerIdempotency keeps a as the answer of scope's claim.
func (s *Store) AnswerIdempotency(ctx context.Context, scope string, a engine.IdempotentAnswer) error {
	_, err := s.pool.Exec(ctx, `UPDATE idempotency SET status = $2, content_type = $3, body = $4 WHERE scope = $1`,
		scope, a.Status, a.ContentType, a.Body)
	if err != nil {
		return s.redact(fmt.Errorf("keep the answer of an Idempotency-Key: %w", err))
	}
	return nil
}

// ForgetIdempotency drops scope's claim.
func (s *Store) ForgetIdempotency(ctx context.Context, scope string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM idempotency WHERE scope = $1`, scope); err != nil {
		return s.redact(fmt.Errorf("forget an Idempotency-Key: %w", err))
	}
	return nil
}
