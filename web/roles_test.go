package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/facilitator"
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
		"evaluator":            x.EvaluatorToken,
		"evaluator of other":   other.EvaluatorToken,
		"admin":                testAdmin,
	}
	unauthenticated := map[string]bool{"none": true, "wrong token": true, "participant code": true}
	anyToken := []string{"facilitator", "facilitator of other", "reviewer", "reviewer of other", "evaluator", "evaluator of other", "admin"}

	// Each endpoint's action in facilitator.Policy, and who protocol.md lets through: the
	// table must say so, and the route must do what the table says.
	type endpoint struct {
		method, path string
		body         any
		action       facilitator.Action
		target       string
		allowed      []string
	}
	id := "/api/exercises/" + x.ID
	plan := "test-plan"
	endpoints := []endpoint{
		{"GET", "/api/whoami", nil, facilitator.ActWhoami, "", anyToken},
		{"GET", "/api/scenarios", nil, facilitator.ActListScenarios, "", []string{"admin"}},
		{"POST", "/api/exercises", map[string]any{"scenario": "test-scenario", "speed": 60}, facilitator.ActCreate, "", []string{"admin"}},
		{"GET", "/api/exercises", nil, facilitator.ActListAll, "", []string{"admin"}},
		{"GET", id, nil, facilitator.ActSee, x.ID, []string{"facilitator", "evaluator", "admin"}},
		{"POST", id + "/start", nil, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/pause", nil, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/resume", nil, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/speed", map[string]any{"speed": 30}, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/advance", nil, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/injects", map[string]any{"to": []string{"irt"}, "channel": "chat", "subject": "s"}, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/injects/news/hold", map[string]any{"held": true}, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/injects/news/trigger", nil, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/observations", map[string]any{"text": "t", "rating": "P"}, facilitator.ActObserve, x.ID, []string{"facilitator", "evaluator"}},
		{"GET", id + "/report?format=json", nil, facilitator.ActReport, x.ID, []string{"reviewer", "evaluator", "admin"}},
		{"GET", id + "/charts/team", nil, facilitator.ActReport, x.ID, []string{"reviewer", "evaluator", "admin"}},
		{"GET", id + "/msel?format=csv", nil, facilitator.ActMSEL, x.ID, []string{"facilitator", "admin"}},
		{"GET", "/api/plans/test-plan/readiness", nil, facilitator.ActReviewPlan, plan, []string{"reviewer", "reviewer of other", "admin"}},
		{"GET", "/api/plans/test-plan/revision", nil, facilitator.ActReviewPlan, plan, []string{"reviewer", "reviewer of other", "admin"}},
		{"GET", "/api/review/exercises", nil, facilitator.ActListReviews, "", []string{"reviewer", "reviewer of other", "admin"}},
		{"GET", id + "/eeg", nil, facilitator.ActEEG, x.ID, []string{"facilitator", "evaluator", "admin"}},
		{"POST", id + "/next-module", nil, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/teams/irt/played", nil, facilitator.ActMarkPlayed, x.ID, []string{"facilitator"}},
		{"POST", id + "/end", nil, facilitator.ActRun, x.ID, []string{"facilitator"}},
		{"POST", id + "/close", nil, facilitator.ActClose, x.ID, []string{"facilitator", "admin"}},
	}
	for _, ep := range endpoints {
		for caller, token := range callers {
			if unauthenticated[caller] {
				continue
			}
			p, err := e.m.Authenticate(token)
			require.NoError(t, err)
			assert.Equal(t, inList(ep.allowed, caller), e.m.Allowed(ep.action, p, ep.target) == nil,
				"facilitator.Policy on %s %s for %s", ep.method, ep.path, caller)
		}
	}
	for _, ep := range endpoints {
		for caller, token := range callers {
			t.Run(ep.method+" "+ep.path+" as "+caller, func(t *testing.T) {
				r := e.request(ep.method, ep.path, token, ep.body)
				switch {
				case unauthenticated[caller]:
					assert.Equal(t, http.StatusUnauthorized, r.status, "%s", r.body)
				case inList(ep.allowed, caller):
					assert.NotContains(t, []int{401, 403}, r.status, "%s", r.body)
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

// TestEvaluatorRole: the evaluator token handed out at creation (protocol.md v2) is named
// by whoami, records observations, reads the report, and runs nothing.
func TestEvaluatorRole(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	require.NotEmpty(t, x.EvaluatorToken)
	var who struct{ Role, Exercise string }
	e.mustRequest("GET", "/api/whoami", x.EvaluatorToken, nil, http.StatusOK, &who)
	assert.Equal(t, "evaluator", who.Role)
	assert.Equal(t, x.ID, who.Exercise)
	base := "/api/exercises/" + x.ID
	e.mustRequest("POST", base+"/observations", x.EvaluatorToken, map[string]any{"text": "calm", "rating": "S"}, http.StatusCreated, nil)
	e.mustRequest("GET", base+"/report", x.EvaluatorToken, nil, http.StatusOK, nil)
	r := e.request("POST", base+"/pause", x.EvaluatorToken, nil)
	assert.Equal(t, http.StatusForbidden, r.status)
	assert.Contains(t, r.errorText(), "only this exercise's facilitator token may run it")
}

// TestObservationsSayWhoRecordedThem: an observation is logged with the role that recorded
// it and, when given, the team observed.
func TestObservationsSayWhoRecordedThem(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	base := "/api/exercises/" + x.ID
	e.mustRequest("POST", base+"/observations", x.EvaluatorToken, map[string]any{"text": "calm", "rating": "S", "team": "irt"}, http.StatusCreated, nil)
	e.mustRequest("POST", base+"/observations", x.FacilitatorToken, map[string]any{"text": "quick", "rating": "P"}, http.StatusCreated, nil)
	var by, teams []string
	for _, ev := range e.logOf(x.ID) {
		if ev.Kind == "observation" {
			by, teams = append(by, ev.By), append(teams, ev.Team)
		}
	}
	assert.Equal(t, []string{"evaluator", "facilitator"}, by)
	assert.Equal(t, []string{"irt", ""}, teams)
}
