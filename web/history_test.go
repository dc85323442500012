package web_test

import (
	"encoding/json"
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
	engine.CredentialIndex
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

// TestReviewListPages: the review list comes in pages of limit entries from offset, newest
// first, with the total in X-Total-Count; a bad limit or offset is refused with a sentence.
func TestReviewListPages(t *testing.T) {
	r := newReviewEnv(t)
	ids := func(resp response) []string {
		var list []struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(resp.body, &list), "%s", resp.body)
		out := []string{}
		for _, e := range list {
			out = append(out, e.ID)
		}
		return out
	}
	all := r.request(http.MethodGet, "/api/review/exercises", testAdmin, nil)
	require.Equal(t, http.StatusOK, all.status)
	assert.Equal(t, "3", all.header.Get("X-Total-Count"))
	every := ids(all)
	require.Len(t, every, 3)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"?limit=2", every[:2]},
		{"?limit=2&offset=2", every[2:]},
		{"?offset=1", every[1:]},
		{"?offset=3", []string{}},
		{"?limit=1000", every},
	} {
		resp := r.request(http.MethodGet, "/api/review/exercises"+c.query, testAdmin, nil)
		require.Equal(t, http.StatusOK, resp.status, c.query)
		assert.Equal(t, c.want, ids(resp), c.query)
		assert.Equal(t, "3", resp.header.Get("X-Total-Count"), c.query)
	}
	for query, says := range map[string]string{
		"?limit=0":    "limit: give a whole number from 1 to 1000",
		"?limit=1001": "limit: give a whole number from 1 to 1000",
		"?limit=x":    "limit: give a whole number from 1 to 1000",
		"?offset=-1":  "offset: give a whole number from 0",
	} {
		resp := r.request(http.MethodGet, "/api/review/exercises"+query, testAdmin, nil)
		assert.Equal(t, http.StatusBadRequest, resp.status, query)
		assert.Contains(t, resp.errorText(), says, query)
	}
}
