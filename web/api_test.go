package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/web"
)

func TestHealthzAndPages(t *testing.T) {
	e := newEnv(t)
	e.mustRequest("GET", "/healthz", "", nil, http.StatusOK, nil)
	for _, path := range []string{"/", "/play", "/console", "/static/common.js"} {
		r := e.request("GET", path, "", nil)
		assert.Equal(t, http.StatusOK, r.status, path)
		assert.NotEmpty(t, r.body, path)
	}
	r := e.request("GET", "/nothing-here", "", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, r.errorText(), "nothing at /nothing-here")
}

func TestEndpointsHappyPath(t *testing.T) {
	e := newEnv(t)

	var scs []struct {
		Name, Title, Plan, Duration string
		Teams                       []struct{ Name, Title string }
	}
	e.mustRequest("GET", "/api/scenarios", testAdmin, nil, http.StatusOK, &scs)
	require.Len(t, scs, 1)
	assert.Equal(t, "test-scenario", scs[0].Name)
	assert.Equal(t, "test-plan", scs[0].Plan)
	assert.Equal(t, "4h0m0s", scs[0].Duration)
	assert.Len(t, scs[0].Teams, 3)

	x := e.mustCreate()
	assert.Len(t, x.ID, 10)
	assert.Len(t, x.FacilitatorToken, 43)
	assert.Len(t, x.ReviewerToken, 43)
	require.Len(t, x.Teams, 3)
	for team, code := range x.Teams {
		assert.Regexp(t, `^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$`, code, team)
	}

	var list []struct{ ID, Status, Scenario string }
	e.mustRequest("GET", "/api/exercises", testAdmin, nil, http.StatusOK, &list)
	require.Len(t, list, 1)
	assert.Equal(t, x.ID, list[0].ID)
	assert.Equal(t, "created", list[0].Status)

	for token, want := range map[string]string{
		testAdmin:          `{"exercise":"","role":"admin"}`,
		x.FacilitatorToken: `{"exercise":"` + x.ID + `","role":"facilitator"}`,
		x.ReviewerToken:    `{"exercise":"` + x.ID + `","role":"reviewer"}`,
	} {
		r := e.request("GET", "/api/whoami", token, nil)
		assert.Equal(t, http.StatusOK, r.status)
		assert.JSONEq(t, want, string(r.body))
	}

	fac := x.FacilitatorToken
	base := "/api/exercises/" + x.ID
	var detail struct {
		Status, Severity string
		SimTime          string `json:"sim_time"`
		Speed            float64
		Upcoming         []struct {
			Name, Due string
			Held      bool
		}
		Progress map[string][]struct{ Action, Deadline, State string }
	}
	e.mustRequest("GET", base, fac, nil, http.StatusOK, &detail)
	assert.Equal(t, "created", detail.Status)
	assert.Equal(t, 60.0, detail.Speed)
	require.Len(t, detail.Upcoming, 4)
	assert.Equal(t, "call", detail.Upcoming[0].Name)

	e.mustRequest("POST", base+"/start", fac, nil, http.StatusOK, nil)
	e.mustRequest("GET", base, fac, nil, http.StatusOK, &detail)
	assert.Equal(t, "running", detail.Status)
	assert.Equal(t, "local", detail.Severity)
	require.Len(t, detail.Progress["service_desk"], 1)
	assert.Equal(t, "log_report", detail.Progress["service_desk"][0].Action)
	assert.Equal(t, "15m0s", detail.Progress["service_desk"][0].Deadline)
	assert.Equal(t, "pending", detail.Progress["service_desk"][0].State)

	e.mustRequest("POST", base+"/pause", fac, nil, http.StatusOK, nil)
	e.mustRequest("POST", base+"/resume", fac, "{}", http.StatusOK, nil)
	e.mustRequest("POST", base+"/speed", fac, map[string]any{"speed": 120}, http.StatusOK, nil)
	e.mustRequest("POST", base+"/injects/demand/hold", fac, map[string]any{"held": true}, http.StatusOK, nil)
	e.mustRequest("GET", base, fac, nil, http.StatusOK, &detail)
	assert.Equal(t, 120.0, detail.Speed)
	held := map[string]bool{}
	for _, u := range detail.Upcoming {
		held[u.Name] = u.Held
	}
	assert.Equal(t, map[string]bool{"alert": false, "demand": true, "news": false}, held)
	e.mustRequest("POST", base+"/injects/demand/hold", fac, map[string]any{"held": false}, http.StatusOK, nil)
	e.mustRequest("POST", base+"/advance", fac, nil, http.StatusOK, nil) // alert, at 10m
	e.mustRequest("POST", base+"/injects/news/trigger", fac, nil, http.StatusOK, nil)
	e.mustRequest("GET", base, fac, nil, http.StatusOK, &detail)
	assert.Equal(t, "crisis", detail.Severity)
	assert.Equal(t, "10m0s", detail.SimTime)
	require.Len(t, detail.Upcoming, 1)
	assert.Equal(t, "demand", detail.Upcoming[0].Name)

	var seq struct{ Seq int64 }
	e.mustRequest("POST", base+"/injects", fac, map[string]any{"to": []string{"irt"}, "channel": "chat",
		"from": "CISO", "subject": "Status?", "body": "Where are we?"}, http.StatusCreated, &seq)
	assert.Positive(t, seq.Seq)
	e.mustRequest("POST", base+"/observations", fac, map[string]any{"text": "IRT slow to isolate",
		"capability": "containment", "rating": "M"}, http.StatusCreated, &seq)
	assert.Positive(t, seq.Seq)
	e.mustRequest("POST", base+"/end", fac, nil, http.StatusOK, nil)
	e.mustRequest("GET", base, fac, nil, http.StatusOK, &detail)
	assert.Equal(t, "ended", detail.Status)
}

func TestStartingARunningExerciseIsAConflict(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	r := e.request("POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil)
	assert.Equal(t, http.StatusConflict, r.status)
	assert.Contains(t, r.errorText(), "already running")
	r = e.request("POST", "/api/exercises/"+x.ID+"/resume", x.FacilitatorToken, nil)
	assert.Equal(t, http.StatusConflict, r.status)
	// The exercise carries on.
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/pause", x.FacilitatorToken, nil, http.StatusOK, nil)
}

// TestBadHTTPInput sends every kind of bad input protocol.md names to the endpoints; each
// gets its status and a sentence naming the problem, and the exercise carries on.
func TestBadHTTPInput(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	fac := x.FacilitatorToken
	base := "/api/exercises/" + x.ID
	huge := `{"text":"` + strings.Repeat("x", 70<<10) + `","rating":"S"}`
	tests := []struct {
		name, path, token string
		body              any
		status            int
		want              string
	}{
		{"malformed JSON", "/api/exercises", testAdmin, `{"scenario":`, 400, "malformed JSON"},
		{"not an object", "/api/exercises", testAdmin, `[1]`, 400, "JSON object"},
		{"empty body", "/api/exercises", testAdmin, ``, 400, "body is empty"},
		{"unknown field", "/api/exercises", testAdmin, `{"scenario":"test-scenario","sped":60}`, 400, `unknown field "sped"`},
		{"wrong type", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":"fast"}`, 400, `"speed" must be a number`},
		{"two values", "/api/exercises", testAdmin, `{"scenario":"test-scenario"} {}`, 400, "more after"},
		{"unknown scenario", "/api/exercises", testAdmin, `{"scenario":"nope"}`, 400, `scenario: there is no scenario named "nope"`},
		{"missing scenario", "/api/exercises", testAdmin, `{"speed":60}`, 400, "scenario: is required"},
		{"speed zero", "/api/exercises", testAdmin, `{"scenario":"test-scenario","speed":0}`, 400, "speed: 0 is out of range"},
		{"speed too high", base + "/speed", fac, `{"speed":3601}`, 400, "out of range"},
		{"speed too low", base + "/speed", fac, `{"speed":0.05}`, 400, "out of range"},
		{"speed negative", base + "/speed", fac, `{"speed":-1}`, 400, "out of range"},
		{"speed missing", base + "/speed", fac, `{}`, 400, `"speed" is required`},
		{"speed absurd", base + "/speed", fac, `{"speed":1e309}`, 400, "speed"},
		{"inject without teams", base + "/injects", fac, `{"channel":"chat","subject":"s"}`, 400, `"to" is required`},
		{"inject to unknown team", base + "/injects", fac, `{"to":["nobody"],"channel":"chat","subject":"s"}`, 400, `to: the plan has no team "nobody"`},
		{"inject bad channel", base + "/injects", fac, `{"to":["irt"],"channel":"pigeon","subject":"s"}`, 400, `channel: "pigeon" is not a channel`},
		{"inject control characters", base + "/injects", fac, `{"to":["irt"],"channel":"chat","subject":"a\u0000b"}`, 400, "subject: must not contain control characters"},
		{"observation bad rating", base + "/observations", fac, `{"text":"t","rating":"A"}`, 400, `rating: "A" is not a rating`},
		{"observation too long", base + "/observations", fac, `{"text":"` + strings.Repeat("x", 4001) + `","rating":"S"}`, 400, "text: is longer than"},
		{"oversized body", base + "/observations", fac, huge, 413, "larger than 64 KiB"},
		{"hold without held", base + "/injects/demand/hold", fac, `{}`, 400, `"held" is required`},
		{"hold unknown inject", base + "/injects/nope/hold", fac, `{"held":true}`, 400, `no inject "nope"`},
		{"trigger delivered inject", base + "/injects/call/trigger", fac, nil, 409, "already delivered"},
		{"command with a body", base + "/pause", fac, `{"now":true}`, 400, `unknown field "now"`},
		{"invalid UTF-8", base + "/observations", fac, []byte("{\"text\":\"\xff\xfe\",\"rating\":\"S\"}"), 400, "not valid UTF-8"},
		{"null body", "/api/exercises", testAdmin, `null`, 400, "scenario: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.request("POST", tt.path, tt.token, tt.body)
			assert.Equal(t, tt.status, r.status, "%s", r.body)
			assert.Contains(t, r.errorText(), tt.want)
		})
	}
	// Nothing was created and the exercise runs on.
	var list []struct{ ID, Status string }
	e.mustRequest("GET", "/api/exercises", testAdmin, nil, http.StatusOK, &list)
	require.Len(t, list, 1)
	assert.Equal(t, "running", list[0].Status)
	c, _ := e.participant(x.Teams["service_desk"], "Sam", 0)
	c.send(msg{"type": "act", "ref": "r1", "action": "log_report"})
	assert.Equal(t, "ack", c.reply("r1").str("type"))
}

func TestGuessingIsSlowedDown(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.GuessesPerMinute, c.GuessBurst = 6, 3 })
	for i := 0; i < 3; i++ {
		r := e.request("GET", "/api/whoami", "wrong-token", nil)
		assert.Equal(t, http.StatusUnauthorized, r.status)
	}
	// Past the burst even the right token is refused, so that guessing gains nothing.
	r := e.request("GET", "/api/whoami", testAdmin, nil)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Contains(t, r.errorText(), "wait a minute")
	// A join code guessed on the WebSocket counts too.
	c := e.dial()
	c.send(msg{"type": "hello", "code": "AAAA-AAAA", "name": "Mallory"})
	assert.Contains(t, c.next().str("error"), "wait a minute")

	e.limits.Advance(10 * time.Second) // one attempt earned back
	e.mustRequest("GET", "/api/whoami", testAdmin, nil, http.StatusOK, nil)
}

// TestTrustedProxy: X-Forwarded-For names the client only when the peer is a trusted proxy;
// otherwise every client behind it is the peer.
func TestTrustedProxy(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		e := newEnv(t, func(c *web.Config) {
			c.GuessesPerMinute, c.GuessBurst = 6, 3
			if trusted {
				c.TrustedProxies = []string{"127.0.0.1", "::1"}
			}
		})
		from := func(ip, token string) int {
			return e.rawRequest("GET", "/api/whoami", map[string]string{"Authorization": "Bearer " + token, "X-Forwarded-For": ip}, nil).status
		}
		for range 3 {
			assert.Equal(t, http.StatusUnauthorized, from("203.0.113.1", "wrong-token"))
		}
		assert.Equal(t, http.StatusTooManyRequests, from("203.0.113.1", testAdmin))
		want := http.StatusTooManyRequests
		if trusted {
			want = http.StatusOK
		}
		assert.Equal(t, want, from("203.0.113.2", testAdmin), "trusted proxy: %v", trusted)
	}
}

// TestCommandBodyOfUnknownLength: a command without parameters accepts an empty body whose
// length is not announced (chunked) and an empty object, and still refuses anything else.
func TestCommandBodyOfUnknownLength(t *testing.T) {
	e := newEnv(t)
	x := e.mustCreate()
	send := func(path, body string) response {
		t.Helper()
		req, err := http.NewRequest("POST", e.ts.URL+"/api/exercises/"+x.ID+path, io.NopCloser(strings.NewReader(body)))
		require.NoError(t, err)
		req.ContentLength = -1
		req.TransferEncoding = []string{"chunked"}
		req.Header.Set("Authorization", "Bearer "+x.FacilitatorToken)
		resp, err := e.ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return response{status: resp.StatusCode, body: data}
	}
	r := send("/start", "")
	assert.Equal(t, http.StatusOK, r.status, r.errorText())
	r = send("/pause", "{}")
	assert.Equal(t, http.StatusOK, r.status, r.errorText())
	r = send("/resume", "[]")
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.errorText(), "expected a JSON object")
}
