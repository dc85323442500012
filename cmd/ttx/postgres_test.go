package main_test

// ttx on PostgreSQL: the real binary serving from a database of the test binary's private
// cluster (engine/postgres/pgtest), and the commands that read one.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
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

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// ackSignal is a wstest.Observer that signals every ack on a channel.
type ackSignal struct{ acked chan struct{} }

func (a ackSignal) Connected(int) {}
func (a ackSignal) Sent()         {}
func (a ackSignal) SlowedDown()   {}
func (a ackSignal) Acked(bool)    { notify(a.acked) }

// passwordOf is the password in the database URL u.
func passwordOf(tb testing.TB, u string) string {
	tb.Helper()
	parsed, err := url.Parse(u)
	require.NoError(tb, err)
	pw, ok := parsed.User.Password()
	require.True(tb, ok, "the test database has a password")
	return pw
}

// TestServeOnPostgresKeepsResponsesAcrossRestart: the real `ttx serve` on PostgreSQL creates
// an exercise, a participant's responses are acked over the WebSocket, the server is killed
// and started again as if a minute later (no replica held the clock meanwhile): the exercise
// is back, paused with the reason "no replica was running", with every acked response in its
// log once under the seq it was acked with; the database's password was never printed.
func TestServeOnPostgresKeepsResponsesAcrossRestart(t *testing.T) {
	bin := mustBuildTTX(t)
	dir := mustCrashScenarioDir(t)
	db := pgtest.URL(t)
	admin := "pg-admin-" + rand.Text()
	out := &wstest.LogBuffer{}

	srv := mustStartServer(t, bin, db, dir, admin, out)
	var x facilitator.Created
	srv.api(t, "POST", "/api/exercises", admin, map[string]any{"scenario": "crash", "speed": 60}, &x)
	base := "/api/exercises/" + x.ID
	srv.api(t, "POST", base+"/start", x.FacilitatorToken, nil, nil)

	obs := ackSignal{acked: make(chan struct{}, 1)}
	p := wstest.NewParticipant("irt", "Ines", x.Teams["irt"], crashTeams, crashActions, mrand.New(mrand.NewPCG(1, 2)), time.Millisecond)
	p.Observer = obs
	ph := wstest.NewPhases()
	sessionDone := make(chan error, 1)
	go func() {
		_, err := p.Session(wstest.WebSocketURL(srv.url), ph)
		sessionDone <- err
	}()
	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	for range 3 {
		select {
		case <-obs.acked:
		case err := <-sessionDone:
			require.Fail(t, "the session ended before three acks", "%v\n%s", err, out)
		case <-deadline.C:
			require.Fail(t, "no three acks within the deadline", out.String())
		}
	}
	close(ph.Quiet)
	select {
	case <-p.Drained:
	case <-deadline.C:
		require.Fail(t, "the participant's messages were not all acked", out.String())
	}
	srv.kill(t)
	select {
	case err := <-sessionDone:
		assert.ErrorIs(t, err, wstest.ErrLost)
	case <-deadline.C:
		require.Fail(t, "the session did not end with the server")
	}
	require.NotEmpty(t, p.Acked)

	// As if the server had stayed down a minute: nobody held the exercise's clock meanwhile.
	conn, err := pgx.Connect(context.Background(), db)
	require.NoError(t, err)
	_, err = conn.Exec(context.Background(), `UPDATE exercise_clocks SET seen = seen - interval '1 minute'`)
	require.NoError(t, err)
	require.NoError(t, conn.Close(context.Background()))

	srv = mustStartServer(t, bin, db, dir, admin, out)
	var detail struct {
		Status string `json:"status"`
	}
	for detail.Status != "paused" {
		// The replica that takes the clock pauses it: poll for that, with a deadline.
		select {
		case <-deadline.C:
			require.Fail(t, "the exercise was not paused after every replica was down", out.String())
		default:
		}
		srv.api(t, "GET", base, x.FacilitatorToken, nil, &detail)
	}
	srv.stop(t)

	store, err := postgres.Open(context.Background(), db)
	require.NoError(t, err)
	defer store.Close()
	events, err := store.Events(context.Background(), x.ID)
	require.NoError(t, err)
	bySeq := map[int64]engine.Event{}
	for i, e := range events {
		require.Equal(t, int64(i+1), e.Seq, "one log, no gap")
		bySeq[e.Seq] = e
	}
	for ref, seq := range p.Acked {
		assert.Equal(t, ref, bySeq[seq].Ref, "acked %s as seq %d", ref, seq)
	}
	last := events[len(events)-1]
	assert.Equal(t, engine.KindClock, last.Kind)
	assert.Equal(t, engine.ClockPaused, last.Clock)
	assert.Equal(t, engine.NoReplicaReason, last.Reason)
	assert.NotContains(t, out.String(), passwordOf(t, db), "the database's password is never printed")
}

// replicas is what the tests of `ttx serve` replicas share: the binary, the crash scenario's
// directory, a new database, the admin token and the servers' output.
type replicas struct {
	bin, dir, db, admin string
	out                 *wstest.LogBuffer
}

func newReplicas(t *testing.T) *replicas {
	t.Helper()
	return &replicas{bin: mustBuildTTX(t), dir: mustCrashScenarioDir(t), db: pgtest.URL(t), admin: "pg-admin-" + rand.Text(),
		out: &wstest.LogBuffer{}}
}

// create creates an exercise of the crash scenario on the server p.
func (r *replicas) create(t *testing.T, p *serverProc) facilitator.Created {
	t.Helper()
	var x facilitator.Created
	p.api(t, "POST", "/api/exercises", r.admin, map[string]any{"scenario": "crash", "speed": 60}, &x)
	return x
}

// serve starts one more `ttx serve` on the database.
func (r *replicas) serve(t *testing.T) *serverProc {
	t.Helper()
	return mustStartServer(t, r.bin, r.db, r.dir, r.admin, r.out)
}

// TestServeReplicasShareADatabase: two `ttx serve` on one database: an exercise created on
// one is run from the other, which finds its facilitator token in the database, and the
// first sees the start the second committed.
func TestServeReplicasShareADatabase(t *testing.T) {
	r := newReplicas(t)
	a, b := r.serve(t), r.serve(t)
	x := r.create(t, a)
	base := "/api/exercises/" + x.ID
	b.api(t, "POST", base+"/start", x.FacilitatorToken, nil, nil)
	var detail struct {
		Status string `json:"status"`
	}
	deadline := time.Now().Add(startTimeout)
	for detail.Status != "running" {
		require.True(t, time.Now().Before(deadline), "the first replica never saw the start:\n%s", r.out)
		a.api(t, "GET", base, x.FacilitatorToken, nil, &detail)
	}
	a.stop(t)
	b.stop(t)
}

// TestAReplacedFacilitatorTokenWorksOnEveryReplica: the admin replaces a facilitator token on
// one replica; the other, which already serves the exercise, takes the new token at once, and
// the old one stops working on both (the other hears of it by a notice).
func TestAReplacedFacilitatorTokenWorksOnEveryReplica(t *testing.T) {
	r := newReplicas(t)
	a, b := r.serve(t), r.serve(t)
	x := r.create(t, a)
	base := "/api/exercises/" + x.ID
	b.api(t, "GET", base, x.FacilitatorToken, nil, nil) // b serves it with the first token
	var fresh struct {
		FacilitatorToken string `json:"facilitator_token"`
	}
	a.api(t, "POST", base+"/facilitator-token", r.admin, nil, &fresh)
	require.NotEmpty(t, fresh.FacilitatorToken)
	client := &http.Client{Timeout: startTimeout}
	require.Error(t, wstest.Call(client, a.url, "GET", base, x.FacilitatorToken, nil, nil), "the old token on the replica that replaced it")
	// b hears of the change by a notice (before anyone shows it the new token): the old token
	// stops working there once it has.
	deadline := time.Now().Add(10 * time.Second)
	for wstest.Call(client, b.url, "GET", base, x.FacilitatorToken, nil, nil) == nil {
		require.True(t, time.Now().Before(deadline), "the old facilitator token still works on the other replica")
	}
	b.api(t, "GET", base, fresh.FacilitatorToken, nil, nil)
	a.api(t, "GET", base, fresh.FacilitatorToken, nil, nil)
	a.stop(t)
	b.stop(t)
}

// TestAReportOnAnotherReplicaIsRight: an exercise ended on one replica is history on the
// other: restarted, the other does not restore it but serves its report as the first renders it,
// from what the first kept in the database; once the first records an observation in the hot
// wash, the other hears of it (a notice, or its resync within a second) and from then on
// serves the new report, not the one kept before it.
func TestAReportOnAnotherReplicaIsRight(t *testing.T) {
	r := newReplicas(t)
	a, b := r.serve(t), r.serve(t)
	x := r.create(t, a)
	base := "/api/exercises/" + x.ID
	a.api(t, "POST", base+"/start", x.FacilitatorToken, nil, nil)
	a.api(t, "POST", base+"/end", x.FacilitatorToken, nil, nil)
	report := func(p *serverProc) string {
		var r json.RawMessage
		p.api(t, "GET", base+"/report", x.ReviewerToken, nil, &r)
		return string(r)
	}
	atEnd := report(a) // rendered by a, and kept in the database
	b.stop(t)
	b = r.serve(t)
	assert.Equal(t, atEnd, report(b), "served on the other replica as the first rendered it")

	a.api(t, "POST", base+"/observations", x.EvaluatorToken,
		map[string]any{"text": "the runbook was out of date", "capability": "containment", "rating": "M"}, nil)
	deadline := time.Now().Add(startTimeout)
	got := report(b)
	for ; got == atEnd; got = report(b) {
		require.True(t, time.Now().Before(deadline), "the other replica kept serving the report from before the observation:\n%s", r.out)
	}
	assert.Contains(t, got, "the runbook was out of date")
	assert.Equal(t, report(a), got)
	a.stop(t)
	b.stop(t)
}

// TestAHungReplicaIsTakenOver: the replica holding an exercise's clock is stopped (SIGSTOP: its
// process hangs, its connections stay open); the other takes the clock over once it has gone
// unbeaten for postgres.StaleHolder and fires the injects that come due; the hung one, let go
// again, fires none of them a second time, and the exercise never pauses.
func TestAHungReplicaIsTakenOver(t *testing.T) {
	r := newReplicas(t)
	procs := []*serverProc{
		mustStartServer(t, r.bin, withApplicationName(t, r.db, "replica-0"), r.dir, r.admin, r.out),
		mustStartServer(t, r.bin, withApplicationName(t, r.db, "replica-1"), r.dir, r.admin, r.out),
	}
	x := r.create(t, procs[0]) // speed 60: an inject every two real seconds
	procs[0].api(t, "POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil, nil)
	conn, err := pgx.Connect(context.Background(), r.db)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	owner := func() int { return clockOwner(t, conn, x.ID) }
	deadline := time.Now().Add(startTimeout)
	for owner() < 0 {
		require.True(t, time.Now().Before(deadline), "nobody took the clock:\n%s", r.out)
	}
	hung := owner()
	require.NoError(t, procs[hung].cmd.Process.Signal(syscall.SIGSTOP))
	stopped := time.Now()
	defer func() { _ = procs[hung].cmd.Process.Signal(syscall.SIGCONT) }()
	for owner() != 1-hung {
		require.Less(t, time.Since(stopped), postgres.StaleHolder+takeoverLimit, "the hung replica's clock was not taken over")
	}
	// Two injects come due and fire while the hung replica sleeps on.
	fired := func() int {
		n := 0
		for _, e := range mustStoredLog(t, r.db, x.ID) {
			if e.Kind == engine.KindInjectDelivered && e.Wall.After(stopped) {
				n++
			}
		}
		return n
	}
	for fired() < 2 {
		require.Less(t, time.Since(stopped), time.Minute, "no inject fired after the takeover:\n%s", r.out)
	}
	require.NoError(t, procs[hung].cmd.Process.Signal(syscall.SIGCONT))
	procs[hung].api(t, "GET", "/api/exercises/"+x.ID, x.FacilitatorToken, nil, nil) // awake again
	procs[1-hung].api(t, "POST", "/api/exercises/"+x.ID+"/pause", x.FacilitatorToken, nil, nil)

	events := mustStoredLog(t, r.db, x.ID)
	delivered := map[string]int{}
	for i, e := range events {
		require.Equal(t, int64(i+1), e.Seq, "one log, no gap")
		if e.Kind == engine.KindInjectDelivered {
			delivered[e.Inject]++
			assert.Equal(t, 1, delivered[e.Inject], "inject %s fired once", e.Inject)
		}
		if e.Kind == engine.KindClock && e.Clock == engine.ClockPaused {
			assert.Equal(t, len(events), i+1, "the only pause is the facilitator's, at the end: %+v", e)
		}
	}
	procs[0].stop(t)
	procs[1].stop(t)
}

// keyedAnswer is the answer to a POST with an Idempotency-Key.
type keyedAnswer struct {
	status   int
	body     string
	replayed bool
}

// postKeyed POSTs body to the server at base with token and the Idempotency-Key key.
func postKeyed(client *http.Client, base, path, token, key, body string) (keyedAnswer, error) {
	req, err := http.NewRequest("POST", base+path, strings.NewReader(body))
	if err != nil {
		return keyedAnswer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		return keyedAnswer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return keyedAnswer{status: resp.StatusCode, body: string(data), replayed: resp.Header.Get("Idempotent-Replayed") == "true"}, err
}

// TestRetriesAreAnsweredOnceAcrossReplicas: two `ttx serve` on one database. An observation
// sent to one with an Idempotency-Key and retried on the other gets the first answer there
// and is recorded once; the same observation sent with one key to both at once, again and
// again, is recorded once each time: one replica runs it, the other answers with its answer.
func TestRetriesAreAnsweredOnceAcrossReplicas(t *testing.T) {
	r := newReplicas(t)
	a, b := r.serve(t), r.serve(t)
	client := &http.Client{Timeout: startTimeout}
	x := r.create(t, a)
	path := "/api/exercises/" + x.ID + "/observations"
	a.api(t, "POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil, nil)
	obs := `{"text":"good","rating":"S"}`

	first, err := postKeyed(client, a.url, path, x.FacilitatorToken, "k-first", obs)
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, first.status, first.body)
	again, err := postKeyed(client, b.url, path, x.FacilitatorToken, "k-first", obs)
	require.NoError(t, err)
	assert.Equal(t, first, keyedAnswer{status: again.status, body: again.body}, "the first answer, from the other replica")
	assert.True(t, again.replayed, "replayed")

	const rounds = 10
	for i := range rounds {
		key := fmt.Sprint("k-", i)
		answers := make(chan keyedAnswer, 2)
		for _, srv := range []*serverProc{a, b} {
			go func() {
				answer, err := postKeyed(client, srv.url, path, x.FacilitatorToken, key, obs)
				assert.NoError(t, err)
				answers <- answer
			}()
		}
		one, other := <-answers, <-answers
		assert.Equal(t, http.StatusCreated, one.status, one.body)
		assert.Equal(t, one.body, other.body, "%s: one answer", key)
		assert.NotEqual(t, one.replayed, other.replayed, "%s: one ran, the other replayed", key)
	}
	a.stop(t)
	b.stop(t)

	n := 0
	for _, e := range mustStoredLog(t, r.db, x.ID) {
		if e.Kind == engine.KindObservation {
			n++
		}
	}
	assert.Equal(t, 1+rounds, n, "each observation recorded once")
}
