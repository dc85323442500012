package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// TakeClocks is a replica's claim on exercises' clocks (design/scale.md, "One clock"), on a
// session of the store's own that stays open for the replica's life: it beats the heartbeat
// of beat (the clocks the replica runs), so that nobody takes their holder for gone, tries to
// take the session-level advisory lock of each clock of want (those it does not hold yet),
// and returns the ones of want it took. A lock is the exercise's id hashed to 64 bits; two
// exercises that hash alike share one holder, which runs both clocks.
//
// When the session is lost every lock goes with it: TakeClocks returns the error, and the
// caller must count none as held; the next call opens a new session. A replica that dies
// closes its session, which releases its locks to the others. A replica that hangs without
// dying (stopped, frozen) keeps its session open but beats no more: once a clock of want has
// gone unbeaten for StaleHolder, its holder's clock session is ended (pg_terminate_backend),
// so that the next claim takes the clock over. Nothing fires twice when the holder comes
// back: every tick is a command under the exercise's row lock, which fires only what the log
// has not.
func (s *Store) TakeClocks(ctx context.Context, want, beat []string) ([]string, error) {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	if s.clock == nil {
		conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
		if err != nil {
			return nil, s.redact(fmt.Errorf("open the clock session: %w", err))
		}
		s.clock = conn
	}
	got, err := takeClocks(ctx, s.clock, want, beat)
	if err != nil {
		s.dropClockSessionLocked()
		return nil, s.redact(fmt.Errorf("hold the clocks: %w", err))
	}
	return got, nil
}

func takeClocks(ctx context.Context, conn *pgx.Conn, want, beat []string) ([]string, error) {
	b := &pgx.Batch{}
	if len(beat) > 0 {
		b.Queue(`INSERT INTO exercise_clocks (exercise_id, seen)
			SELECT x.id, clock_timestamp() FROM unnest($1::text[]) AS b(id) JOIN exercises x ON x.id = b.id
			ON CONFLICT (exercise_id) DO UPDATE SET seen = excluded.seen`, beat)
	}
	// The claim, and which wanted clocks went unbeaten for StaleHolder: those not taken have a
	// hung holder.
	b.Queue(`SELECT id, pg_try_advisory_lock(hashtextextended(id, 0)),
			coalesce((SELECT seen < clock_timestamp() - $2::interval FROM exercise_clocks WHERE exercise_id = id), false)
		FROM unnest($1::text[]) id`, want, StaleHolder)
	br := conn.SendBatch(ctx, b)
	if len(beat) > 0 {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, err
		}
	}
	var got, hung []string
	var id string
	var taken, stale bool
	rows, err := br.Query()
	if err == nil {
		_, err = pgx.ForEachRow(rows, []any{&id, &taken, &stale}, func() error {
			switch {
			case taken:
				got = append(got, id)
			case stale:
				hung = append(hung, id)
			}
			return nil
		})
	}
	if err := errors.Join(err, br.Close()); err != nil {
		return nil, err
	}
	if len(hung) > 0 {
		// Rare: only a holder that stopped beating without dying is here.
		if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend(l.pid) FROM unnest($1::text[]) AS h(id)
			JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted
				AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(h.id, 0)
			WHERE l.pid <> pg_backend_pid()`, hung); err != nil {
			return nil, err
		}
	}
	return got, nil
}

// StaleHolder is how long a clock may go unbeaten, its lock still held, before the holder is
// taken for hung and its clock session ended: five claim periods.
const StaleHolder = 5 * time.Second

// ReleaseClocks lets go of the clocks of ids, which this replica holds and no longer needs
// (their exercises ended or left its memory): their advisory locks are released, so that a
// replica's locks do not pile up with its history. A failure closes the clock session, which
// releases every clock.
func (s *Store) ReleaseClocks(ctx context.Context, ids []string) error {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	if s.clock == nil {
		return nil // no session: nothing is held
	}
	if _, err := s.clock.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended(id, 0)) FROM unnest($1::text[]) id`, ids); err != nil {
		s.dropClockSessionLocked()
		return s.redact(fmt.Errorf("release the clocks: %w", err))
	}
	return nil
}

// DropClocks closes the clock session, releasing every clock this replica holds.
func (s *Store) DropClocks() {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	s.dropClockSessionLocked()
}

func (s *Store) dropClockSession() { s.DropClocks() }

func (s *Store) dropClockSessionLocked() {
	if s.clock != nil {
		_ = s.clock.Close(context.Background())
		s.clock = nil
	}
}

// ClockSessionPID returns the backend process id of the clock session (pg_locks.pid of the
// clocks this replica holds), opening the session if it is not open.
func (s *Store) ClockSessionPID(ctx context.Context) (int, error) {
	if _, err := s.TakeClocks(ctx, nil, nil); err != nil {
		return 0, err
	}
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	if s.clock == nil {
		return 0, fmt.Errorf("no clock session")
	}
	return int(s.clock.PgConn().PID()), nil
}

// everyReplicaDown decides, for a command under its exercise's lock at the database's time
// now, whether every replica was down for longer than the unheld limit since the exercise's
// clock was last held, its heartbeat at seen (beaten false: never, as for an exercise stored
// before replicas), in which case a running exercise pauses (design/scale.md, "Restarts on
// PostgreSQL"); and whether the heartbeat is older than the limit, in which case the command
// renews it.
//
// The heartbeat's age alone does not tell: a database outage stops every heartbeat and drops
// the clock locks while the replicas run on. What this replica knows is that it has been
// running since it first reached the database; a heartbeat since then went quiet while it
// ran. Only the time between the heartbeat and this replica's start is nobody's to vouch
// for: the gap a replica started after every replica was down finds. The renewal is what
// keeps a replica started after the silence, which cannot vouch for it, from taking it for
// every replica down once another has dealt with it.
func (s *Store) everyReplicaDown(seen time.Time, beaten bool, now time.Time) (down, renew bool) {
	if !beaten {
		return true, true
	}
	return s.since.Sub(seen) > s.unheldLimit, now.Sub(seen) > s.unheldLimit
}
