package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/web"
)

func TestReportAndReadiness(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	base := "/api/exercises/" + x.ID
	desk, _ := e.participant(x.Teams["service_desk"], "Sam", 0)
	desk.send(msg{"type": "act", "ref": "r1", "action": "log_report"})
	_, _, _ = desk.ackAndEvent("r1")
	e.mustRequest("POST", base+"/end", x.FacilitatorToken, nil, http.StatusOK, nil)

	var report struct {
		Exercise struct{ ID, Status string }
		Items    []struct {
			ID     string `json:"id"`
			Team   string `json:"team"`
			Credit *float64
		}
	}
	e.mustRequest("GET", base+"/report", x.ReviewerToken, nil, http.StatusOK, &report)
	assert.Equal(t, x.ID, report.Exercise.ID)
	assert.Equal(t, "ended", report.Exercise.Status)
	var logged bool
	for _, it := range report.Items {
		if it.ID == "log_report" && it.Credit != nil && *it.Credit == 1 {
			logged = true
		}
	}
	assert.True(t, logged, "log_report recorded on time scores 1: %+v", report.Items)

	for format, ctype := range map[string]string{"md": "text/markdown", "markdown": "text/markdown", "html": "text/html", "csv": "text/csv", "json": "application/json"} {
		req, err := http.NewRequest("GET", e.ts.URL+base+"/report?format="+format, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+testAdmin)
		resp, err := e.ts.Client().Do(req)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, format)
		assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), ctype), "%s: %s", format, resp.Header.Get("Content-Type"))
	}
	r := e.request("GET", base+"/report?format=pdf", x.ReviewerToken, nil)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.errorText(), `unknown report format "pdf"`)
	r = e.request("GET", base+"/report?fmt=md", x.ReviewerToken, nil)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.errorText(), `unknown query parameter "fmt"`)

	var trend struct {
		Plan      string
		Exercises []struct{ ID string }
	}
	e.mustRequest("GET", "/api/plans/test-plan/readiness", x.ReviewerToken, nil, http.StatusOK, &trend)
	assert.Equal(t, "test-plan", trend.Plan)
	require.Len(t, trend.Exercises, 1)
	assert.Equal(t, x.ID, trend.Exercises[0].ID)
	r = e.request("GET", "/api/plans/other-plan/readiness", x.ReviewerToken, nil)
	assert.Equal(t, http.StatusForbidden, r.status)
	r = e.request("GET", "/api/plans/other-plan/readiness", testAdmin, nil)
	assert.Equal(t, http.StatusNotFound, r.status)
}

// TestDefaultLogIsQuiet: without AccessLog the log has no line per request, only the
// exercises' lifecycle, warnings and errors; with it, one line per request.
func TestDefaultLogIsQuiet(t *testing.T) {
	for _, access := range []bool{false, true} {
		e := newEnv(t, func(c *web.Config) { c.AccessLog = access })
		x := e.mustStart()
		e.mustRequest("GET", "/api/exercises/"+x.ID, x.FacilitatorToken, nil, http.StatusOK, nil)
		e.request("GET", "/healthz", "", nil)
		e.stop()
		logs := e.logs.String()
		assert.Contains(t, logs, `msg="exercise created" exercise=`+x.ID, "the lifecycle is logged")
		if access {
			assert.Contains(t, logs, "path=/api/exercises/"+x.ID)
		} else {
			assert.NotContains(t, logs, "msg=request", "no line per request by default")
		}
	}
}

// TestLogsHoldNoSecrets plays everything that carries a token or a join code, right or wrong,
// and reads the server's log: no token or code appears in it.
func TestLogsHoldNoSecrets(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.AccessLog = true })
	x := e.mustStart()
	base := "/api/exercises/" + x.ID
	e.mustRequest("GET", base, x.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("GET", base+"/report", x.ReviewerToken, nil, http.StatusOK, nil)
	e.request("GET", "/api/whoami", "wrong-secret-token-xyz", nil)
	e.request("POST", "/api/exercises", testAdmin, `{"scenario": "`+x.FacilitatorToken+`"}`)
	e.request("POST", base+"/observations", x.FacilitatorToken, `{"text": "`+x.Teams["irt"]+`", "rating": "X"}`)
	for team, code := range x.Teams {
		c, _ := e.participant(code, "N-"+team, 0)
		c.send(msg{"type": "note", "ref": "n", "text": "a note"})
		_ = c.reply("n")
	}
	_, _ = e.facilitatorWS(x.FacilitatorToken, x.ID)
	c := e.dial()
	c.send(msg{"type": "hello", "code": "WRNG-C0DE", "name": "x"})
	_ = c.closed()
	e.stop()

	logs := e.logs.String()
	require.Contains(t, logs, "path=/api/whoami", "the log is the server's")
	secrets := []string{testAdmin, x.FacilitatorToken, x.ReviewerToken, "wrong-secret-token-xyz", "WRNG-C0DE", "WRNGC0DE"}
	for _, code := range x.Teams {
		secrets = append(secrets, code, facilitator.NormalizeJoinCode(code))
	}
	for _, s := range secrets {
		assert.NotContains(t, logs, s)
	}
	assert.NotContains(t, logs, "Bearer")
}

// TestRestartBringsExercisesBack: a server restarted over the same database has every
// exercise back, paused where it was, with the same credentials and the whole log.
func TestRestartBringsExercisesBack(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	waiting := e.mustCreate()
	base := "/api/exercises/" + x.ID
	e.mustRequest("POST", base+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil)
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	irt.send(msg{"type": "act", "ref": "r1", "action": "contain_hosts"})
	ack, _, _ := irt.ackAndEvent("r1")

	e.restart()

	var list []struct{ ID, Status string }
	e.mustRequest("GET", "/api/exercises", testAdmin, nil, http.StatusOK, &list)
	status := map[string]string{}
	for _, l := range list {
		status[l.ID] = l.Status
	}
	assert.Equal(t, map[string]string{x.ID: "paused", waiting.ID: "created"}, status)

	var detail struct {
		SimTime string `json:"sim_time"`
		Speed   float64
	}
	e.mustRequest("GET", base, x.FacilitatorToken, nil, http.StatusOK, &detail)
	assert.Equal(t, "10m0s", detail.SimTime)
	e.mustRequest("GET", "/api/exercises/"+waiting.ID, waiting.FacilitatorToken, nil, http.StatusOK, &detail)
	assert.Equal(t, 60.0, detail.Speed)

	again, w := e.participant(x.Teams["irt"], "Ines", 0)
	assert.Equal(t, "paused", w["exercise"].(map[string]any)["status"])
	rec, _ := again.until(func(m msg) bool { return m.seq() == ack.seq() })
	assert.Equal(t, "action_recorded", rec.str("kind"))
	paused, _ := again.until(isEvent("clock"))
	assert.Equal(t, "paused", paused.str("clock"))
	assert.Equal(t, "server restarted", paused.str("reason"))

	// The same ref after the restart is still the same response.
	again.send(msg{"type": "act", "ref": "r1", "action": "contain_hosts"})
	assert.Equal(t, ack.seq(), again.reply("r1").seq())
	e.mustRequest("POST", base+"/resume", x.FacilitatorToken, nil, http.StatusOK, nil)
	again.send(msg{"type": "note", "ref": "r2", "text": "back"})
	assert.Equal(t, "ack", again.reply("r2").str("type"))
	e.mustRequest("GET", "/api/exercises/"+x.ID+"/report", x.ReviewerToken, nil, http.StatusOK, nil)

	// Tokens stay hashed: the store holds no token in clear (join codes are kept in clear
	// beside their hashes, to be shown again: docs/reliability.md).
	xl, err := e.m.Exercise(x.ID)
	require.NoError(t, err)
	creds, err := json.Marshal(xl.Record().Credentials)
	require.NoError(t, err)
	for _, s := range []string{x.FacilitatorToken, x.ReviewerToken} {
		assert.NotContains(t, string(creds), s)
	}
	assert.Equal(t, x.Teams, xl.JoinCodes(), "the codes come back with the exercise")
}

// TestReplaceFacilitatorTokenRoute: only the admin replaces a facilitator token; the new one
// runs the exercise and the lost one no longer does.
func TestReplaceFacilitatorTokenRoute(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	path := "/api/exercises/" + x.ID + "/facilitator-token"
	e.mustRequest("POST", path, x.FacilitatorToken, nil, http.StatusForbidden, nil)
	e.mustRequest("POST", path, x.ReviewerToken, nil, http.StatusForbidden, nil)
	var out struct {
		FacilitatorToken string `json:"facilitator_token"`
	}
	e.mustRequest("POST", path, testAdmin, nil, http.StatusOK, &out)
	require.NotEmpty(t, out.FacilitatorToken)
	e.mustRequest("GET", "/api/exercises/"+x.ID, out.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("GET", "/api/exercises/"+x.ID, x.FacilitatorToken, nil, http.StatusUnauthorized, nil)
	e.mustRequest("POST", "/api/exercises/nope/facilitator-token", testAdmin, nil, http.StatusNotFound, nil)
}

// TestRescheduleRoute: a new due time is checked at the edge and by the engine, and shows in
// the upcoming injects.
func TestRescheduleRoute(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	base := "/api/exercises/" + x.ID + "/injects/news/reschedule"
	e.mustRequest("POST", base, x.FacilitatorToken, `{}`, http.StatusBadRequest, nil)
	e.mustRequest("POST", base, x.FacilitatorToken, `{"due": "soon"}`, http.StatusBadRequest, nil)
	e.mustRequest("POST", base, x.FacilitatorToken, `{"due": "9h"}`, http.StatusBadRequest, nil)
	e.mustRequest("POST", base, x.FacilitatorToken, `{"due": "1h30m"}`, http.StatusOK, nil)
	var d struct {
		Upcoming []struct{ Name, Due string } `json:"upcoming"`
	}
	e.mustRequest("GET", "/api/exercises/"+x.ID, x.FacilitatorToken, nil, http.StatusOK, &d)
	due := map[string]string{}
	for _, u := range d.Upcoming {
		due[u.Name] = u.Due
	}
	assert.Equal(t, "1h30m0s", due["news"])
}

// TestAnUnrestorableExerciseIsListed: a stored exercise that cannot come back is listed for
// the admin with the reason, beside the others.
func TestAnUnrestorableExerciseIsListed(t *testing.T) {
	e := newEnv(t)
	x := e.mustCreate()
	e.stop()
	store, err := sqlite.Open(e.dbPath)
	require.NoError(t, err)
	require.NoError(t, store.CreateExercise(context.Background(), engine.ExerciseRecord{ID: "brokenxxxx",
		Scenario: "gone", Plan: "test-plan", Sources: map[string]string{"x.hcl": "scenario {"}}))
	require.NoError(t, store.Close())
	e.lossExpected = true
	e.start()

	var list []struct{ ID, Status, Error string }
	e.mustRequest("GET", "/api/exercises", testAdmin, nil, http.StatusOK, &list)
	byID := map[string]int{}
	for i, l := range list {
		byID[l.ID] = i
	}
	require.Contains(t, byID, x.ID)
	require.Contains(t, byID, "brokenxxxx")
	assert.Equal(t, "unavailable", list[byID["brokenxxxx"]].Status)
	assert.Contains(t, list[byID["brokenxxxx"]].Error, "restore exercise brokenxxxx")
	assert.Empty(t, list[byID[x.ID]].Error)
}
