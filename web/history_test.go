package web_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
)

// archiveReads are what a reviewer (or the admin) reads of the finished exercises a1 and b1:
// every report format, every chart, the plan's readiness and revision, the review list.
func (r *reviewEnv) archiveReads() map[string][]byte {
	r.t.Helper()
	out := map[string][]byte{}
	get := func(path, token string) {
		resp := r.request(http.MethodGet, path, token, nil)
		require.Equal(r.t, http.StatusOK, resp.status, "%s: %s", path, resp.body)
		out[path] = resp.body
	}
	for _, format := range []string{"json", "md", "html", "csv", "csv&table=timeline", "docx"} {
		get("/api/exercises/"+r.a1.ID+"/report?format="+format, r.a1.ReviewerToken)
	}
	for _, chart := range []string{"timeline", "team", "capability", "phase"} {
		get("/api/exercises/"+r.a1.ID+"/charts/"+chart, r.a1.ReviewerToken)
	}
	get("/api/exercises/"+r.a2.ID+"/report", r.a1.ReviewerToken) // another exercise of the plan
	get("/api/exercises/"+r.b1.ID+"/report?format=md", r.b1.ReviewerToken)
	get("/api/plans/test-plan/readiness", r.a1.ReviewerToken)
	get("/api/plans/test-plan/readiness?format=svg", r.a1.ReviewerToken)
	get("/api/review/exercises", r.a1.ReviewerToken)
	get("/api/review/exercises", testAdmin)
	get("/api/exercises", testAdmin)
	return out
}

// TestArchiveServedAsBefore is issue 17's "done": after a restart the finished exercises are
// not in memory, and their reports, charts, readiness and review rows are served from what
// the store keeps, byte for byte as when they were in memory; their credentials answer.
func TestArchiveServedAsBefore(t *testing.T) {
	r := newReviewEnv(t)
	before := r.archiveReads()
	r.restart()
	for _, id := range []string{r.a1.ID, r.a2.ID, r.b1.ID} {
		_, in := r.m.InMemory(id)
		assert.False(t, in, "a restart leaves the finished exercise %s in the store", id)
	}
	_, in := r.m.InMemory(r.a3.ID)
	assert.True(t, in, "the exercise that can still change is restored")
	after := r.archiveReads()
	for path, body := range before {
		assert.Equal(t, string(body), string(after[path]), "%s is served as before", path)
	}
	assert.Zero(t, r.m.Resident(), "served from what the store keeps, without loading them")

	// The revision reads whole reports: it loads them, and proposes the same.
	revision := "/api/plans/test-plan/revision"
	resp := r.request(http.MethodGet, revision, r.a1.ReviewerToken, nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	r.restart()
	again := r.request(http.MethodGet, revision, r.a1.ReviewerToken, nil)
	assert.Equal(t, string(resp.body), string(again.body))
}

// catalogOnly is a store that lists a catalogue and finds credentials but keeps nothing derived: every read of a
// finished exercise loads it from its log.
type catalogOnly struct {
	engine.Store
	engine.Cataloguer
	engine.CredentialFinder
}

// TestArchiveLoadedAsBefore: with nothing kept, a finished exercise read after a restart is
// loaded from the store and served byte for byte as before.
func TestArchiveLoadedAsBefore(t *testing.T) {
	r := newReviewEnv(t)
	before := r.archiveReads()
	r.wrap = func(s *sqlite.Store) engine.Store { return catalogOnly{s, s, s} }
	r.restart()
	assert.Zero(t, r.m.Resident())
	after := r.archiveReads()
	for path, body := range before {
		assert.Equal(t, string(body), string(after[path]), "%s is served as before", path)
	}
	assert.Equal(t, 3, r.m.Resident(), "each finished exercise read was loaded")
}
