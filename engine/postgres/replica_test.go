package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/postgres/pgtest"
	"github.com/ttx-dev/ttx/scenarios"
)

// replicaScenario is a two-team scenario with an inject a minute in: a second at speed 60.
func replicaScenario() *scenarios.Scenario {
	return &scenarios.Scenario{
		Name: "s", PlanName: "p", Duration: 10 * time.Hour, StartTime: epoch,
		Plan: &scenarios.Plan{Name: "p", Version: "1",
			Teams:      []*scenarios.Team{{Name: "irt", Tier: 2}, {Name: "cmt", Tier: 4}},
			Severities: []*scenarios.Severity{{Name: "local", Level: 1}},
		},
		Injects: []*scenarios.Inject{{Name: "soon", Channel: "email", Subject: "Soon", To: []string{"irt"}, HasAt: true, At: time.Minute}},
	}
}

// mustReplica is exercise id as the replica on s sees it, from the stored record and log.
func mustReplica(tb testing.TB, s *postgres.Store, id string) *engine.Exercise {
	tb.Helper()
	rec, err := s.Exercise(context.Background(), id)
	require.NoError(tb, err)
	x, err := engine.RestoreReplica(context.Background(), rec, replicaScenario(), clockwork.NewRealClock(), s)
	require.NoError(tb, err)
	return x
}

// TestReplicasOnOneDatabase: commands sent at once to two replicas on one database each run
// under the exercise's row lock after folding what the other appended: every acked note is in
// the one gapless log once, the inject that came due fired once, before the command that
// found it due, and each replica, caught up, has the log as stored.
func TestReplicasOnOneDatabase(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	s1, s2 := mustOpen(t, u), mustOpen(t, u)
	mustCreate(t, s1, "x1")
	a, b := mustReplica(t, s1, "x1"), mustReplica(t, s2, "x1")
	require.NoError(t, a.Start(ctx))

	const each = 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := map[string]int64{}
	for r, x := range []*engine.Exercise{a, b} {
		for i := range each {
			wg.Add(1)
			go func() {
				defer wg.Done()
				text := fmt.Sprintf("replica %d note %d", r, i)
				e, err := x.Note(ctx, engine.Response{Team: "irt", Name: "Alice"}, text)
				if assert.NoError(t, err) {
					mu.Lock()
					acked[text] = e.Seq
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	require.NoError(t, a.CatchUp(ctx))
	require.NoError(t, b.CatchUp(ctx))

	log, err := s1.Events(ctx, "x1")
	require.NoError(t, err)
	seen := map[string]int{}
	for i, e := range log {
		require.Equal(t, int64(i+1), e.Seq, "no gap")
		if i > 0 {
			assert.False(t, e.Wall.Before(log[i-1].Wall), "event %d's real time is not below the previous one's", e.Seq)
		}
		if e.Kind == engine.KindNote {
			seen[e.Text]++
			assert.Equal(t, acked[e.Text], e.Seq, "%s acked as stored", e.Text)
		}
	}
	assert.Len(t, acked, 2*each)
	for text := range acked {
		assert.Equal(t, 1, seen[text], "%s once", text)
	}
	assert.Equal(t, log, a.EventsSince(0))
	assert.Equal(t, log, b.EventsSince(0))
}

// TestCommandFiresWhatCameDue: a replica's command fires, first, what came due by the
// database's time, whichever replica started the clock; once, whichever replica asks.
func TestCommandFiresWhatCameDue(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	s1, s2 := mustOpen(t, u), mustOpen(t, u)
	require.NoError(t, s1.CreateExercise(ctx, engine.ExerciseRecord{ID: "x1", Scenario: "s", Plan: "p", Speed: 3600, CreatedAt: epoch}))
	a, b := mustReplica(t, s1, "x1"), mustReplica(t, s2, "x1")
	require.NoError(t, a.Start(ctx))
	// A minute simulated is 17 ms at speed 3600: poll, with a deadline, until it has come.
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; !slices.ContainsFunc(b.EventsSince(0), isDelivered); i++ {
		require.True(t, time.Now().Before(deadline), "the inject never fired")
		x := []*engine.Exercise{a, b}[i%2]
		_, err := x.Note(ctx, engine.Response{Team: "irt", Name: "Alice"}, "waiting")
		require.NoError(t, err)
		require.NoError(t, b.CatchUp(ctx))
	}
	log, err := s2.Events(ctx, "x1")
	require.NoError(t, err)
	i := slices.IndexFunc(log, isDelivered)
	assert.Equal(t, time.Minute, log[i].T, "stamped with its due time")
	assert.Equal(t, 1, countFunc(log, isDelivered))
	for _, e := range log[i+1:] {
		assert.GreaterOrEqual(t, e.T, time.Minute, "what came after it is after it")
	}
}

func isDelivered(e engine.Event) bool { return e.Kind == engine.KindInjectDelivered }

func countFunc(events []engine.Event, f func(engine.Event) bool) int {
	n := 0
	for _, e := range events {
		if f(e) {
			n++
		}
	}
	return n
}

// TestClockLocks: one replica at a time holds an exercise's clock; when it lets go (its
// session closed, as when its process dies) another takes it.
func TestClockLocks(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	s1, s2 := mustOpen(t, u), mustOpen(t, u)
	mustCreate(t, s1, "x1")
	got, err := s1.TakeClocks(ctx, []string{"x1"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"x1"}, got)
	got, err = s2.TakeClocks(ctx, []string{"x1"}, nil)
	require.NoError(t, err)
	assert.Empty(t, got, "the clock has a holder")
	_, err = s1.TakeClocks(ctx, nil, []string{"x1"})
	require.NoError(t, err, "the holder beats")

	s1.DropClocks()
	deadline := time.Now().Add(5 * time.Second)
	for len(got) == 0 {
		require.True(t, time.Now().Before(deadline), "the clock was never released")
		got, err = s2.TakeClocks(ctx, []string{"x1"}, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"x1"}, got)
}

// TestUnheldComesFromTheHeartbeat: a command learns how long its exercise's clock went
// without a holder's heartbeat; a command that found it unheld too long marks it dealt with.
func TestUnheldComesFromTheHeartbeat(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	s := mustOpen(t, u)
	mustCreate(t, s, "x1")
	unheld := func() time.Duration {
		done := make(chan time.Duration, 1)
		var got time.Duration
		s.QueueCommand("x1", engine.Command{
			Folded: func() int64 { return 0 },
			Run:    func(lk engine.Locked) []engine.Event { got = lk.Unheld; return nil },
			Done:   func(error) { done <- got },
		})
		select {
		case d := <-done:
			return d
		case <-time.After(10 * time.Second):
			t.Fatal("the command never ran")
			return 0
		}
	}
	assert.Less(t, unheld(), engine.ClockUnheldLimit, "a new exercise's clock counts as just held")
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `UPDATE exercise_clocks SET seen = seen - interval '1 minute'`)
	require.NoError(t, err)
	assert.Greater(t, unheld(), engine.ClockUnheldLimit)
	assert.Less(t, unheld(), engine.ClockUnheldLimit, "dealt with by the command before")
}

// TestNoticesReachTheOtherReplicas: a replica listening hears of each exercise another one
// creates and of each commit to a log, and resyncs once listening.
func TestNoticesReachTheOtherReplicas(t *testing.T) {
	u := pgtest.URL(t)
	s1, s2 := mustOpen(t, u), mustOpen(t, u)
	ctx, cancel := context.WithCancel(context.Background())
	type notice struct {
		id  string
		seq int64
	}
	notices := make(chan notice, 16)
	resynced := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s2.Listen(ctx, func(id string, seq int64) { notices <- notice{id, seq} },
			func() { resynced <- struct{}{} }, func(err error) { t.Log(err) })
	}()
	defer func() { cancel(); <-done }()
	wait := func(what string) {
		select {
		case <-resynced:
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s", what)
		}
	}
	wait("resync once listening")
	mustCreate(t, s1, "x1")
	require.NoError(t, s1.Append(context.Background(), "x1", []engine.Event{note(1, "a"), note(2, "b")}))
	for _, want := range []notice{{"x1", 0}, {"x1", 2}} {
		select {
		case got := <-notices:
			assert.Equal(t, want, got)
		case <-time.After(10 * time.Second):
			t.Fatalf("no notice %v", want)
		}
	}
	ends, err := s2.LogEnds(context.Background())
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"x1": 2}, ends)
}

// TestReplicasSurviveADatabaseRestart: while PostgreSQL is down a replica's command gets an
// error, never an ack, and is in no log; once it is back the replicas reconnect (the pool, the
// listening session) and carry on: commands are acked, the other replica hears of them.
func TestReplicasSurviveADatabaseRestart(t *testing.T) {
	ctx := context.Background()
	c, err := pgtest.Start(pgtest.Options{})
	require.NoError(t, err)
	defer c.Stop()
	u, err := pgtest.CreateDatabase(ctx, c.URL("postgres"), "restart")
	require.NoError(t, err)
	s1, s2 := mustOpen(t, u), mustOpen(t, u)
	mustCreate(t, s1, "x1")
	a, b := mustReplica(t, s1, "x1"), mustReplica(t, s2, "x1")
	require.NoError(t, a.Start(ctx))

	heard := make(chan int64, 64)
	resynced := make(chan struct{}, 1)
	lctx, cancel := context.WithCancel(ctx)
	listening := make(chan struct{})
	go func() {
		defer close(listening)
		s2.Listen(lctx, func(_ string, seq int64) {
			select {
			case heard <- seq:
			default:
			}
		}, func() {
			select {
			case resynced <- struct{}{}:
			default:
			}
		}, func(error) {})
	}()
	defer func() { cancel(); <-listening }()

	r := engine.Response{Team: "irt", Name: "Alice"}
	_, err = a.Note(ctx, r, "before")
	require.NoError(t, err)
	require.NoError(t, c.Down())
	_, err = a.Note(ctx, r, "while down")
	assert.Equal(t, engine.EInternal, engine.ErrorCode(err), "an error, never an ack: %v", err)
	require.NoError(t, c.Up())

	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		_, err = a.Note(ctx, r, "after")
		if err == nil {
			break
		}
		require.True(t, time.Now().Before(deadline), "no command was acked after the restart: %v", err)
		<-tick.C
	}
	// The listening session resyncs once it is back (a notice sent before may be lost: that
	// is what the resync is for); from then on every commit is heard.
	for range 2 {
		select {
		case <-resynced:
		case <-time.After(30 * time.Second):
			t.Fatal("the listening session never came back")
		}
	}
	later, err := a.Note(ctx, r, "later")
	require.NoError(t, err)
	for seq := int64(0); seq < later.Seq; {
		select {
		case seq = <-heard:
		case <-time.After(30 * time.Second):
			t.Fatalf("the other replica never heard of event %d", later.Seq)
		}
	}
	require.NoError(t, b.CatchUp(ctx))
	log, err := s2.Events(ctx, "x1")
	require.NoError(t, err)
	var notes []string
	for i, e := range log {
		require.Equal(t, int64(i+1), e.Seq)
		if e.Kind == engine.KindNote {
			notes = append(notes, e.Text)
		}
	}
	assert.Equal(t, []string{"before", "after", "later"}, notes)
	assert.Equal(t, log, b.EventsSince(0))
}

// TestGuessesCountAcrossReplicas: the guessing limit's bucket of one key is one bucket
// whichever replica counts in it: two stores taking from it empty it at its size together.
func TestGuessesCountAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	s1, s2 := mustOpen(t, u), mustOpen(t, u)
	const rate, burst = 1e-6, 4 // refills too slowly to matter here
	has, err := s1.GuessHas(ctx, "addr:192.0.2.1", rate, burst)
	require.NoError(t, err)
	assert.True(t, has, "a bucket never used is full")
	for i := range burst {
		require.NoError(t, []*postgres.Store{s1, s2}[i%2].GuessTake(ctx, "addr:192.0.2.1", rate, burst))
	}
	for _, s := range []*postgres.Store{s1, s2} {
		has, err := s.GuessHas(ctx, "addr:192.0.2.1", rate, burst)
		require.NoError(t, err)
		assert.False(t, has, "emptied by both")
	}
	has, err = s2.GuessHas(ctx, "addr:192.0.2.2", rate, burst)
	require.NoError(t, err)
	assert.True(t, has, "another address has its own bucket")

	trusted, err := s2.GuessTrusted(ctx, "trust:192.0.2.1", time.Hour)
	require.NoError(t, err)
	assert.False(t, trusted)
	require.NoError(t, s1.GuessTrust(ctx, "trust:192.0.2.1"))
	trusted, err = s2.GuessTrusted(ctx, "trust:192.0.2.1", time.Hour)
	require.NoError(t, err)
	assert.True(t, trusted)
}
