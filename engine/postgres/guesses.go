package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The guessing limit's buckets (web.GuessCounter), in the guesses table so that the limit
// holds across replicas: a bucket's tokens when last touched and when that was; what it has
// earned since is computed by the database's clock. A bucket never used is full.

// refilled is a bucket's tokens now: its tokens plus what it earned since last, at most
// burst ($2 rate, $3 burst).
const refilled = `least($3, g.tokens + extract(epoch FROM clock_timestamp() - g.last) * $2)`

// GuessHas reports whether bucket key has a token now.
func (s *Store) GuessHas(ctx context.Context, key string, rate, burst float64) (bool, error) {
	var has bool
	err := s.pool.QueryRow(ctx, `SELECT `+refilled+` >= 1 FROM guesses g WHERE g.client = $1`, key, rate, burst).Scan(&has)
	if errors.Is(err, pgx.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, s.redact(fmt.Errorf("read the guessing limit: %w", err))
	}
	return has, nil
}

// GuessTake takes a token from bucket key if it has one, in one statement, so that replicas
// counting at once each take their own.
func (s *Store) GuessTake(ctx context.Context, key string, rate, burst float64) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO guesses AS g (client, tokens, last) VALUES ($1, $3 - 1, clock_timestamp())
		ON CONFLICT (client) DO UPDATE SET
		  tokens = CASE WHEN `+refilled+` >= 1 THEN `+refilled+` - 1 ELSE `+refilled+` END,
		  last = clock_timestamp()`, key, rate, burst)
	if err != nil {
		return s.redact(fmt.Errorf("count a wrong credential: %w", err))
	}
	return nil
}

// GuessTrust notes that key presented a right credential now.
func (s *Store) GuessTrust(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO guesses (client, tokens, last) VALUES ($1, 0, clock_timestamp())
		ON CONFLICT (client) DO UPDATE SET last = excluded.last`, key)
	if err != nil {
		return s.redact(fmt.Errorf("note a right credential: %w", err))
	}
	return nil
}

// GuessTrusted reports whether key presented a right credential within d.
func (s *Store) GuessTrusted(ctx context.Context, key string, d time.Duration) (bool, error) {
	var trusted bool
	err := s.pool.QueryRow(ctx, `SELECT clock_timestamp() - last < $2 FROM guesses WHERE client = $1`, key, d).Scan(&trusted)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, s.redact(fmt.Errorf("read the guessing limit: %w", err))
	}
	return trusted, nil
}
