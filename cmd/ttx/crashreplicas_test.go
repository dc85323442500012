package main_test

// The crash test's multi-replica form (design/scale.md): three `ttx serve` on one PostgreSQL
// database, participants and a facilitator spread over them, replicas SIGKILLed at random
// moments, the clock's owner among them.

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/postgres/pgtest"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/web/wstest"
)

// takeoverLimit is design/scale.md's bound on how long an exercise's clock goes without a
// holder after its holder died, and so on how late an inject may fire.
const takeoverLimit = 5 * time.Second

// replicaSet is where the replicas are: each one's WebSocket URL while it is up. Clients look
// through a view of their own, which picks a replica by the client's number, so that clients
// are spread over the replicas and move to another one when theirs goes.
type replicaSet struct {
	mu      sync.Mutex
	urls    []string // by replica; "" while down
	changed chan struct{}
}

func newReplicaSet(n int) *replicaSet {
	return &replicaSet{urls: make([]string, n), changed: make(chan struct{})}
}

func (rs *replicaSet) set(i int, url string) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.urls[i] = url
	close(rs.changed)
	rs.changed = make(chan struct{})
}

// up returns the numbers of the replicas that are up.
func (rs *replicaSet) up() []int {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var up []int
	for i, u := range rs.urls {
		if u != "" {
			up = append(up, i)
		}
	}
	return up
}

type replicaView struct {
	rs *replicaSet
	n  int
}

func (v replicaView) current() (string, <-chan struct{}) {
	v.rs.mu.Lock()
	defer v.rs.mu.Unlock()
	var up []string
	for _, u := range v.rs.urls {
		if u != "" {
			up = append(up, u)
		}
	}
	if len(up) == 0 {
		return "", v.rs.changed
	}
	return up[v.n%len(up)], v.rs.changed
}

// withApplicationName returns the database URL db with the application name the replica's
// sessions show in pg_stat_activity, by which the test finds the clock's owner.
func withApplicationName(tb testing.TB, db, name string) string {
	tb.Helper()
	u, err := url.Parse(db)
	require.NoError(tb, err)
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// clockOwner returns the number of the replica holding exercise id's clock lock, -1 for none.
func clockOwner(tb testing.TB, conn *pgx.Conn, id string) int {
	tb.Helper()
	var name string
	err := conn.QueryRow(context.Background(), `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`, id).Scan(&name)
	if err == pgx.ErrNoRows {
		return -1
	}
	require.NoError(tb, err)
	n, err := strconv.Atoi(name[len("replica-"):])
	require.NoError(tb, err)
	return n
}

// TestReplicasSurviveSIGKILL runs three real ttx replicas on one PostgreSQL database, plays
// an exercise on its own clock with six participants spread over them (acting, noting,
// escalating, answering continuously) and a facilitator recording observations on any of
// them, and SIGKILLs a replica at random moments, the clock's owner every other time; each
// killed replica is started again. At the end:
//   - one gapless log; every acked response in it exactly once under the seq it was acked
//     with, nothing else a participant sent; every acked observation once;
//   - the exercise never paused (but at the end, by its facilitator): another replica took
//     the clock over, within takeoverLimit of its owner's death;
//   - each inject fired once, no later than takeoverLimit after its due time;
//   - every participant's feed, across its reconnections to other replicas, is exactly the log
//     filtered to what its team may see: no gap, no duplicate.
func TestReplicasSurviveSIGKILL(t *testing.T) {
	const replicas, kills, speed = 3, 4, 1800
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("TTX_CRASH_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "TTX_CRASH_SEED")
	}
	t.Logf("seed %d (TTX_CRASH_SEED=%d replays the same choices)", seed, seed)
	rng := mrand.New(mrand.NewPCG(seed, 16))

	bin := mustBuildTTX(t)
	dir := mustCrashScenarioDir(t)
	db := pgtest.URL(t)
	admin := "replica-admin-" + rand.Text()
	out := &wstest.LogBuffer{}
	conn, err := pgx.Connect(context.Background(), db)
	require.NoError(t, err)
	defer conn.Close(context.Background())

	rs := newReplicaSet(replicas)
	procs := make([]*serverProc, replicas)
	start := func(i int) {
		procs[i] = mustStartServer(t, bin, withApplicationName(t, db, fmt.Sprintf("replica-%d", i)), dir, admin, out)
		rs.set(i, wstest.WebSocketURL(procs[i].url))
	}
	for i := range replicas {
		start(i)
	}
	anyUp := func() *serverProc {
		up := rs.up()
		return procs[up[rng.IntN(len(up))]]
	}

	var x facilitator.Created
	procs[0].api(t, "POST", "/api/exercises", admin, map[string]any{"scenario": "crash", "speed": speed}, &x)
	base := "/api/exercises/" + x.ID
	procs[1].api(t, "POST", base+"/start", x.FacilitatorToken, nil, nil)

	pr := newProgress()
	ph := wstest.NewPhases()
	var clients []*crashClient
	for i, team := range []string{"desk", "irt", "cmt", "desk", "irt", "cmt"} {
		clients = append(clients, newCrashClient(team, fmt.Sprintf("P%d-%s", i, team), x.Teams[team], crashTeams, crashActions, rng.Uint64(), pr))
	}
	errs := make(chan error, len(clients))
	for i, c := range clients {
		go func() { errs <- c.run(replicaView{rs, i}, ph) }()
	}
	returned := 0
	t.Cleanup(func() {
		close(ph.Abort)
		for returned < len(clients) {
			returned++
			<-errs
		}
	})

	// The facilitator records an observation now and then on any replica up; what is acked
	// must be stored once.
	observed := map[string]int64{}
	stopObserving, observing := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(observing)
		frng := mrand.New(mrand.NewPCG(seed, 32))
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-stopObserving:
				return
			case <-tick.C:
			}
			up := rs.up()
			if len(up) == 0 {
				continue
			}
			text := fmt.Sprintf("observation %d", n)
			var ack struct {
				Seq int64 `json:"seq"`
			}
			p := procs[up[frng.IntN(len(up))]]
			if err := wstest.Call(clientWithTimeout, p.url, "POST", base+"/observations", x.FacilitatorToken, map[string]any{"text": text, "rating": "S"}, &ack); err == nil {
				observed[text] = ack.Seq
			}
		}
	}()

	waits := crashWaits{t: t, errs: errs, returned: &returned, pr: pr}
	waitFor, waitAcks := waits.waitFor, waits.waitAcks

	var takeovers []time.Duration
	for k := range kills {
		waitAcks(pr.acks.Load() + 20 + int64(rng.IntN(80)))
		owner := mustClockOwner(t, conn, x.ID)
		victim := owner
		if k%2 == 1 {
			victim = rng.IntN(replicas)
		}
		select { // kill with a message just sent or just acked
		case <-pr.sent:
		default:
		}
		waitFor(pr.sent, "a message to go out")
		rs.set(victim, "")
		procs[victim].kill(t)
		if victim == owner {
			takeovers = append(takeovers, assertTakeover(t, conn, x.ID, victim))
		}
		start(victim)
		var detail struct {
			Status string `json:"status"`
		}
		anyUp().api(t, "GET", base, x.FacilitatorToken, nil, &detail)
		assert.Equal(t, "running", detail.Status, "after kill %d the exercise runs on", k+1)
	}
	t.Logf("takeovers of the clock after its owner was killed: %v", takeovers)

	waitAcks(pr.acks.Load() + 20)
	close(stopObserving)
	<-observing
	close(ph.Quiet)
	for _, c := range clients {
		waitFor(c.Drained, c.Name+" to have every message acked")
	}
	var paused struct {
		Status string `json:"status"`
		Seq    int64  `json:"seq"`
	}
	anyUp().api(t, "POST", base+"/pause", x.FacilitatorToken, nil, &paused)
	require.Equal(t, "paused", paused.Status)
	ph.Target.Store(paused.Seq)
	close(ph.Final)
	for returned < len(clients) {
		select {
		case err := <-errs:
			returned++
			require.NoError(t, err)
		case <-time.After(startTimeout):
			require.Fail(t, "the clients did not read up to the final pause")
		}
	}
	for _, p := range procs {
		p.stop(t)
	}

	events := mustStoredLog(t, db, x.ID)
	fired := checkReplicaLog(t, events, speed, paused.Seq)
	bySeq := map[int64]engine.Event{}
	for _, e := range events {
		bySeq[e.Seq] = e
	}
	for text, seq := range observed {
		assert.Equal(t, text, bySeq[seq].Text, "observation acked with seq %d", seq)
	}
	participants := make([]*wstest.Participant, len(clients))
	for i, c := range clients {
		participants[i] = c.Participant
	}
	assert.Empty(t, wstest.CheckLog(events, participants), "the clients and the stored log disagree")
	sessions := 0
	for _, c := range clients {
		sessions += c.Sessions
	}
	assert.NotEmpty(t, observed, "the facilitator's observations were acked")
	t.Logf("%d events, %d injects fired, %d observations, %d sessions over %d kills", len(events), len(fired), len(observed), sessions, kills)

	assertCleanOutput(t, out.String(), admin, x)
}

// pollUntil checks done every 10 ms until it holds, failing after limit, and returns how long
// it took.
func pollUntil(tb testing.TB, what string, limit time.Duration, done func() bool) time.Duration {
	tb.Helper()
	began := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !done() {
		require.Less(tb, time.Since(began), limit, "timed out waiting for %s", what)
		<-tick.C
	}
	return time.Since(began)
}

// mustClockOwner waits for some replica to hold exercise id's clock and returns its number.
func mustClockOwner(tb testing.TB, conn *pgx.Conn, id string) int {
	tb.Helper()
	owner := -1
	pollUntil(tb, "the clock to have an owner", startTimeout, func() bool { owner = clockOwner(tb, conn, id); return owner >= 0 })
	return owner
}

// assertTakeover waits for a replica other than dead to hold exercise id's clock, checks that
// it took no longer than takeoverLimit, and returns how long it took.
func assertTakeover(tb testing.TB, conn *pgx.Conn, id string, dead int) time.Duration {
	tb.Helper()
	took := pollUntil(tb, "another replica to take the clock", startTimeout, func() bool {
		o := clockOwner(tb, conn, id)
		return o >= 0 && o != dead
	})
	assert.Less(tb, took, takeoverLimit, "the clock of replica %d was taken over", dead)
	return took
}

// checkReplicaLog holds a log played by replicas on its own clock at speed to what they
// promise: seqs 1, 2, 3… without a gap; no pause but the facilitator's at seq finalPause (0:
// none at all); each inject fired once, no later than takeoverLimit after its due time. It
// returns how often each inject fired.
func checkReplicaLog(tb testing.TB, events []engine.Event, speed float64, finalPause int64) map[string]int {
	tb.Helper()
	var started engine.Event
	fired := map[string]int{}
	for i, e := range events {
		require.Equal(tb, int64(i+1), e.Seq, "the stored seqs run 1, 2, 3… without a gap")
		switch {
		case e.Kind == engine.KindExerciseStarted:
			started = e
		case e.Kind == engine.KindClock && e.Clock == engine.ClockPaused:
			if finalPause == 0 {
				assert.Fail(tb, "the exercise paused", "%+v", e)
			} else {
				assert.Equal(tb, finalPause, e.Seq, "the only pause is the facilitator's at the end: %+v", e)
			}
		case e.Kind == engine.KindInjectDelivered:
			fired[e.Inject]++
			due := started.Wall.Add(time.Duration(float64(e.T) / speed))
			assert.Less(tb, e.Wall.Sub(due), takeoverLimit, "inject %s fired on time", e.Inject)
		}
	}
	for name, n := range fired {
		assert.Equal(tb, 1, n, "inject %s fired once", name)
	}
	require.NotEmpty(tb, fired)
	return fired
}

// clientWithTimeout is the facilitator's HTTP client: a request to a replica being killed
// fails rather than hangs.
var clientWithTimeout = &http.Client{Timeout: 10 * time.Second}

// mustStoredLog reads exercise id's log from the database: the truth.
func mustStoredLog(tb testing.TB, db, id string) []engine.Event {
	tb.Helper()
	store, err := postgres.Open(context.Background(), db)
	require.NoError(tb, err)
	defer store.Close()
	events, err := store.Events(context.Background(), id)
	require.NoError(tb, err)
	require.NotEmpty(tb, events)
	return events
}
