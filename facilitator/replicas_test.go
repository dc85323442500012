package facilitator_test

import (
	"context"
	"crypto/rand"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/postgres/pgtest"
	"github.com/ttx-dev/ttx/facilitator"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// mustReplica is a Manager run as one replica on the PostgreSQL database at u, restored.
func mustReplica(t *testing.T, u string, clock clockwork.Clock) *facilitator.Manager {
	t.Helper()
	s, err := postgres.Open(context.Background(), u)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	m := facilitator.NewManager(s, mustLibrary(t), clock, rand.Reader,
		facilitator.WithReplicas(s, func(err error) { t.Log(err) }))
	t.Cleanup(m.Close)
	require.NoError(t, m.Restore(context.Background()))
	return m
}

// within waits until cond holds, failing t after a deadline.
func within(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		require.True(t, time.Now().Before(deadline), "%s: not within 30s", what)
		runtime.Gosched()
	}
}

// receiveKind waits for an event of kind on events, failing t after a deadline.
func receiveKind(t *testing.T, events <-chan engine.Event, kind string) engine.Event {
	t.Helper()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	for {
		select {
		case e, ok := <-events:
			require.True(t, ok, "the subscription was dropped")
			if e.Kind == kind {
				return e
			}
		case <-timer.C:
			t.Fatalf("no %s within 30s", kind)
		}
	}
}

// TestReplicasShareTheArchive: on PostgreSQL, an exercise that ends on replica A is history on
// replica B too: it leaves B's memory when idle, its credentials answer from the index, what
// A kept of it B serves while it is current and never once A appended to its log, and a
// replica starting later restores only the exercise that can still change, and finds the
// credentials of one created on another replica after it started.
func TestReplicasShareTheArchive(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	clockB := clockwork.NewFakeClock()
	a := mustReplica(t, u, clockwork.NewFakeClock())
	live, err := a.Create(ctx, "s", 60)
	require.NoError(t, err)
	ended, err := a.Create(ctx, "s", 60)
	require.NoError(t, err)
	b := mustReplica(t, u, clockB)

	// B follows the exercise A runs and ends.
	xb, err := b.Exercise(ended.ID)
	require.NoError(t, err)
	events, unsubscribe := xb.Subscribe()
	xa, err := a.Exercise(ended.ID)
	require.NoError(t, err)
	require.NoError(t, xa.Start(ctx))
	require.NoError(t, xa.End(ctx))
	end := receiveKind(t, events, engine.KindExerciseEnded)
	unsubscribe()
	b.Sweep() // ended while in memory: history from now on
	clockB.Advance(facilitator.ResidentIdle)
	b.Sweep()
	_, in := b.InMemory(ended.ID)
	require.False(t, in, "idle, the ended exercise left B's memory")
	_, in = b.InMemory(live.ID)
	assert.True(t, in, "the live one stays")
	fb, ok := b.FiledExercise(ended.ID)
	require.True(t, ok)
	assert.True(t, fb.Ended)
	assert.Equal(t, end.Seq, fb.LastSeq)

	// What A keeps, B serves, without loading the exercise; its credentials answer likewise.
	fa, ok := a.FiledExercise(ended.ID)
	require.True(t, ok)
	require.Equal(t, end.Seq, fa.LastSeq)
	a.Keep(fa, "report.json", []byte("the report at the end"))
	kept, ok := b.Kept(fb, "report.json")
	assert.True(t, ok)
	assert.Equal(t, "the report at the end", string(kept))
	p, err := b.Authenticate(ended.ReviewerToken)
	require.NoError(t, err)
	assert.Equal(t, facilitator.Principal{Role: facilitator.RoleReviewer, Exercise: ended.ID}, p)
	assert.Zero(t, b.Resident(), "nothing was loaded")

	// A records an observation in the hot wash: B files the new last seq, and what was kept
	// before it is stale there.
	obs, err := xa.Observe(ctx, engine.Observation{Text: "the runbook was out of date", Capability: "c", Rating: "M", By: "evaluator"})
	require.NoError(t, err)
	within(t, "B files the observation's seq", func() bool {
		f, _ := b.FiledExercise(ended.ID)
		return f.LastSeq == obs.Seq
	})
	fb, _ = b.FiledExercise(ended.ID)
	_, ok = b.Kept(fb, "report.json")
	assert.False(t, ok, "a row kept before the observation is never served")
	assert.Zero(t, b.Resident())
	again, err := b.Exercise(ended.ID)
	require.NoError(t, err)
	assert.Equal(t, obs.Seq, again.LastSeq(), "loaded, it has the observation")
	assert.Equal(t, 1, b.Resident())

	// A replica starting now restores only what can change, and files the rest.
	c := mustReplica(t, u, clockwork.NewFakeClock())
	var inMemory []string
	for _, x := range c.Exercises() {
		inMemory = append(inMemory, x.ID())
	}
	assert.Equal(t, []string{live.ID}, inMemory)
	fc, ok := c.FiledExercise(ended.ID)
	require.True(t, ok)
	assert.Equal(t, facilitator.Filed{ID: ended.ID, Scenario: "s", Plan: "p", CreatedAt: fc.CreatedAt,
		Mode: engine.ModeEvaluation, Kind: engine.ExerciseLive, Ended: true, LastSeq: obs.Seq}, fc)
	id, team, err := c.Join(ended.Teams["a"])
	require.NoError(t, err)
	assert.Equal(t, []string{ended.ID, "a"}, []string{id, team})
	assert.Zero(t, c.Resident(), "the archive's credentials answer from the index")

	// An exercise created on A after C started: C finds its token in the index and loads it.
	later, err := a.Create(ctx, "s", 60)
	require.NoError(t, err)
	p, err = c.Authenticate(later.FacilitatorToken)
	require.NoError(t, err)
	assert.Equal(t, facilitator.Principal{Role: facilitator.RoleFacilitator, Exercise: later.ID}, p)
	_, in = c.InMemory(later.ID)
	assert.True(t, in)
}

// TestAReplicaLetsGoOfTheClocksItNoLongerNeeds: the replica holding a running exercise's clock
// lets go of it once the exercise has ended, so that the advisory locks of a long-lived
// replica do not pile up with its history.
func TestAReplicaLetsGoOfTheClocksItNoLongerNeeds(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	clock := clockwork.NewFakeClock()
	a := mustReplica(t, u, clock)
	x, err := a.Create(ctx, "s", 60)
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	held := func() bool {
		var n int
		require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
			AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`, x.ID).Scan(&n))
		return n > 0
	}
	// The replica claims clocks every ClockEvery of its clock.
	within(t, "the replica holds the clock", func() bool { clock.Advance(facilitator.ClockEvery); return held() })
	xa, err := a.Exercise(x.ID)
	require.NoError(t, err)
	require.NoError(t, xa.Start(ctx))
	require.NoError(t, xa.End(ctx))
	within(t, "the replica lets go of the ended exercise's clock", func() bool { clock.Advance(facilitator.ClockEvery); return !held() })
}
