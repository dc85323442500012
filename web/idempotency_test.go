package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/web"
)

// TestRetriedCommandsRecordOnce: a POST retried with its Idempotency-Key gets the first
// answer and records nothing more; the same key with another body is refused; without a key
// each POST records.
func TestRetriedCommandsRecordOnce(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	base := "/api/exercises/" + x.ID
	post := func(path, key, body string) response {
		t.Helper()
		return e.rawRequest("POST", base+path, keyedHeader(x.FacilitatorToken, key), []byte(body))
	}
	count := func(kind string) int { return e.countKind(x.ID, kind) }
	inject := `{"to":["irt"],"channel":"chat","subject":"Ad hoc"}`
	first := post("/injects", "k-1", inject)
	require.Equal(t, http.StatusCreated, first.status, "%s", first.body)
	before := count(engine.KindInjectDelivered)
	for range 3 {
		again := post("/injects", "k-1", inject)
		assert.Equal(t, http.StatusCreated, again.status)
		assert.Equal(t, first.body, again.body, "the first answer again")
		assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	}
	assert.Equal(t, before, count(engine.KindInjectDelivered), "recorded once")

	other := post("/injects", "k-1", `{"to":["irt"],"channel":"chat","subject":"Another"}`)
	assert.Equal(t, http.StatusConflict, other.status)
	assert.Contains(t, other.errorText(), "was sent with another request")

	obs := `{"text":"good","rating":"S"}`
	require.Equal(t, http.StatusCreated, post("/observations", "k-1", obs).status, "a key is per route")
	require.Equal(t, http.StatusCreated, post("/observations", "k-1", obs).status)
	assert.Equal(t, 1, count(engine.KindObservation))
	require.Equal(t, http.StatusCreated, post("/observations", "", obs).status)
	assert.Equal(t, 2, count(engine.KindObservation), "without a key each POST records")

	require.Equal(t, http.StatusOK, post("/pause", "p-1", "").status)
	again := post("/pause", "p-1", "")
	assert.Equal(t, http.StatusOK, again.status, "a retried pause is not a 409: %s", again.body)
	assert.Equal(t, http.StatusConflict, post("/pause", "p-2", "").status, "a new pause is")
	bad := post("/resume", strings.Repeat("k", 101), "")
	assert.Equal(t, http.StatusBadRequest, bad.status)
	assert.Contains(t, bad.errorText(), "Idempotency-Key: is longer than 100 characters")
}

// keyedHeader is the headers of a command with an Idempotency-Key (none when key is "").
func keyedHeader(token, key string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return h
}

// postAsync POSTs body from another goroutine and sends the answer on answers.
func (e *env) postAsync(path string, header map[string]string, body []byte, answers chan<- response) {
	go func() {
		r, err := e.tryRequest("POST", path, header, body)
		assert.NoError(e.t, err)
		answers <- r
	}()
}

// countKind is how many events of kind the log of exercise id holds.
func (e *env) countKind(id, kind string) int {
	e.t.Helper()
	n := 0
	for _, ev := range e.logOf(id) {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

// TestRetriedCommandsRecordOnceAcrossARestart: the claims and answers are the store's: a
// retry after the server restarted on the same SQLite file gets the first answer and records
// nothing more; the admin's retried creation gets the same tokens again, which are in the
// database only sealed.
func TestRetriedCommandsRecordOnceAcrossARestart(t *testing.T) {
	e := newEnv(t)
	create := []byte(`{"scenario":"test-scenario","speed":60}`)
	created := e.rawRequest("POST", "/api/exercises", keyedHeader(testAdmin, "c-1"), create)
	require.Equal(t, http.StatusCreated, created.status, "%s", created.body)
	var x facilitator.Created
	require.NoError(t, json.Unmarshal(created.body, &x))
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)
	obs := []byte(`{"text":"good","rating":"S"}`)
	first := e.rawRequest("POST", "/api/exercises/"+x.ID+"/observations", keyedHeader(x.FacilitatorToken, "k-1"), obs)
	require.Equal(t, http.StatusCreated, first.status, "%s", first.body)

	e.restart()
	again := e.rawRequest("POST", "/api/exercises/"+x.ID+"/observations", keyedHeader(x.FacilitatorToken, "k-1"), obs)
	assert.Equal(t, http.StatusCreated, again.status)
	assert.Equal(t, first.body, again.body, "the first answer again")
	assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	assert.Equal(t, 1, e.countKind(x.ID, engine.KindObservation), "recorded once")

	recreated := e.rawRequest("POST", "/api/exercises", keyedHeader(testAdmin, "c-1"), create)
	assert.Equal(t, http.StatusCreated, recreated.status)
	assert.Equal(t, created.body, recreated.body, "the same exercise and tokens")
	assert.Len(t, e.m.Exercises(), 1, "created once")
	e.stop()
	for _, file := range []string{e.dbPath, e.dbPath + "-wal"} {
		data, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		assert.False(t, bytes.Contains(data, []byte(x.FacilitatorToken)), "no token in clear in %s", file)
	}
}

// TestARetryWaitsForTheFirst: a retry sent while the first request still runs (its append
// held by a stalled disk) waits for it, then gets its answer; the command is recorded once.
func TestARetryWaitsForTheFirst(t *testing.T) {
	e := newEnv(t)
	disk := onStalledDisk(e)
	x := e.mustStart()
	path := "/api/exercises/" + x.ID + "/observations"
	obs := []byte(`{"text":"good","rating":"S"}`)
	disk.stall()
	answers := make(chan response, 2)
	for range 2 {
		e.postAsync(path, keyedHeader(x.FacilitatorToken, "k-1"), obs, answers)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// One request runs, held by the disk; the other has found it running and waits.
	require.NoError(t, e.limits.BlockUntilContext(ctx, 1), "a retry waits for the first")
	disk.unstall()
	var got []response
	next := func() {
		t.Helper()
		select {
		case r := <-answers:
			got = append(got, r)
		case <-ctx.Done():
			require.Fail(t, "no answer")
		}
	}
	next() // the first: its answer is kept before it is sent
	e.limits.Advance(time.Second)
	next()
	for _, r := range got {
		assert.Equal(t, http.StatusCreated, r.status, "%s", r.body)
		assert.Equal(t, got[0].body, r.body)
	}
	assert.Equal(t, "true", got[1].header.Get("Idempotent-Replayed"), "the one that waited")
	assert.Empty(t, got[0].header.Get("Idempotent-Replayed"))
	assert.Equal(t, 1, e.countKind(x.ID, engine.KindObservation), "recorded once")
}

// TestAnUnansweredClaimIsUncertain: a claim whose server died before answering (its row left
// unanswered in the database) holds its retries no longer than twice the command timeout;
// then they are told it may have been recorded, and nothing more is.
func TestAnUnansweredClaimIsUncertain(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	path := "/api/exercises/" + x.ID + "/observations"
	obs := []byte(`{"text":"good","rating":"S"}`)
	require.Equal(t, http.StatusCreated, e.rawRequest("POST", path, keyedHeader(x.FacilitatorToken, "k-1"), obs).status)
	e.stop()
	db, err := sql.Open("sqlite", sqlite.DSN(e.dbPath))
	require.NoError(t, err)
	res, err := db.Exec(`UPDATE idempotency SET status = NULL, body = NULL`) // as if it died before answering
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "the claim is in the database")
	require.NoError(t, db.Close())
	e.start()

	answer := make(chan response, 1)
	e.postAsync(path, keyedHeader(x.FacilitatorToken, "k-1"), obs, answer)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, e.limits.BlockUntilContext(ctx, 1), "the retry waits for the first")
	e.limits.Advance(20*time.Second + time.Millisecond) // twice the default command timeout
	select {
	case r := <-answer:
		assert.Equal(t, http.StatusConflict, r.status, "%s", r.body)
		assert.Contains(t, r.errorText(), "its server stopped, and may have been recorded")
	case <-ctx.Done():
		require.Fail(t, "the retry waited past twice the command timeout")
	}
	assert.Equal(t, 1, e.countKind(x.ID, engine.KindObservation), "nothing more recorded")
}

// TestFailedFirstAnswers: a first request that failed (500) is forgotten, so that its retry
// runs and records; one that ran out of time (503) may still be recorded, so its retries are
// refused with a sentence that says so, even once the disk answers.
func TestFailedFirstAnswers(t *testing.T) {
	t.Run("500", func(t *testing.T) {
		e := newEnv(t)
		disk := onFailingDisk(e)
		x := e.mustStart()
		path := "/api/exercises/" + x.ID + "/observations"
		obs := []byte(`{"text":"good","rating":"S"}`)
		disk.full.Store(true)
		require.Equal(t, http.StatusInternalServerError, e.rawRequest("POST", path, keyedHeader(x.FacilitatorToken, "k-1"), obs).status)
		disk.full.Store(false)
		again := e.rawRequest("POST", path, keyedHeader(x.FacilitatorToken, "k-1"), obs)
		assert.Equal(t, http.StatusCreated, again.status, "%s", again.body)
		assert.Empty(t, again.header.Get("Idempotent-Replayed"), "it ran")
		assert.Equal(t, 1, e.countKind(x.ID, engine.KindObservation))
	})
	t.Run("503", func(t *testing.T) {
		e := newEnv(t, func(c *web.Config) { c.CommandTimeout = 200 * time.Millisecond })
		disk := onStalledDisk(e)
		x := e.mustStart()
		path := "/api/exercises/" + x.ID + "/observations"
		obs := []byte(`{"text":"good","rating":"S"}`)
		disk.stall()
		require.Equal(t, http.StatusServiceUnavailable, e.rawRequest("POST", path, keyedHeader(x.FacilitatorToken, "k-1"), obs).status)
		again := e.rawRequest("POST", path, keyedHeader(x.FacilitatorToken, "k-1"), obs)
		assert.Equal(t, http.StatusConflict, again.status)
		assert.Contains(t, again.errorText(), "may have been recorded")
		disk.unstall()
		again = e.rawRequest("POST", path, keyedHeader(x.FacilitatorToken, "k-1"), obs)
		assert.Equal(t, http.StatusConflict, again.status, "%s", again.body)
	})
}
