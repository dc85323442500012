// Package sqlite keeps ttx exercises and their event logs in one SQLite file (modernc.org/sqlite,
// no cgo): WAL journal, synchronous=FULL so that a commit is on disk when it returns, a busy
// timeout and foreign keys, all set per connection in the DSN; the schema comes from embedded
// migrations.
//
// Appends are group-committed: one writer goroutine takes every append queued since its last
// transaction, across exercises, writes them in one transaction, and then tells each caller.
// Many concurrent responses thus cost one fsync, and none is reported stored before its
// transaction committed.
//
// Recovery is engine.Restore's: a restarted process reads each exercise's log from here and
// folds it; an exercise that was running comes back paused at the simulated time of its last
// event, with a clock event saying the server restarted.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ttx-dev/ttx/engine"
	driver "modernc.org/sqlite" // the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Store is an engine.Store in an SQLite file. It is safe for concurrent use.
type Store struct {
	db *sql.DB

	writer *engine.GroupCommit[*request] // commits queued appends in shared transactions

	commits atomic.Int64 // transactions committed by the writer

	// failed holds the exercises an append of which failed: later appends of them are refused,
	// so that a log never gets a gap, until ForgetFailure.
	failedMu sync.Mutex
	failed   map[string]error
}

// timeFormat is RFC 3339 with a fixed-width fraction, so that stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

var (
	_ engine.Store            = (*Store)(nil)
	_ engine.QueuedAppender   = (*Store)(nil)
	_ engine.FailureForgetter = (*Store)(nil)
)

// Commits returns how many transactions of appends the store has committed: with many
// concurrent appends, far fewer than appends (group commit).
func (s *Store) Commits() int64 { return s.commits.Load() }

// ForgetFailure lets appends of exerciseID through again after one failed: its exercise has
// read its log back and goes on from the last event stored.
func (s *Store) ForgetFailure(exerciseID string) {
	s.failedMu.Lock()
	delete(s.failed, exerciseID)
	s.failedMu.Unlock()
}

type request struct {
	exerciseID string
	events     []engine.Event
	done       func(error)
}

// DSN is the data source name the store opens path with: WAL, synchronous=FULL so that a
// commit is on disk when it returns, a busy timeout, foreign keys, and write transactions
// that take the lock when they begin. The pragmas are in the DSN so that every connection of
// the pool has them.
func DSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the SQLite database at path, runs the migrations it lacks
// and starts the writer. Close it when done. Its errors read "open database PATH: …".
func Open(path string) (*Store, error) {
	if err := checkDir(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := migrate(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{
		db:     db,
		failed: make(map[string]error),
	}
	s.writer = engine.StartGroupCommit(s.commit, func(r *request, err error) { r.done(err) })
	return s, nil
}

// checkDir tells, before SQLite does, that the database cannot be created because its
// directory is missing or is not one: SQLite says only "unable to open database file (14)".
func checkDir(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("open database %s: the directory %s does not exist", path, dir)
	case err != nil:
		return fmt.Errorf("open database %s: %w", path, err)
	case !fi.IsDir():
		return fmt.Errorf("open database %s: %s is not a directory", path, dir)
	}
	return nil
}

// Close commits what is queued, stops the writer and closes the database.
func (s *Store) Close() error {
	if !s.writer.Close() {
		return nil
	}
	return s.db.Close()
}

// CreateExercise stores rec as rec.Stored() (a record without a mode or kind gets v2's
// defaults, evaluation and live); EConflict when its id is taken.
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
	teams, err := json.Marshal(nonNilSlice(rec.Teams))
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx,
		`INSERT INTO exercises (id, scenario, plan, sources, credentials, speed, created_at, mode, teams, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.ID, rec.Scenario, rec.Plan, string(sources), string(creds), rec.Speed, rec.CreatedAt.UTC().Format(timeFormat),
		rec.Mode, string(teams), rec.Kind)
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
		return engine.Errorf(engine.EConflict, "an exercise with id %s already exists", rec.ID)
	}
	if err != nil {
		return fmt.Errorf("create exercise %s: %w", rec.ID, err)
	}
	return nil
}

const selectExercise = `SELECT id, scenario, plan, sources, credentials, speed, created_at, mode, teams, kind FROM exercises`

// Exercises returns every exercise, oldest first.
func (s *Store) Exercises(ctx context.Context) ([]engine.ExerciseRecord, error) {
	rows, err := s.db.QueryContext(ctx, selectExercise+` ORDER BY created_at, id`)
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
	return recs, rows.Err()
}

// Exercise returns the exercise id; ENotFound when there is none.
func (s *Store) Exercise(ctx context.Context, id string) (engine.ExerciseRecord, error) {
	rec, err := scanExercise(s.db.QueryRowContext(ctx, selectExercise+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return engine.ExerciseRecord{}, engine.Errorf(engine.ENotFound, "there is no exercise %s", id)
	}
	return rec, err
}

func scanExercise(row interface{ Scan(...any) error }) (engine.ExerciseRecord, error) {
	var rec engine.ExerciseRecord
	var sources, creds, created, teams string
	if err := row.Scan(&rec.ID, &rec.Scenario, &rec.Plan, &sources, &creds, &rec.Speed, &created, &rec.Mode, &teams, &rec.Kind); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
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
	if err := json.Unmarshal([]byte(teams), &rec.Teams); err != nil {
		return rec, fmt.Errorf("exercise %s: teams: %w", rec.ID, err)
	}
	if len(rec.Teams) == 0 {
		rec.Teams = nil
	}
	t, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return rec, fmt.Errorf("exercise %s: created_at: %w", rec.ID, err)
	}
	rec.CreatedAt = t
	return rec, nil
}

// Append adds events to the log of exerciseID and returns once they are committed. ENotFound
// for an unknown exercise, EConflict for a seq already stored.
func (s *Store) Append(ctx context.Context, exerciseID string, events []engine.Event) error {
	return engine.AwaitQueued(ctx, func(done func(error)) { s.QueueAppend(exerciseID, events, done) })
}

// QueueAppend queues events for the log of exerciseID and returns at once; done is called
// with the result once the transaction holding them has committed (or failed), from the
// writer, in the order appends were queued.
func (s *Store) QueueAppend(exerciseID string, events []engine.Event, done func(error)) {
	if len(events) == 0 {
		done(nil)
		return
	}
	s.writer.Queue(&request{exerciseID: exerciseID, events: events, done: done})
}

// commit writes batch in one transaction, each request in a savepoint so that one bad request
// (an unknown exercise, a seq stored already) fails alone.
func (s *Store) commit(batch []*request) []error {
	s.failedMu.Lock()
	defer s.failedMu.Unlock()
	results := make([]error, len(batch))
	fail := func(err error) []error {
		for i, r := range batch {
			if results[i] == nil {
				results[i] = err
				s.failed[r.exerciseID] = err
			}
		}
		return results
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (exercise_id, seq, t_ns, wall, kind, payload) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fail(fmt.Errorf("prepare: %w", err))
	}
	defer stmt.Close()
	for i, r := range batch {
		if err := s.failed[r.exerciseID]; err != nil {
			results[i] = engine.Errorf(engine.EInternal, "an earlier append to exercise %s failed: %v", r.exerciseID, err)
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT request`); err != nil {
			return fail(fmt.Errorf("savepoint: %w", err))
		}
		err := insert(ctx, stmt, r)
		if err != nil {
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO request`); rerr != nil {
				return fail(fmt.Errorf("rollback to savepoint: %w", rerr))
			}
			results[i] = err
			if engine.ErrorCode(err) != engine.ENotFound {
				// Nothing of an unknown exercise was written: there is no log to protect.
				s.failed[r.exerciseID] = err
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE request`); err != nil {
			return fail(fmt.Errorf("release savepoint: %w", err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(fmt.Errorf("commit: %w", err))
	}
	s.commits.Add(1)
	return results
}

func insert(ctx context.Context, stmt *sql.Stmt, r *request) error {
	for _, e := range r.events {
		payload, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("exercise %s, event %d: %w", r.exerciseID, e.Seq, err)
		}
		_, err = stmt.ExecContext(ctx, r.exerciseID, e.Seq, int64(e.T), e.Wall.UTC().Format(timeFormat), e.Kind, string(payload))
		switch {
		case isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY):
			return engine.Errorf(engine.ENotFound, "there is no exercise %s", r.exerciseID)
		case isConstraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE):
			return engine.Errorf(engine.EConflict, "exercise %s already has an event %d", r.exerciseID, e.Seq)
		case err != nil:
			return fmt.Errorf("exercise %s, event %d: %w", r.exerciseID, e.Seq, err)
		}
	}
	return nil
}

// Events returns the log of exerciseID in seq order; ENotFound for an unknown exercise.
func (s *Store) Events(ctx context.Context, exerciseID string) ([]engine.Event, error) {
	if _, err := s.Exercise(ctx, exerciseID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, t_ns, wall, kind, payload FROM events WHERE exercise_id = ? ORDER BY seq`, exerciseID)
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", exerciseID, err)
	}
	defer rows.Close()
	var events []engine.Event
	for rows.Next() {
		var e engine.Event
		var t int64
		var wall, kind, payload string
		if err := rows.Scan(&e.Seq, &t, &wall, &kind, &payload); err != nil {
			return nil, fmt.Errorf("read events of %s: %w", exerciseID, err)
		}
		seq := e.Seq
		if err := json.Unmarshal([]byte(payload), &e); err != nil {
			return nil, fmt.Errorf("exercise %s, event %d: %w", exerciseID, seq, err)
		}
		e.Seq, e.T, e.Kind = seq, time.Duration(t), kind
		if e.Wall, err = time.Parse(time.RFC3339Nano, wall); err != nil {
			return nil, fmt.Errorf("exercise %s, event %d: wall: %w", exerciseID, seq, err)
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// isConstraint reports whether err is an SQLite constraint failure whose extended result code
// is one of codes.
func isConstraint(err error, codes ...int) bool {
	var se *driver.Error
	if !errors.As(err, &se) {
		return false
	}
	for _, c := range codes {
		if se.Code() == c {
			return true
		}
	}
	return false
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
