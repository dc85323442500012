package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ttx-dev/ttx/web"
)

// TestRoleMatrix sends every endpoint every kind of caller: only what protocol.md allows
// gets through; the rest is 401 (no or wrong credential) or 403 (a credential without the
// right), and the answer is the same whether the exercise asked for exists or not.
func TestRoleMatrix(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.GuessBurst, c.GlobalGuessBurst = 1<<20, 1<<20 })
	x := e.mustCreate()
	other := e.mustCreate()

	callers := map[string]string{
		"none":                 "",
		"wrong token":          "not-a-token",
		"participant code":     x.Teams["irt"],
		"facilitator":          x.FacilitatorToken,
		"facilitator of other": other.FacilitatorToken,
		"reviewer":             x.ReviewerToken,
		"reviewer of other":    other.ReviewerToken,
		"admin":                testAdmin,
	}
	unauthenticated := map[string]bool{"none": true, "wrong token": true, "participant code": true}
	anyToken := []string{"facilitator", "facilitator of other", "reviewer", "reviewer of other", "admin"}

	type endpoint struct {
		method, path string
		body         any
		allowed      []string
	}
	id := "/api/exercises/" + x.ID
	endpoints := []endpoint{
		{"GET", "/api/whoami", nil, anyToken},
		{"GET", "/api/scenarios", nil, []string{"admin"}},
		{"POST", "/api/exercises", map[string]any{"scenario": "test-scenario", "speed": 60}, []string{"admin"}},
		{"GET", "/api/exercises", nil, []string{"admin"}},
		{"GET", id, nil, []string{"facilitator", "admin"}},
		{"POST", id + "/start", nil, []string{"facilitator"}},
		{"POST", id + "/pause", nil, []string{"facilitator"}},
		{"POST", id + "/resume", nil, []string{"facilitator"}},
		{"POST", id + "/speed", map[string]any{"speed": 30}, []string{"facilitator"}},
		{"POST", id + "/advance", nil, []string{"facilitator"}},
		{"POST", id + "/injects", map[string]any{"to": []string{"irt"}, "channel": "chat", "subject": "s"}, []string{"facilitator"}},
		{"POST", id + "/injects/news/hold", map[string]any{"held": true}, []string{"facilitator"}},
		{"POST", id + "/injects/news/trigger", nil, []string{"facilitator"}},
		{"POST", id + "/observations", map[string]any{"text": "t", "rating": "P"}, []string{"facilitator"}},
		{"GET", id + "/report?format=json", nil, []string{"reviewer", "admin"}},
		{"GET", id + "/charts/team", nil, []string{"reviewer", "admin"}},
		{"GET", "/api/plans/test-plan/readiness", nil, []string{"reviewer", "reviewer of other", "admin"}},
		{"GET", "/api/review/exercises", nil, []string{"reviewer", "reviewer of other", "admin"}},
		{"POST", id + "/end", nil, []string{"facilitator"}},
	}
	for _, ep := range endpoints {
		for caller, token := range callers {
			t.Run(ep.method+" "+ep.path+" as "+caller, func(t *testing.T) {
				r := e.request(ep.method, ep.path, token, ep.body)
				switch {
				case unauthenticated[caller]:
					assert.Equal(t, http.StatusUnauthorized, r.status, "%s", r.body)
				case inList(ep.allowed, caller):
					assert.NotContains(t, []int{401, 403, 404}, r.status, "%s", r.body)
				default:
					assert.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
					assertSaysWhoMay(t, r.errorText(), caller, ep.allowed)
				}
			})
		}
	}

	// Nobody but the admin learns whether an exercise exists.
	for _, path := range []string{"/api/exercises/nosuchthing", "/api/exercises/nosuchthing/report", "/api/exercises/nosuchthing/start"} {
		method := "GET"
		if strings.HasSuffix(path, "start") {
			method = "POST"
		}
		for _, caller := range []string{"facilitator", "reviewer"} {
			r := e.request(method, path, callers[caller], nil)
			assert.Equal(t, http.StatusForbidden, r.status, "%s %s as %s", method, path, caller)
		}
		assert.Equal(t, http.StatusUnauthorized, e.request(method, path, "", nil).status)
	}
	r := e.request("GET", "/api/exercises/nosuchthing", testAdmin, nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	// The 403s for an existing and a missing exercise say the same.
	a := e.request("GET", "/api/exercises/"+x.ID, other.FacilitatorToken, nil)
	b := e.request("GET", "/api/exercises/nosuchthing", other.FacilitatorToken, nil)
	assert.Equal(t, a, b)
}

// assertSaysWhoMay checks a 403's sentence: it names the role of every caller allowed
// through, and never the role of the refused caller unless a caller of that role (of the
// right exercise) is allowed.
func assertSaysWhoMay(t *testing.T, sentence, refused string, allowed []string) {
	t.Helper()
	roleOf := func(caller string) string { return strings.Fields(caller)[0] }
	for _, a := range allowed {
		assert.Contains(t, sentence, roleOf(a), "the 403 says who may")
	}
	for _, a := range allowed {
		if roleOf(a) == roleOf(refused) {
			return
		}
	}
	assert.NotContains(t, sentence, roleOf(refused), "the 403 names the role just refused")
}

func inList(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
