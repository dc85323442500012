// Package postgres keeps ttx exercises and their event logs in PostgreSQL (github.com/jackc/pgx/v5
// with pgxpool): the same schema meaning as engine/sqlite, created and migrated by embedded
// migrations that run in order under an advisory lock, so that servers starting together on
// one database do not race.
//
// Appends are group-committed, as on SQLite: one writer goroutine takes every append queued
// since its last transaction, across exercises, locks the rows of their exercises, checks
// that each append continues its log (its first seq is one past the log's last), inserts them
// in one statement and commits; only then is each caller told. A log can thus never get a gap
// or a seq twice, whichever process appends to it.
//
// Recovery: a lone server (engine.Restore) reads each log and folds it, and an exercise that
// was running comes back paused, as on SQLite; a replica (engine.RestoreReplica) folds it and
// carries on, as other replicas may have run it meanwhile (design/scale.md).
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ttx-dev/ttx/engine"
)

// Store is an engine.Store in a PostgreSQL database. It is safe for concurrent use, and
// several Stores (in several processes) may share one database.
type Store struct {
	pool *pgxpool.Pool
	url  string // for redact

	since       time.Time     // the database's time when this replica first reached it (clocks.go)
	unheldLimit time.Duration // WithUnheldLimit

	clockMu sync.Mutex
	clock   *pgx.Conn // the session that holds this replica's clock locks (clocks.go)

	writer *engine.GroupCommit[*request] // commits queued appends in shared transactions
}

var (
	_ engine.Store          = (*Store)(nil)
	_ engine.QueuedAppender = (*Store)(nil)
	_ engine.SharedStore    = (*Store)(nil)
)

// commitTimeout bounds one group commit, so that a database that stops answering turns into
// errors for the appends waiting on it rather than a writer stuck for ever.
const commitTimeout = 30 * time.Second

type request struct {
	exerciseID string
	after      int64 // the seq the log must end at; -1: whatever precedes the first event
	events     []engine.Event
	done       func(error)
	cmd        *engine.Command // a replica's command: its events are decided under the lock
	folded     int64           // cmd.Folded(), read when the transaction begins
}

// Option configures a Store.
type Option func(*Store)

// WithUnheldLimit sets how long every replica may be down before the next command or holder
// pauses an exercise (engine.ClockUnheldLimit, 10 s, unless set): for tests.
func WithUnheldLimit(d time.Duration) Option {
	return func(s *Store) { s.unheldLimit = d }
}

// Open connects to the PostgreSQL database at url (postgres:// or postgresql://), runs the
// migrations it lacks and starts the writer. Close it when done. Its errors read "open
// database URL: …" with the password left out, here and in whatever the driver says.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	fail := func(err error) error {
		return redactError(fmt.Errorf("open database %s: %w", Redact(url), err), url)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fail(err)
	}
	if _, set := cfg.ConnConfig.RuntimeParams[idleInTransactionParam]; !set {
		cfg.ConnConfig.RuntimeParams[idleInTransactionParam] = strconv.FormatInt(IdleInTransaction.Milliseconds(), 10)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail(err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fail(err)
	}
	s := &Store{
		pool:        pool,
		url:         url,
		unheldLimit: engine.ClockUnheldLimit,
	}
	for _, o := range opts {
		o(s)
	}
	if err := pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&s.since); err != nil {
		pool.Close()
		return nil, fail(err)
	}
	s.writer = engine.StartGroupCommit(s.commit, func(r *request, err error) { r.done(err) })
	return s, nil
}

// IdleInTransaction is how long the database lets a session of the store sit inside a
// transaction waiting for it before ending the session (idle_in_transaction_session_timeout,
// unless the URL sets it): a replica that hangs between a command's two round trips (stopped,
// frozen) holds its exercises' row locks no longer than this, and the other replicas carry on.
// A store's transactions never wait on anything but the network between their statements.
const IdleInTransaction = 5 * time.Second

const idleInTransactionParam = "idle_in_transaction_session_timeout"

// redact returns err with the database password left out of its message.
func (s *Store) redact(err error) error { return redactError(err, s.url) }

// Close commits what is queued, stops the writer and closes the connections.
func (s *Store) Close() error {
	if !s.writer.Close() {
		return nil
	}
	s.dropClockSession()
	s.pool.Close()
	return nil
}

// CreateExercise stores rec as rec.Stored() (a record without a mode or kind gets v2's
// defaults, as engine/sqlite does); EConflict when its id is taken.
func (s *Store) CreateExercise(ctx context.Context, rec engine.ExerciseRecord) error {
	rec = rec.Stored()
	sources, err := json.Marshal(nonNil(rec.Sources))
	if err != nil {
		return err
	}
	creds, err := json.Marshal(nonNil(rec.Credentials))
	if err != nil {
		return err
	}
	at := rec.CreatedAt.UTC()
	teams := rec.Teams
	if teams == nil {
		teams = []string{}
	}
	// One statement: the exercise, the row its clock's holders beat in, and the notice that
	// tells the other replicas, all committed together.
	_, err = s.pool.Exec(ctx,
		`WITH x AS (
		   INSERT INTO exercises (id, scenario, plan, sources, credentials, speed, created_at, created_ns, mode, teams, kind)
		   VALUES ($1, $2, $3, $4::json, $5::jsonb, $6, $7, $8, $9, $10, $11) RETURNING id),
		 c AS (INSERT INTO exercise_clocks (exercise_id, seen) SELECT id, clock_timestamp() FROM x)
		 SELECT pg_notify('`+channelExercises+`', id) FROM x`,
		rec.ID, rec.Scenario, rec.Plan, string(sources), string(creds), rec.Speed,
		at.Truncate(time.Microsecond), at.Nanosecond()%1000, rec.Mode, teams, rec.Kind)
	if pgCode(err) == codeUniqueViolation {
		return engine.Errorf(engine.EConflict, "an exercise with id %s already exists", rec.ID)
	}
	if err != nil {
		return fmt.Errorf("create exercise %s: %w", rec.ID, err)
	}
	return nil
}

const selectExercise = `SELECT id, scenario, plan, sources::text, credentials::text, speed, created_at, created_ns, mode, teams, kind FROM exercises`

// Exercises returns every exercise, oldest first.
func (s *Store) Exercises(ctx context.Context) ([]engine.ExerciseRecord, error) {
	rows, err := s.pool.Query(ctx, selectExercise+` ORDER BY created_at, created_ns, id`)
	if err != nil {
		return nil, fmt.Errorf("list exercises: %w", err)
	}
	defer rows.Close()
	var recs []engine.ExerciseRecord
	for rows.Next() {
		rec, err := scanExercise(rows)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list exercises: %w", err)
	}
	return recs, nil
}

// Exercise returns the exercise id; ENotFound when there is none.
func (s *Store) Exercise(ctx context.Context, id string) (engine.ExerciseRecord, error) {
	rec, err := scanExercise(s.pool.QueryRow(ctx, selectExercise+` WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return engine.ExerciseRecord{}, engine.Errorf(engine.ENotFound, "there is no exercise %s", id)
	}
	return rec, err
}

func scanExercise(row pgx.Row) (engine.ExerciseRecord, error) {
	var rec engine.ExerciseRecord
	var sources, creds string
	var created time.Time
	var ns int32
	if err := row.Scan(&rec.ID, &rec.Scenario, &rec.Plan, &sources, &creds, &rec.Speed, &created, &ns, &rec.Mode, &rec.Teams, &rec.Kind); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return rec, err
		}
		return rec, fmt.Errorf("read exercise: %w", err)
	}
	if err := json.Unmarshal([]byte(sources), &rec.Sources); err != nil {
		return rec, fmt.Errorf("exercise %s: sources: %w", rec.ID, err)
	}
	if err := json.Unmarshal([]byte(creds), &rec.Credentials); err != nil {
		return rec, fmt.Errorf("exercise %s: credentials: %w", rec.ID, err)
	}
	if len(rec.Teams) == 0 {
		rec.Teams = nil // none chosen reads as none, as it was given
	}
	rec.CreatedAt = created.UTC().Add(time.Duration(ns))
	return rec, nil
}

// Append adds events to the log of exerciseID and returns once they are committed. Their
// seqs must continue the log: the first one past its last seq, each one past the one before.
// ENotFound for an unknown exercise, EConflict for events that do not continue the log; such
// an append writes nothing.
func (s *Store) Append(ctx context.Context, exerciseID string, events []engine.Event) error {
	return s.wait(ctx, exerciseID, -1, events)
}

// AppendAfter is Append that succeeds only if the log ends at seq after when its transaction
// holds the exercise's row lock: EConflict otherwise, with nothing written. A server that
// folded the log up to after appends with it what it decided from that fold, and learns
// from EConflict that another process appended meanwhile.
func (s *Store) AppendAfter(ctx context.Context, exerciseID string, after int64, events []engine.Event) error {
	return s.wait(ctx, exerciseID, after, events)
}

func (s *Store) wait(ctx context.Context, exerciseID string, after int64, events []engine.Event) error {
	return engine.AwaitQueued(ctx, func(done func(error)) { s.queueAppend(exerciseID, after, events, done) })
}

// QueueAppend queues events for the log of exerciseID and returns at once; done is called
// with the result once the transaction holding them has committed (or failed), from the
// writer, in the order appends were queued. The events must continue the log, as for Append.
func (s *Store) QueueAppend(exerciseID string, events []engine.Event, done func(error)) {
	s.queueAppend(exerciseID, -1, events, done)
}

func (s *Store) queueAppend(exerciseID string, after int64, events []engine.Event, done func(error)) {
	if len(events) == 0 {
		done(nil)
		return
	}
	s.writer.Queue(&request{exerciseID: exerciseID, after: after, events: events, done: done})
}

// QueueCommand queues a replica's command for exerciseID (engine.SharedStore): the writer
// runs it inside the next transaction, which holds the exercise's row lock, after reading
// the events past cmd.Folded() and the database's time, and calls cmd.Done once it has
// committed or failed.
func (s *Store) QueueCommand(exerciseID string, cmd engine.Command) {
	s.writer.Queue(&request{exerciseID: exerciseID, after: -1, cmd: &cmd, done: cmd.Done})
}

// commit writes batch in one transaction. It locks the rows of the batch's exercises (in id
// order, so that two processes committing together cannot deadlock), reads where each log
// ends, and keeps the requests that continue their logs; a request that does not, or whose
// exercise is unknown, fails alone and writes nothing. A replica's command (QueueCommand) is
// decided there, under the lock, from the events past what its replica folded and the
// database's time. The transaction takes two round trips, each a pipeline: BEGIN, the locks,
// the logs' ends (and for commands the time, the missed events and the clocks' heartbeats);
// then the insert, the notices to the other replicas and COMMIT.
func (s *Store) commit(batch []*request) []error {
	results := make([]error, len(batch))
	fail := func(err error) []error {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
		return results
	}
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fail(fmt.Errorf("begin: %w", err))
	}
	defer conn.Release() // a connection left inside a transaction is closed, not reused
	committed := false
	defer func() {
		if !committed {
			_, _ = conn.Exec(ctx, `ROLLBACK`)
		}
	}()

	folded := make(map[string]int64)
	for _, r := range batch {
		if r.cmd != nil {
			r.folded = r.cmd.Folded()
			if f, ok := folded[r.exerciseID]; !ok || r.folded < f {
				folded[r.exerciseID] = r.folded
			}
		}
	}
	lk, err := lockLogs(ctx, conn, exerciseIDs(batch), folded)
	if err != nil {
		return fail(err)
	}
	last := lk.last
	var rows eventRows
	var stale []string
	for i, r := range batch {
		end, known := last[r.exerciseID]
		if !known {
			results[i] = engine.Errorf(engine.ENotFound, "there is no exercise %s", r.exerciseID)
			continue
		}
		if r.cmd != nil {
			seen, beaten := lk.seen[r.exerciseID]
			down, renew := s.everyReplicaDown(seen, beaten, lk.now)
			if renew && !slices.Contains(stale, r.exerciseID) {
				// The command deals with the silence (its exercise pauses if every replica
				// was down): the heartbeat is renewed.
				stale = append(stale, r.exerciseID)
			}
			r.events = r.cmd.Run(engine.Locked{Now: lk.now, Missed: lk.missed(r.exerciseID, r.folded), EveryReplicaDown: down})
			if len(r.events) == 0 {
				continue
			}
		}
		if err := continues(r, end); err != nil {
			results[i] = err
			continue
		}
		if err := rows.add(r); err != nil {
			results[i] = err
			continue
		}
		last[r.exerciseID] = r.events[len(r.events)-1].Seq
	}
	if err := rows.insertAndCommit(ctx, conn, stale); err != nil {
		return fail(err)
	}
	committed = true
	return results
}

func exerciseIDs(batch []*request) []string {
	seen := make(map[string]bool)
	var ids []string
	for _, r := range batch {
		if !seen[r.exerciseID] {
			seen[r.exerciseID] = true
			ids = append(ids, r.exerciseID)
		}
	}
	return ids
}

// locked is what a transaction learns once it holds its exercises' locks.
type locked struct {
	last   map[string]int64     // the last seq of each log (0 when empty); unknown ids left out
	now    time.Time            // clock_timestamp(), for commands
	seen   map[string]time.Time // each command's exercise's clock's last heartbeat
	events map[string][]engine.Event
}

// missed returns the events of id's log past seq after that l read.
func (l *locked) missed(id string, after int64) []engine.Event {
	events := l.events[id]
	i := sort.Search(len(events), func(i int) bool { return events[i].Seq > after })
	return events[i:]
}

// lockLogs begins a transaction, takes the row locks of the exercises ids and returns the
// last seq of each one's log (0 for an empty log), leaving out the unknown ones; for the
// exercises of folded (those with commands) it reads as well the database's time, their
// events past the seq folded and their clocks' last heartbeats. Everything is read by
// statements after the locks are held, so that it sees what their previous holders committed.
func lockLogs(ctx context.Context, conn *pgxpool.Conn, ids []string, folded map[string]int64) (locked, error) {
	lk := locked{last: make(map[string]int64, len(ids))}
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(`SELECT id FROM exercises WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
	b.Queue(`SELECT x.id, coalesce((SELECT max(seq) FROM events e WHERE e.exercise_id = x.id), 0)
		FROM exercises x WHERE x.id = ANY($1)`, ids)
	var cmdIDs []string
	var afters []int64
	for id, after := range folded {
		cmdIDs = append(cmdIDs, id)
		afters = append(afters, after)
	}
	if len(cmdIDs) > 0 {
		b.Queue(`SELECT clock_timestamp()`)
		b.Queue(`SELECT exercise_id, seen FROM exercise_clocks WHERE exercise_id = ANY($1)`, cmdIDs)
		b.Queue(`SELECT e.exercise_id, e.seq, e.payload::text
			FROM unnest($1::text[], $2::bigint[]) AS f(id, after)
			JOIN events e ON e.exercise_id = f.id AND e.seq > f.after
			ORDER BY e.exercise_id, e.seq`, cmdIDs, afters)
	}
	br := conn.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return lk, fmt.Errorf("begin: %w", err)
	}
	if _, err := br.Exec(); err != nil {
		return lk, fmt.Errorf("lock exercises: %w", err)
	}
	rows, err := br.Query()
	if err != nil {
		return lk, fmt.Errorf("read the logs' last seqs: %w", err)
	}
	var id string
	var seq int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &seq}, func() error {
		lk.last[id] = seq
		return nil
	}); err != nil {
		return lk, fmt.Errorf("read the logs' last seqs: %w", err)
	}
	if len(cmdIDs) == 0 {
		return lk, br.Close()
	}
	if err := br.QueryRow().Scan(&lk.now); err != nil {
		return lk, fmt.Errorf("read the time: %w", err)
	}
	lk.now = lk.now.UTC()
	lk.seen = make(map[string]time.Time)
	rows, err = br.Query()
	if err != nil {
		return lk, fmt.Errorf("read the clocks' heartbeats: %w", err)
	}
	var seen time.Time
	if _, err := pgx.ForEachRow(rows, []any{&id, &seen}, func() error {
		lk.seen[id] = seen
		return nil
	}); err != nil {
		return lk, fmt.Errorf("read the clocks' heartbeats: %w", err)
	}
	rows, err = br.Query()
	if err != nil {
		return lk, fmt.Errorf("read the logs: %w", err)
	}
	lk.events = make(map[string][]engine.Event)
	var payload string
	if _, err := pgx.ForEachRow(rows, []any{&id, &seq, &payload}, func() error {
		e, err := decodeEvent(id, seq, payload)
		lk.events[id] = append(lk.events[id], e)
		return err
	}); err != nil {
		return lk, fmt.Errorf("read the logs: %w", err)
	}
	return lk, br.Close()
}

// decodeEvent is an event as stored: its payload with the seq of its row.
func decodeEvent(exerciseID string, seq int64, payload string) (engine.Event, error) {
	var e engine.Event
	if err := json.Unmarshal([]byte(payload), &e); err != nil {
		return e, fmt.Errorf("exercise %s, event %d: %w", exerciseID, seq, err)
	}
	e.Seq, e.Wall = seq, e.Wall.UTC()
	return e, nil
}

// continues checks that r's events continue a log that ends at seq end, and that it ends
// where r wants it to.
func continues(r *request, end int64) error {
	if r.after >= 0 && end != r.after {
		return engine.Errorf(engine.EConflict, "exercise %s: the log ends at event %d, not %d", r.exerciseID, end, r.after)
	}
	for _, e := range r.events {
		if e.Seq != end+1 {
			if e.Seq <= end {
				return engine.Errorf(engine.EConflict, "exercise %s already has an event %d", r.exerciseID, e.Seq)
			}
			return engine.Errorf(engine.EConflict, "exercise %s: event %d does not follow event %d", r.exerciseID, e.Seq, end)
		}
		end = e.Seq
	}
	return nil
}

// eventRows are the columns of the events one commit inserts, one array per column, for one
// INSERT … SELECT FROM unnest.
type eventRows struct {
	ids      []string
	seqs     []int64
	ts       []int64
	walls    []time.Time
	kinds    []string
	payloads []string
}

func (rs *eventRows) add(r *request) error {
	payloads := make([]string, len(r.events))
	for i, e := range r.events {
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("exercise %s, event %d: %w", r.exerciseID, e.Seq, err)
		}
		payloads[i] = string(b)
	}
	for i, e := range r.events {
		rs.ids = append(rs.ids, r.exerciseID)
		rs.seqs = append(rs.seqs, e.Seq)
		rs.ts = append(rs.ts, int64(e.T))
		rs.walls = append(rs.walls, e.Wall.UTC())
		rs.kinds = append(rs.kinds, e.Kind)
		rs.payloads = append(rs.payloads, payloads[i])
	}
	return nil
}

// insertAndCommit inserts the rows, if any, tells the other replicas where each log now ends
// (the notices go out on commit), marks the clocks of stale as dealt with, and commits, in
// one round trip.
func (rs *eventRows) insertAndCommit(ctx context.Context, conn *pgxpool.Conn, stale []string) error {
	b := &pgx.Batch{}
	if len(rs.ids) > 0 {
		b.Queue(`INSERT INTO events (exercise_id, seq, t_ns, wall, kind, payload)
			SELECT id, seq, t, wall, kind, payload::json
			FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[])
			  AS u(id, seq, t, wall, kind, payload)`,
			rs.ids, rs.seqs, rs.ts, rs.walls, rs.kinds, rs.payloads)
		b.Queue(`SELECT pg_notify('`+channelEvents+`', n) FROM unnest($1::text[]) n`, rs.notices())
	}
	if len(stale) > 0 {
		b.Queue(`INSERT INTO exercise_clocks (exercise_id, seen) SELECT id, clock_timestamp() FROM unnest($1::text[]) id
			ON CONFLICT (exercise_id) DO UPDATE SET seen = excluded.seen`, stale)
	}
	b.Queue(`COMMIT`)
	br := conn.SendBatch(ctx, b)
	defer br.Close()
	if len(rs.ids) > 0 {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("insert events: %w", err)
		}
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	if len(stale) > 0 {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("mark the clocks: %w", err)
		}
	}
	tag, err := br.Exec()
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tag.String() == "ROLLBACK" { // what COMMIT says of a transaction that had failed
		return errors.New("commit: the transaction was rolled back")
	}
	return br.Close()
}

// notices are the payloads of the notices of one commit: "exercise seq" for each exercise,
// with the seq of its last event.
func (rs *eventRows) notices() []string {
	lastOf := make(map[string]int64)
	var order []string
	for i, id := range rs.ids {
		if _, ok := lastOf[id]; !ok {
			order = append(order, id)
		}
		lastOf[id] = rs.seqs[i]
	}
	out := make([]string, len(order))
	for i, id := range order {
		out[i] = id + " " + strconv.FormatInt(lastOf[id], 10)
	}
	return out
}

// Events returns the log of exerciseID in seq order; ENotFound for an unknown exercise.
func (s *Store) Events(ctx context.Context, exerciseID string) ([]engine.Event, error) {
	return s.EventsAfter(ctx, exerciseID, 0)
}

// EventsAfter returns the events of exerciseID's log past seq after, in seq order: what a
// server that folded the log up to after has yet to fold. ENotFound for an unknown exercise.
func (s *Store) EventsAfter(ctx context.Context, exerciseID string, after int64) ([]engine.Event, error) {
	// One statement, so that the exercise and its events are read from one snapshot.
	rows, err := s.pool.Query(ctx, `SELECT e.seq, e.payload::text
		FROM exercises x LEFT JOIN events e ON e.exercise_id = x.id AND e.seq > $2
		WHERE x.id = $1 ORDER BY e.seq`, exerciseID, after)
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", exerciseID, err)
	}
	defer rows.Close()
	found := false
	var events []engine.Event
	for rows.Next() {
		found = true
		var seq *int64
		var payload *string
		if err := rows.Scan(&seq, &payload); err != nil {
			return nil, fmt.Errorf("read events of %s: %w", exerciseID, err)
		}
		if seq == nil {
			continue // an exercise with no event past after
		}
		e, err := decodeEvent(exerciseID, *seq, *payload)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read events of %s: %w", exerciseID, err)
	}
	if !found {
		return nil, engine.Errorf(engine.ENotFound, "there is no exercise %s", exerciseID)
	}
	return events, nil
}

// PostgreSQL error codes the store tells apart.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
)

// pgCode is the SQLSTATE of err when PostgreSQL raised it, else "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
