package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
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
		h := map[string]string{"Authorization": "Bearer " + x.FacilitatorToken, "Content-Type": "application/json"}
		if key != "" {
			h["Idempotency-Key"] = key
		}
		return e.rawRequest("POST", base+path, h, []byte(body))
	}
	count := func(kind string) int {
		n := 0
		for _, ev := range e.logOf(x.ID) {
			if ev.Kind == kind {
				n++
			}
		}
		return n
	}
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
