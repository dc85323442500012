package web_test

// The role matrix of the WebSocket, and the HTTP answers to strangers compared byte for byte.
// TestRoleMatrix (roles_test.go) covers every HTTP endpoint against every token; these add
// every WebSocket message against every kind of caller, what each connected caller gets to
// see, and that no refusal differs between another exercise and none at all.

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// TestWebSocketRoleMatrix sends every message of protocol.md from every kind of caller:
//   - participants act, choose, escalate and note for their own team only, in their own
//     exercise only;
//   - facilitators and the admin may follow an exercise but not act in it;
//   - a reviewer, the facilitator of another exercise, a wrong token and a wrong code are
//     refused at the hello and the connection closes;
//   - a client that has not said hello may do nothing.
//
// Then every connected caller's feed is compared with the log filtered to what it may see.
func TestWebSocketRoleMatrix(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.GuessBurst, c.GlobalGuessBurst = 1<<20, 1<<20 })
	x := e.mustStart()
	other := e.mustStart()
	for _, id := range []string{x.ID, other.ID} {
		tok := x.FacilitatorToken
		if id == other.ID {
			tok = other.FacilitatorToken
		}
		// The alert to irt, then the demand that puts the ransom decision to cmt.
		e.mustRequest("POST", "/api/exercises/"+id+"/advance", tok, nil, http.StatusOK, nil)
		e.mustRequest("POST", "/api/exercises/"+id+"/advance", tok, nil, http.StatusOK, nil)
	}

	// The callers that get a connection, and the exercise and team each speaks for.
	type caller struct {
		name     string
		hello    msg
		exercise string
		team     string // "" for those who follow without acting
	}
	connected := []caller{
		{"participant of this team", msg{"type": "hello", "code": x.Teams["cmt"], "name": "Cleo"}, x.ID, "cmt"},
		{"participant of another team", msg{"type": "hello", "code": x.Teams["irt"], "name": "Ines"}, x.ID, "irt"},
		{"participant of another exercise", msg{"type": "hello", "code": other.Teams["cmt"], "name": "Olga"}, other.ID, "cmt"},
		{"facilitator", msg{"type": "hello", "token": x.FacilitatorToken, "exercise": x.ID}, x.ID, ""},
		{"admin", msg{"type": "hello", "token": testAdmin, "exercise": x.ID}, x.ID, ""},
		{"evaluator", msg{"type": "hello", "token": x.EvaluatorToken, "exercise": x.ID}, x.ID, ""},
	}
	// Every message, as the participant of cmt of x would send it. The decision was put to
	// cmt only: for anybody else a choose is an error.
	messages := []struct {
		typ string
		msg msg
	}{
		{"act", msg{"type": "act", "action": "contain_hosts"}},
		{"choose", msg{"type": "choose", "decision": "ransom", "option": "refuse"}},
		{"escalate", msg{"type": "escalate", "to": "service_desk", "text": "FYI"}},
		{"note", msg{"type": "note", "text": "noted"}},
	}

	clients := map[string]*wsClient{}
	feeds := map[string][]msg{}
	for _, who := range connected {
		c := e.dial()
		c.send(who.hello)
		w := c.next()
		require.Equal(t, "welcome", w.str("type"), "%s: %v", who.name, w)
		if who.name == "evaluator" {
			assert.Equal(t, "evaluator", w.str("role"), "welcome names the role")
		}
		assert.Equal(t, who.exercise, w["exercise"].(map[string]any)["id"], who.name)
		assert.Equal(t, who.team, w.str("team"), who.name)
		clients[who.name] = c
	}

	for _, who := range connected {
		for _, m := range messages {
			t.Run(m.typ+" as "+who.name, func(t *testing.T) {
				c := clients[who.name]
				ref := strings.ReplaceAll(who.name, " ", "-") + "-" + m.typ
				out := msg{"ref": ref}
				for k, v := range m.msg {
					out[k] = v
				}
				before := e.logOf(who.exercise)
				c.send(out)
				reply, seen := c.until(func(r msg) bool {
					return (r.str("type") == "ack" || r.str("type") == "error") && r.str("ref") == ref
				})
				feeds[who.name] = append(feeds[who.name], eventsOf(seen)...)
				after := e.logOf(who.exercise)
				switch {
				case who.team == "":
					assert.Equal(t, "error", reply.str("type"), "%v", reply)
					assert.Contains(t, reply.str("error"), "do not act for a team")
					assert.Equal(t, before, after)
				case m.typ == "choose" && who.team != "cmt":
					assert.Equal(t, "error", reply.str("type"), "%v", reply)
					assert.Contains(t, reply.str("error"), "team "+who.team+" cannot answer it")
					assert.Equal(t, before, after)
				default:
					require.Equal(t, "ack", reply.str("type"), "%v", reply)
					ev := after[reply.seq()-1]
					assert.Equal(t, who.team, ev.Team, "recorded for the caller's own team")
					assert.Equal(t, ref, ev.Ref)
				}
			})
		}
	}

	// The end of the feeds: each exercise pauses, which everybody sees.
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/pause", x.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+other.ID+"/pause", other.FacilitatorToken, nil, http.StatusOK, nil)
	for _, who := range connected {
		log := e.logOf(who.exercise)
		last := log[len(log)-1]
		require.Equal(t, engine.ClockPaused, last.Clock)
		c := clients[who.name]
		end, rest := c.until(func(m msg) bool { return m.str("type") == "event" && m.seq() == last.Seq })
		feed := append(append(feeds[who.name], eventsOf(rest)...), end)
		var want []int64
		for _, ev := range log {
			if who.team == "" || ev.VisibleTo(who.team, wstest.RecordOfLog(log)) {
				want = append(want, ev.Seq)
			}
		}
		// The welcome came after the start; the feed from since=0 replays the rest.
		assert.Equal(t, want, seqsOf(feed), "%s sees exactly what its role may see", who.name)
	}

	// Refused at the hello: the connection closes and nothing is recorded.
	refused := []struct {
		name  string
		hello msg
	}{
		{"reviewer", msg{"type": "hello", "token": x.ReviewerToken, "exercise": x.ID}},
		{"reviewer following another exercise", msg{"type": "hello", "token": x.ReviewerToken, "exercise": other.ID}},
		{"facilitator of another exercise", msg{"type": "hello", "token": other.FacilitatorToken, "exercise": x.ID}},
		{"evaluator of another exercise", msg{"type": "hello", "token": other.EvaluatorToken, "exercise": x.ID}},
		{"wrong token", msg{"type": "hello", "token": "wrong-" + x.FacilitatorToken, "exercise": x.ID}},
		{"join code as a token", msg{"type": "hello", "token": x.Teams["cmt"], "exercise": x.ID}},
		{"token as a join code", msg{"type": "hello", "code": x.FacilitatorToken, "name": "Mallory"}},
		{"wrong code", msg{"type": "hello", "code": "ZZZZ-ZZZZ", "name": "Mallory"}},
	}
	for _, tt := range refused {
		t.Run("hello as "+tt.name, func(t *testing.T) {
			before := e.logOf(x.ID)
			c := e.dial()
			c.send(tt.hello)
			m := c.next()
			assert.Equal(t, "error", m.str("type"))
			assert.NotContains(t, m.str("error"), x.ID)
			assert.NotContains(t, m.str("error"), other.ID)
			var ce *websocket.CloseError
			require.ErrorAs(t, c.closed(), &ce)
			assert.Equal(t, websocket.ClosePolicyViolation, ce.Code)
			assert.Equal(t, before, e.logOf(x.ID))
		})
	}

	t.Run("no hello: every message is refused", func(t *testing.T) {
		before := e.logOf(x.ID)
		c := e.dial()
		for _, m := range messages {
			out := msg{"ref": "nohello-" + m.typ}
			for k, v := range m.msg {
				out[k] = v
			}
			c.send(out)
			r := c.next()
			assert.Equal(t, "error", r.str("type"))
			assert.Contains(t, r.str("error"), "say hello first")
		}
		assert.Equal(t, before, e.logOf(x.ID))
	})
}

// TestRefusalsRevealNothing asks every exercise endpoint about this exercise, another
// exercise and one that does not exist, as every caller that is not allowed: the answers
// about another exercise and about none are the same bytes, and name neither.
func TestRefusalsRevealNothing(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.GuessBurst, c.GlobalGuessBurst = 1<<20, 1<<20 })
	x := e.mustStart()
	// Running: a reviewer of an exercise of the same plan may read another's report only once
	// it has ended (facilitator.Manager.MayReview).
	other := e.mustStart()

	paths := []struct{ method, suffix string }{
		{"GET", ""}, {"POST", "/start"}, {"POST", "/pause"}, {"POST", "/resume"}, {"POST", "/advance"},
		{"POST", "/end"}, {"POST", "/speed"}, {"POST", "/injects"}, {"POST", "/injects/news/trigger"},
		{"POST", "/injects/news/hold"}, {"POST", "/observations"}, {"GET", "/report"},
		{"GET", "/charts/team"},
	}
	callers := map[string]string{
		"none":                        "",
		"wrong token":                 "wrong-token",
		"participant code":            x.Teams["irt"],
		"participant of other":        other.Teams["irt"],
		"facilitator of this":         x.FacilitatorToken,
		"reviewer of this":            x.ReviewerToken,
		"facilitator of this, casing": strings.ToUpper(x.FacilitatorToken),
	}
	for name, token := range callers {
		for _, p := range paths {
			t.Run(p.method+" "+p.suffix+" as "+name, func(t *testing.T) {
				ofOther := e.request(p.method, "/api/exercises/"+other.ID+p.suffix, token, nil)
				ofNone := e.request(p.method, "/api/exercises/"+strings.Repeat("z", len(other.ID))+p.suffix, token, nil)
				assert.Contains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, ofOther.status, "%s", ofOther.body)
				// The two answers may straddle a second: Date is the one header allowed to differ.
				ofOther.header.Del("Date")
				ofNone.header.Del("Date")
				assert.Equal(t, ofNone, ofOther, "another exercise and none get the same answer")
				assert.NotContains(t, string(ofOther.body), other.ID)
				assert.NotContains(t, string(ofOther.body), x.ID)
			})
		}
	}
	// The reviewer of this exercise reads its report, which names nothing of the other.
	r := e.request("GET", "/api/exercises/"+x.ID+"/report?format=json", x.ReviewerToken, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.NotContains(t, string(r.body), other.ID)
	for _, format := range []string{"md", "html", "csv"} {
		r := e.request("GET", "/api/exercises/"+x.ID+"/report?format="+format, x.ReviewerToken, nil)
		require.Equal(t, http.StatusOK, r.status)
		assert.NotContains(t, string(r.body), other.ID, format)
		assert.NotContains(t, string(r.body), other.FacilitatorToken, format)
	}
}

// mustTwoPlanLibrary is the test library plus a copy of its plan and scenario under other
// names, so that reviewers of different plans can be told apart.
func mustTwoPlanLibrary(tb testing.TB) *scenarios.Set {
	tb.Helper()
	otherPlan := strings.ReplaceAll(testPlanHCL, `plan "test-plan"`, `plan "other-plan"`)
	otherScenario := strings.NewReplacer(`scenario "test-scenario"`, `scenario "other-scenario"`,
		`plan     = "test-plan"`, `plan     = "other-plan"`).Replace(testScenarioHCL)
	lib, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":           {Data: []byte(testPlanHCL)},
		"scenario.hcl":       {Data: []byte(testScenarioHCL)},
		"other-plan.hcl":     {Data: []byte(otherPlan)},
		"other-scenario.hcl": {Data: []byte(otherScenario)},
	})
	require.False(tb, diags.HasErrors(), "two-plan library: %s", diags.Error())
	return lib
}

// TestReviewRoleMatrix covers the reviewers' endpoints against every caller: a reviewer reads
// its own exercise, and the readiness, revision and ended exercises of its exercise's plan; no
// other plan's, no running exercise but its own, and never anything as a facilitator or
// participant. The review list holds exactly what each may read.
func TestReviewRoleMatrix(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.GuessBurst, c.GlobalGuessBurst = 1<<20, 1<<20 })
	e.lib = mustTwoPlanLibrary(t)
	e.restart()

	ended := e.mustStart() // test-plan, ended below
	running := e.mustStart()
	var elsewhere facilitator.Created // other-plan, ended
	e.mustRequest("POST", "/api/exercises", testAdmin, map[string]any{"scenario": "other-scenario", "speed": 60}, http.StatusCreated, &elsewhere)
	e.mustRequest("POST", "/api/exercises/"+elsewhere.ID+"/start", elsewhere.FacilitatorToken, nil, http.StatusOK, nil)
	for _, x := range []facilitator.Created{ended, elsewhere} {
		e.mustRequest("POST", "/api/exercises/"+x.ID+"/end", x.FacilitatorToken, nil, http.StatusOK, nil)
	}

	callers := map[string]string{
		"none":                      "",
		"wrong token":               "wrong-token",
		"participant code":          ended.Teams["irt"],
		"facilitator":               ended.FacilitatorToken,
		"reviewer":                  ended.ReviewerToken,
		"reviewer of the same plan": running.ReviewerToken,
		"reviewer of another plan":  elsewhere.ReviewerToken,
		"admin":                     testAdmin,
	}
	unauthenticated := map[string]bool{"none": true, "wrong token": true, "participant code": true}
	samePlan := []string{"reviewer", "reviewer of the same plan", "admin"}
	endpoints := []struct {
		path    string
		allowed []string
	}{
		{"/api/review/exercises", []string{"reviewer", "reviewer of the same plan", "reviewer of another plan", "admin"}},
		{"/api/exercises/" + ended.ID + "/report", samePlan},
		{"/api/exercises/" + ended.ID + "/charts/team", samePlan},
		{"/api/exercises/" + ended.ID + "/charts/timeline", samePlan},
		{"/api/exercises/" + running.ID + "/report", []string{"reviewer of the same plan", "admin"}}, // its own only while running
		{"/api/exercises/" + running.ID + "/charts/phase", []string{"reviewer of the same plan", "admin"}},
		{"/api/plans/test-plan/readiness", samePlan},
		{"/api/plans/test-plan/revision", samePlan},
		{"/api/plans/other-plan/readiness", []string{"reviewer of another plan", "admin"}},
		{"/api/plans/other-plan/revision", []string{"reviewer of another plan", "admin"}},
	}
	for _, ep := range endpoints {
		for caller, token := range callers {
			t.Run(ep.path+" as "+caller, func(t *testing.T) {
				r := e.request("GET", ep.path, token, nil)
				switch {
				case unauthenticated[caller]:
					assert.Equal(t, http.StatusUnauthorized, r.status, "%s", r.body)
				case inList(ep.allowed, caller):
					assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
				default:
					assert.Equal(t, http.StatusForbidden, r.status, "%s", r.body)
				}
			})
		}
	}

	listed := func(token string) []string {
		var list []struct{ ID string }
		e.mustRequest("GET", "/api/review/exercises", token, nil, http.StatusOK, &list)
		var ids []string
		for _, x := range list {
			ids = append(ids, x.ID)
		}
		return ids
	}
	assert.Equal(t, []string{ended.ID}, listed(ended.ReviewerToken))
	assert.Equal(t, []string{ended.ID}, listed(running.ReviewerToken), "a running exercise is not listed, even to its reviewer")
	assert.Equal(t, []string{elsewhere.ID}, listed(elsewhere.ReviewerToken))
	assert.ElementsMatch(t, []string{ended.ID, elsewhere.ID}, listed(testAdmin))

	// A reviewer asking about another plan, or about one that does not exist, gets the same.
	a := e.request("GET", "/api/plans/other-plan/revision", ended.ReviewerToken, nil)
	b := e.request("GET", "/api/plans/no-such-plan/revision", ended.ReviewerToken, nil)
	assert.Equal(t, a, b)
	assert.NotContains(t, string(a.body), "other-plan")
}
