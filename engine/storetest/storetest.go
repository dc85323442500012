// Package storetest is the contract of engine.Store as tests: one table of cases that every
// store (engine/sqlite, engine/postgres) runs from its own tests with Run.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
)

// Backend is a kind of store under test.
type Backend struct {
	// NewDatabase makes a new empty database for t and returns how to open a store on it. The
	// suite may open it again after closing the store, to see what survived; the stores it
	// opens are closed when t ends.
	NewDatabase func(t *testing.T) (open func() (engine.Store, error))
}

// Run runs every case of the suite against b, each as a subtest with a database of its own.
func Run(t *testing.T, b Backend) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, &suite{b: b, open: b.NewDatabase(t)})
		})
	}
}

// suite is one case's database.
type suite struct {
	b    Backend
	open func() (engine.Store, error)
}

// store opens the case's database; the store is closed when t ends (closing twice is fine).
func (s *suite) store(t *testing.T) engine.Store {
	t.Helper()
	st, err := s.open()
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

var epoch = time.Date(2026, time.March, 14, 7, 30, 0, 0, time.UTC)

func record(id string) engine.ExerciseRecord {
	return engine.ExerciseRecord{
		ID: id, Scenario: "hospital-ransomware", Plan: "acme-irp",
		Sources:     map[string]string{"a.hcl": "plan \"p\" {}\n", "b.hcl": "# ünïcode — \"quotes\"\n"},
		Credentials: map[string]string{"facilitator": "hash"},
		Speed:       60, CreatedAt: epoch,
		Mode: engine.ModeEvaluation, Teams: []string{"irt", "cmt"}, Kind: engine.ExerciseLive,
	}
}

func mustCreate(t *testing.T, st engine.Store, id string) engine.ExerciseRecord {
	t.Helper()
	rec := record(id)
	require.NoError(t, st.CreateExercise(context.Background(), rec))
	return rec
}

func note(seq int64, text string) engine.Event {
	return engine.Event{Seq: seq, T: time.Duration(seq) * time.Second, Wall: epoch.Add(time.Duration(seq) * time.Millisecond),
		Kind: engine.KindNote, Team: "irt", Name: "Alice", Ref: fmt.Sprint("r", seq), Text: text}
}

var cases = []struct {
	name string
	run  func(t *testing.T, s *suite)
}{
	{"ExercisesRoundTrip", exercisesRoundTrip},
	{"ExercisesSortByCreationTime", exercisesSortByCreationTime},
	{"AppendAndReopen", appendAndReopen},
	{"AppendRejectsWhatDoesNotFit", appendRejectsWhatDoesNotFit},
	{"AppendBeforeCreateIsNotFoundAndHarmless", appendBeforeCreate},
	{"ConcurrentAppendsAllCommitted", concurrentAppends},
	{"QueuedAppendsCommitInOrder", queuedAppendsInOrder},
	{"ClosedStoreRefusesAppends", closedStoreRefuses},
	{"AppendIsCommittedWhenItReturns", appendIsCommittedWhenItReturns},
	{"SetCredentialSurvivesAReopen", setCredentialSurvives},
	{"CatalogTellsEndedExercises", catalogTellsEndedExercises},
	{"CredentialIndexFollowsTheRecords", credentialIndexFollowsTheRecords},
	{"DerivedRowsAreReplaced", derivedRowsAreReplaced},
	{"IdempotencyContract", func(t *testing.T, s *suite) { IdempotencyContract(t, keeperOf(t, s.store(t))) }},
	{"IdempotencySurvivesAReopen", idempotencySurvivesAReopen},
	{"IdempotencyClaimedOnceByConcurrentStores", idempotencyClaimedOnce},
}

// setCredentialSurvives: a credential set replaces or adds one entry, leaves the others, and
// is there when the database is opened again; an unknown exercise is ENotFound.
func setCredentialSurvives(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	mustCreate(t, st, "x1")
	up, ok := st.(engine.CredentialsUpdater)
	require.True(t, ok, "the store can replace credentials")
	require.NoError(t, up.SetCredential(ctx, "x1", "facilitator", "new-hash"))
	require.NoError(t, up.SetCredential(ctx, "x1", "code:irt", "KQ7M-2XPA"))
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(up.SetCredential(ctx, "nope", "facilitator", "h")))
	require.NoError(t, st.Close())
	got, err := s.store(t).Exercise(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"facilitator": "new-hash", "code:irt": "KQ7M-2XPA"}, got.Credentials)
}

// exercisesRoundTrip: a record comes back as it was stored, ids are unique, unknown ids are
// ENotFound.
func exercisesRoundTrip(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	rec := mustCreate(t, st, "x1")
	rec2 := rec
	rec2.ID, rec2.CreatedAt, rec2.Sources, rec2.Credentials = "x0", epoch.Add(time.Hour+123456789), map[string]string{}, map[string]string{}
	rec2.Mode, rec2.Teams, rec2.Kind, rec2.Speed = engine.ModeTraining, nil, engine.ExerciseRehearsal, 0.25
	require.NoError(t, st.CreateExercise(ctx, rec2))

	got, err := st.Exercise(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, rec, got)
	got, err = st.Exercise(ctx, "x0")
	require.NoError(t, err)
	assert.Equal(t, (rec2), got, "to the nanosecond, with no teams chosen")

	err = st.CreateExercise(ctx, rec)
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "%v", err)

	_, err = st.Exercise(ctx, "nope")
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))
	_, err = st.Events(ctx, "nope")
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))
	events, err := st.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Empty(t, events, "an exercise with no events has an empty log")

	all, err := st.Exercises(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, rec, all[0], "oldest first")
	assert.Equal(t, (rec2), all[1])
}

func exercisesSortByCreationTime(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	// x3 and x1 differ by a nanosecond; x4 and x1 tie, and the id decides.
	for i, at := range []time.Time{epoch.Add(500 * time.Millisecond), epoch, epoch.Add(time.Second), epoch.Add(-time.Nanosecond), epoch} {
		rec := engine.ExerciseRecord{ID: fmt.Sprint("x", i), Scenario: "s", Plan: "p", Speed: 1, CreatedAt: at}
		require.NoError(t, st.CreateExercise(ctx, rec))
	}
	all, err := st.Exercises(ctx)
	require.NoError(t, err)
	var ids []string
	for _, rec := range all {
		ids = append(ids, rec.ID)
	}
	assert.Equal(t, []string{"x3", "x1", "x4", "x0", "x2"}, ids)
	assert.Equal(t, epoch.Add(500*time.Millisecond), all[3].CreatedAt)
}

// appendAndReopen: every field of every kind of event survives closing and opening again,
// and opening a database whose migrations are applied works.
func appendAndReopen(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	mustCreate(t, st, "x1")
	want := []engine.Event{
		{Seq: 1, T: 0, Wall: epoch.Add(123456789), Kind: engine.KindExerciseStarted, Speed: 60,
			Mode: engine.ModeEvaluation, Teams: []string{"irt", "cmt"}},
		{Seq: 2, T: time.Minute, Wall: epoch.Add(time.Second), Kind: engine.KindInjectDelivered, Inject: "call", To: []string{"irt", "cmt"}},
		{Seq: 3, T: time.Minute, Wall: epoch.Add(time.Second), Kind: engine.KindInjectDelivered, To: []string{"irt"},
			AdHoc: &engine.AdHocInject{Channel: "chat", Subject: "ad hoc", Body: "**hi** — ünïcode, a NUL \x00 and \"quotes\""}},
		{Seq: 4, T: 2 * time.Minute, Wall: epoch.Add(2 * time.Second), Kind: engine.KindActionTriggered, Action: "a", Team: "irt", Due: time.Hour},
		{Seq: 5, T: 3 * time.Minute, Wall: epoch.Add(3 * time.Second), Kind: engine.KindFeedbackRecorded, Participant: "p1",
			Feedback: &engine.Feedback{Ratings: map[string]int{"realism": 4}, Comment: "good"}},
	}
	require.NoError(t, st.Append(ctx, "x1", want[:1]))
	require.NoError(t, st.Append(ctx, "x1", want[1:]))
	require.NoError(t, st.Close())

	st = s.store(t)
	got, err := st.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	rec, err := st.Exercise(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, (record("x1")), rec)
}

// appendRejectsWhatDoesNotFit: an unknown exercise is ENotFound, a seq stored already is
// EConflict; a request that fails writes nothing and other exercises carry on.
func appendRejectsWhatDoesNotFit(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	mustCreate(t, st, "x1")
	mustCreate(t, st, "x2")
	require.NoError(t, st.Append(ctx, "x1", []engine.Event{note(1, "a")}))

	err := st.Append(ctx, "ghost", []engine.Event{note(1, "a")})
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err), "%v", err)

	err = st.Append(ctx, "x1", []engine.Event{note(2, "b"), note(1, "again")})
	assert.Equal(t, engine.EConflict, engine.ErrorCode(err), "%v", err)
	got, err := st.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, []engine.Event{note(1, "a")}, got, "a request that fails is written not at all")

	require.NoError(t, st.Append(ctx, "x2", []engine.Event{note(1, "other exercises carry on")}))
	got, err = st.Events(ctx, "x2")
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

func appendBeforeCreate(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	err := st.Append(ctx, "x1", []engine.Event{note(1, "too early")})
	assert.Equal(t, engine.ENotFound, engine.ErrorCode(err))
	mustCreate(t, st, "x1")
	require.NoError(t, st.Append(ctx, "x1", []engine.Event{note(1, "now")}))
	got, err := st.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, []engine.Event{note(1, "now")}, got)
}

func concurrentAppends(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	const exercises, perExercise = 8, 50
	var wg sync.WaitGroup
	for i := range exercises {
		id := fmt.Sprint("x", i)
		mustCreate(t, st, id)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := int64(1); seq <= perExercise; seq++ {
				if err := st.Append(ctx, id, []engine.Event{note(seq, id)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range exercises {
		id := fmt.Sprint("x", i)
		got, err := st.Events(ctx, id)
		require.NoError(t, err)
		require.Len(t, got, perExercise)
		for j, e := range got {
			assert.Equal(t, note(int64(j+1), id), e)
		}
	}
}

// queuedAppendsInOrder: a store that queues appends (engine.QueuedAppender) commits them and
// reports in the order they were queued.
func queuedAppendsInOrder(t *testing.T, s *suite) {
	st := s.store(t)
	qa, ok := st.(engine.QueuedAppender)
	require.True(t, ok, "%T queues appends", st)
	mustCreate(t, st, "x1")
	const n = 200
	results := make(chan int64, n)
	for seq := int64(1); seq <= n; seq++ {
		qa.QueueAppend("x1", []engine.Event{note(seq, "q")}, func(err error) {
			assert.NoError(t, err)
			results <- seq
		})
	}
	for want := int64(1); want <= n; want++ {
		assert.Equal(t, want, receive(t, results), "done is called in queue order")
	}
	got, err := st.Events(context.Background(), "x1")
	require.NoError(t, err)
	assert.Len(t, got, n)
}

// closedStoreRefusesAppends: what was appended before Close is kept; after it, an append is
// an error, never a silent loss.
func closedStoreRefuses(t *testing.T, s *suite) {
	ctx := context.Background()
	st := s.store(t)
	mustCreate(t, st, "x1")
	require.NoError(t, st.Append(ctx, "x1", []engine.Event{note(1, "kept")}))
	require.NoError(t, st.Close())
	assert.Error(t, st.Append(ctx, "x1", []engine.Event{note(2, "too late")}))

	got, err := s.store(t).Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, []engine.Event{note(1, "kept")}, got)
}

// appendIsCommittedWhenItReturns: what an append returned for is in the database already, for
// a second store opened on it to read, while the first stays open.
func appendIsCommittedWhenItReturns(t *testing.T, s *suite) {
	ctx := context.Background()
	writer := s.store(t)
	mustCreate(t, writer, "x1")
	reader := s.store(t)
	for seq := int64(1); seq <= 20; seq++ {
		require.NoError(t, writer.Append(ctx, "x1", []engine.Event{note(seq, "committed")}))
		got, err := reader.Events(ctx, "x1")
		require.NoError(t, err)
		require.Len(t, got, int(seq), "after the append of %d returned", seq)
	}
}

// receive waits for one value of ch, failing t after a deadline so that a lost callback fails
// in seconds.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatal("nothing arrived within 30s")
		var zero T
		return zero
	}
}
