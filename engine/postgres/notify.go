package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The channels replicas notify each other on (design/scale.md): ttx_events carries
// "exercise seq" after each commit that appended to an exercise's log, ttx_exercises the id of
// each exercise created or whose credentials changed.
const (
	channelEvents    = "ttx_events"
	channelExercises = "ttx_exercises"
)

// ResyncEvery is how often a listening replica reads where every log ends, in case a notice
// was missed; it does so as well each time it (re)connects.
const ResyncEvery = time.Second

// Reconnection backoff of the sessions a replica keeps open: listening and holding clocks.
const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = 2 * time.Second
)

// Listen listens, on a connection of its own, to what the other replicas commit, until ctx is
// done: changed(exercise, seq) when exercise's log has grown to seq, changed(exercise, 0) when
// an exercise was created or its credentials changed; and resync() whenever notices may have been missed: once listening
// (after each reconnection) and every ResyncEvery. A lost connection is reopened with
// backoff; failed reports what went wrong each time (the password left out).
func (s *Store) Listen(ctx context.Context, changed func(exerciseID string, seq int64), resync func(), failed func(error)) {
	backoff := minBackoff
	for {
		listening, err := s.listen(ctx, changed, resync)
		if ctx.Err() != nil {
			return
		}
		if listening {
			backoff = minBackoff
		}
		failed(s.redact(fmt.Errorf("listen to the other replicas: %w", err)))
		if !sleepCtx(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listen runs one listening session; listening reports whether it got as far as listening.
func (s *Store) listen(ctx context.Context, changed func(string, int64), resync func()) (listening bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+channelEvents+`; LISTEN `+channelExercises); err != nil {
		return false, err
	}
	resync()
	for {
		wctx, cancel := context.WithTimeout(ctx, ResyncEvery)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return true, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			resync()
			continue
		case err != nil:
			return true, err
		}
		switch n.Channel {
		case channelExercises:
			changed(n.Payload, 0)
		case channelEvents:
			id, seq, ok := strings.Cut(n.Payload, " ")
			if v, err := strconv.ParseInt(seq, 10, 64); ok && err == nil {
				changed(id, v)
			}
		}
	}
}

// LogEnds returns the last seq of every exercise's log (0 for an empty one), by exercise id:
// what a replica compares with its folds to catch up what it missed.
func (s *Store) LogEnds(ctx context.Context) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT x.id, coalesce((SELECT max(seq) FROM events e WHERE e.exercise_id = x.id), 0) FROM exercises x`)
	if err != nil {
		return nil, fmt.Errorf("read where the logs end: %w", err)
	}
	ends := make(map[string]int64)
	var id string
	var seq int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &seq}, func() error {
		ends[id] = seq
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read where the logs end: %w", err)
	}
	return ends, nil
}

// sleepCtx waits d or until ctx is done; false when ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
