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
	return mustReplicaOf(tb, s, id, replicaScenario())
}

// mustReplicaOf is mustReplica for an exercise of scenario sc.
func mustReplicaOf(tb testing.TB, s *postgres.Store, id string, sc *scenarios.Scenario) *engine.Exercise {
	tb.Helper()
	rec, err := s.Exercise(context.Background(), id)
	require.NoError(tb, err)
	x, err := engine.RestoreReplica(context.Background(), rec, sc, clockwork.NewRealClock(), s)
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

// TestAHungHolderIsTakenOver: a holder that stops beating without dying (its session still
// open, as a stopped or frozen process's is) keeps its clock only until the clock has gone
// unbeaten for StaleHolder: the next claim of another replica ends the holder's clock session
// and the claim after takes the clock; the holder learns it holds nothing any more. A holder
// that beats is left alone however often it is claimed.
func TestAHungHolderIsTakenOver(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	s1, s2 := mustOpen(t, u), mustOpen(t, u)
	mustCreate(t, s1, "x1")
	got, err := s1.TakeClocks(ctx, []string{"x1"}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"x1"}, got)
	_, err = s1.TakeClocks(ctx, nil, []string{"x1"})
	require.NoError(t, err, "the holder beats")
	for range 3 {
		got, err = s2.TakeClocks(ctx, []string{"x1"}, nil)
		require.NoError(t, err)
		require.Empty(t, got, "a holder that beats keeps its clock")
	}
	_, err = s1.TakeClocks(ctx, nil, []string{"x1"})
	require.NoError(t, err, "the holder was left alone")

	// The holder hangs: its last beat is older than StaleHolder by the database's clock.
	db, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer db.Close(ctx)
	_, err = db.Exec(ctx, `UPDATE exercise_clocks SET seen = clock_timestamp() - $1::interval - interval '1 second' WHERE exercise_id = 'x1'`,
		postgres.StaleHolder)
	require.NoError(t, err)
	deadline := time.Now().Add(10 * time.Second)
	for len(got) == 0 {
		require.True(t, time.Now().Before(deadline), "the hung holder's clock was never taken over")
		got, err = s2.TakeClocks(ctx, []string{"x1"}, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"x1"}, got)
	_, err = s1.TakeClocks(ctx, nil, []string{"x1"})
	require.Error(t, err, "the hung holder's clock session was ended: it holds nothing")
	got, err = s1.TakeClocks(ctx, []string{"x1"}, nil)
	require.NoError(t, err, "a new session")
	assert.Empty(t, got, "the clock has its new holder")
}

// everyReplicaDown is what a command of exercise id on s learns under its lock: whether every
// replica was down.
func everyReplicaDown(tb testing.TB, s *postgres.Store, id string) bool {
	tb.Helper()
	done := make(chan error, 1)
	var got bool
	s.QueueCommand(id, engine.Command{
		Folded: func() int64 { return 0 },
		Run:    func(lk engine.Locked) []engine.Event { got = lk.EveryReplicaDown; return nil },
		Done:   func(err error) { done <- err },
	})
	select {
	case err := <-done:
		require.NoError(tb, err)
		return got
	case <-time.After(10 * time.Second):
		tb.Fatal("the command never ran")
		return false
	}
}

// mustExec runs sql on the database at u, outside any store.
func mustExec(tb testing.TB, u, sql string, args ...any) {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	require.NoError(tb, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	require.NoError(tb, err)
}

// TestEveryReplicaDownComesFromTheHeartbeat: a command learns that every replica was down
// only when its exercise's clock last beat more than the limit before its own replica
// started: a heartbeat during the replica's run, however old, went quiet while it ran (the
// database away, say). The first command that finds the heartbeat older than the limit
// renews it, so that a replica started since does not take the silence for every replica
// down once another has dealt with it.
func TestEveryReplicaDownComesFromTheHeartbeat(t *testing.T) {
	u := pgtest.URL(t)
	// A limit no silence stays under: the heartbeat's age decides nothing.
	tiny := postgres.WithUnheldLimit(time.Microsecond)
	old := mustOpen(t, u, tiny)
	mustCreate(t, old, "x1") // the clock counts as held at its creation
	young := mustOpen(t, u, tiny)
	assert.True(t, everyReplicaDown(t, young, "x1"), "started after the heartbeat: nobody vouches for the gap")
	assert.False(t, everyReplicaDown(t, young, "x1"), "dealt with by the command before: the heartbeat renewed")
	assert.False(t, everyReplicaDown(t, old, "x1"), "running since before the heartbeat")

	mustCreate(t, old, "x4")
	newer := mustOpen(t, u, tiny)
	assert.False(t, everyReplicaDown(t, old, "x4"), "running since before the heartbeat")
	assert.False(t, everyReplicaDown(t, newer, "x4"), "started after the heartbeat, but another replica dealt with the silence")

	mustCreate(t, old, "x2")
	assert.False(t, everyReplicaDown(t, old, "x2"), "a heartbeat older than the limit, during the replica's run")
	assert.False(t, everyReplicaDown(t, young, "x2"), "the same for the other replica")
	mustExec(t, u, `UPDATE exercise_clocks SET seen = seen - interval '1 minute' WHERE exercise_id = 'x2'`)
	assert.True(t, everyReplicaDown(t, old, "x2"), "a heartbeat from before the replica started")
	assert.False(t, everyReplicaDown(t, young, "x2"), "dealt with by the command before")

	mustExec(t, u, `DELETE FROM exercise_clocks WHERE exercise_id = 'x2'`)
	assert.True(t, everyReplicaDown(t, young, "x2"), "no heartbeat at all (stored before replicas)")
	assert.False(t, everyReplicaDown(t, old, "x2"), "dealt with")

	// The default limit: 10 s before the replica started.
	s := mustOpen(t, u)
	mustCreate(t, s, "x3")
	mustExec(t, u, `UPDATE exercise_clocks SET seen = seen - interval '5 seconds' WHERE exercise_id = 'x3'`)
	assert.False(t, everyReplicaDown(t, s, "x3"), "within the limit before the replica started")
	mustExec(t, u, `UPDATE exercise_clocks SET seen = seen - interval '1 minute' WHERE exercise_id = 'x3'`)
	assert.True(t, everyReplicaDown(t, s, "x3"))
}

// outageScenario is replicaScenario with three injects due 200, 300 and 400 ms after the
// start at speed 600.
func outageScenario() *scenarios.Scenario {
	sc := replicaScenario()
	sc.Injects = nil
	for i, name := range []string{"first", "second", "third"} {
		sc.Injects = append(sc.Injects, &scenarios.Inject{Name: name, Channel: "email", Subject: name,
			To: []string{"irt"}, HasAt: true, At: time.Duration(2+i) * time.Minute})
	}
	return sc
}

// waitUnheld waits until the database's clock says that each clock of ids went unheld for
// longer than limit (its last heartbeat that long ago) and that it is due or later.
func waitUnheld(tb testing.TB, u string, ids []string, limit time.Duration, due time.Time) {
	tb.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		conn, err := pgx.Connect(ctx, u)
		require.NoError(tb, err)
		var now, seen time.Time
		err = conn.QueryRow(ctx, `SELECT clock_timestamp(), max(seen) FROM exercise_clocks WHERE exercise_id = ANY($1)`, ids).Scan(&now, &seen)
		conn.Close(ctx)
		require.NoError(tb, err)
		if now.Sub(seen) > limit && !now.Before(due) {
			return
		}
		require.True(tb, time.Now().Before(deadline), "the clocks never went unheld for %v", limit)
		<-tick.C
	}
}

// retry calls f until it succeeds, as a replica does once the database is back.
func retry(tb testing.TB, what string, f func() error) {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := f()
		if err == nil {
			return
		}
		require.True(tb, time.Now().Before(deadline), "%s never succeeded: %v", what, err)
		<-tick.C
	}
}

// injectsAndPauses is the log's injects fired and clock pauses, as "T kind name".
func injectsAndPauses(log []engine.Event) []string {
	var out []string
	for _, e := range log {
		switch {
		case e.Kind == engine.KindInjectDelivered:
			out = append(out, fmt.Sprintf("%v %s %s", e.T, e.Kind, e.Inject))
		case e.Kind == engine.KindClock && e.Clock == engine.ClockPaused:
			out = append(out, fmt.Sprintf("%v %s %s %s", e.T, e.Kind, e.Clock, e.Reason))
		}
	}
	return out
}

// TestADatabaseOutageDoesNotPause: PostgreSQL down for longer than the unheld limit while
// the replicas run on stops every heartbeat and drops the clock locks, yet nobody pauses:
// once it is back the exercises are still running, and the injects that came due meanwhile
// fire in order at their due times, after the outage, whether the holder's tick (once it
// holds the clock again) or another replica's command comes first.
func TestADatabaseOutageDoesNotPause(t *testing.T) {
	ctx := context.Background()
	c, err := pgtest.Start(pgtest.Options{})
	require.NoError(t, err)
	defer c.Stop()
	u, err := pgtest.CreateDatabase(ctx, c.URL("postgres"), "outage")
	require.NoError(t, err)
	const limit = 200 * time.Millisecond
	s1 := mustOpen(t, u, postgres.WithUnheldLimit(limit)) // the clocks' holder
	s2 := mustOpen(t, u, postgres.WithUnheldLimit(limit))
	sc := outageScenario()
	ids := []string{"ticked", "commanded"} // who comes first after the outage
	var a, b []*engine.Exercise            // the exercises on s1 and on s2
	for _, id := range ids {
		require.NoError(t, s1.CreateExercise(ctx, engine.ExerciseRecord{ID: id, Scenario: "s", Plan: "p", Speed: 600, CreatedAt: epoch}))
		x := mustReplicaOf(t, s1, id, sc)
		require.NoError(t, x.Start(ctx))
		a, b = append(a, x), append(b, mustReplicaOf(t, s2, id, sc))
	}
	got, err := s1.TakeClocks(ctx, ids, nil)
	require.NoError(t, err)
	require.ElementsMatch(t, ids, got)
	_, err = s1.TakeClocks(ctx, nil, ids)
	require.NoError(t, err, "the holder beats")
	started := a[1].EventsSince(0)[0].Wall

	require.NoError(t, c.Down())
	assert.Equal(t, engine.EInternal, engine.ErrorCode(a[0].Tick(ctx)), "nothing fires while the database is down")
	_, err = s1.TakeClocks(ctx, nil, ids)
	assert.Error(t, err, "the clock session is lost, and its locks with it")
	require.NoError(t, c.Up())
	waitUnheld(t, u, ids, limit, started.Add(sc.Injects[2].At/600))

	retry(t, "taking the clocks again", func() error {
		got, err := s1.TakeClocks(ctx, ids, nil)
		if err == nil && len(got) < len(ids) {
			err = fmt.Errorf("took %v", got)
		}
		return err
	})
	r := engine.Response{Team: "irt", Name: "Alice"}
	retry(t, "the holder's tick", func() error { return a[0].Tick(ctx) })
	retry(t, "the other replica's command", func() error { _, err := b[1].Note(ctx, r, "after"); return err })
	require.NoError(t, a[1].Tick(ctx))
	_, err = b[0].Note(ctx, r, "after")
	require.NoError(t, err)

	want := []string{"2m0s inject_delivered first", "3m0s inject_delivered second", "4m0s inject_delivered third"}
	for i, id := range ids {
		log, err := s2.Events(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, injectsAndPauses(log), "%s: fired in order after the outage, no pause", id)
		require.NoError(t, a[i].CatchUp(ctx))
		require.NoError(t, b[i].CatchUp(ctx))
		for _, x := range []*engine.Exercise{a[i], b[i]} {
			assert.Equal(t, engine.StatusRunning, x.Snapshot().Status, "%s is still running", id)
		}
	}
}

// TestEveryReplicaDownPauses: every replica down (their processes gone, the database up) for
// longer than the unheld limit, then one started: it pauses the exercise at its last event's
// time with the reason "no replica was running" and fires nothing that came due meanwhile.
func TestEveryReplicaDownPauses(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	const limit = 200 * time.Millisecond
	sc := outageScenario()
	s1 := mustOpen(t, u, postgres.WithUnheldLimit(limit))
	require.NoError(t, s1.CreateExercise(ctx, engine.ExerciseRecord{ID: "x1", Scenario: "s", Plan: "p", Speed: 600, CreatedAt: epoch}))
	a := mustReplicaOf(t, s1, "x1", sc)
	require.NoError(t, a.Start(ctx))
	got, err := s1.TakeClocks(ctx, []string{"x1"}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"x1"}, got)
	_, err = s1.TakeClocks(ctx, nil, []string{"x1"})
	require.NoError(t, err)
	started := a.EventsSince(0)[0].Wall
	require.NoError(t, s1.Close()) // the only replica dies: its sessions close
	waitUnheld(t, u, []string{"x1"}, limit, started.Add(sc.Injects[2].At/600))

	s2 := mustOpen(t, u, postgres.WithUnheldLimit(limit))
	b := mustReplicaOf(t, s2, "x1", sc)
	got, err = s2.TakeClocks(ctx, []string{"x1"}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{"x1"}, got)
	require.NoError(t, b.Tick(ctx))
	require.NoError(t, b.Tick(ctx))
	log, err := s2.Events(ctx, "x1")
	require.NoError(t, err)
	assert.Equal(t, []string{"0s clock paused " + engine.NoReplicaReason}, injectsAndPauses(log), "paused once, nothing fired")
	assert.Equal(t, engine.StatusPaused, b.Snapshot().Status)
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

	retry(t, "a command after the restart", func() error { _, err := a.Note(ctx, r, "after"); return err })
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
