package web_test

// The test harness of the server tests: a real server over SQLite in t.TempDir(), a fake
// clock for the simulated clocks and another for the rate limits, and a gorilla client.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// testPlanHCL and testScenarioHCL are a small exercise: three teams, a decision put to cmt,
// an escalation action of irt's, a severity step.
const testPlanHCL = `
plan "test-plan" {
  title   = "Test plan"
  version = "1"

  team "service_desk" {
    title = "Service Desk"
    tier  = 1
  }
  team "irt" {
    title = "Incident Response Team"
    tier  = 2
  }
  team "cmt" {
    title = "Crisis Management Team"
    tier  = 4
  }

  severity "local" {
    level = 1
    title = "Local incident"
  }
  severity "crisis" {
    level = 2
    title = "Crisis"
  }

  action "log_report" {
    title      = "Log the report"
    owner      = team.service_desk
    phase      = "detection"
    capability = "reporting"
    due        = "15m"
  }
  action "contain_hosts" {
    title      = "Isolate the hosts"
    owner      = team.irt
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }
  action "escalate_to_cmt" {
    title       = "Escalate to the CMT"
    owner       = team.irt
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    escalate_to = team.cmt
  }
}
`

const testScenarioHCL = `
scenario "test-scenario" {
  title    = "Test scenario"
  summary  = "A short exercise for the server's tests."
  plan     = "test-plan"
  duration = "4h"

  inject "call" {
    at       = "0s"
    to       = [team.service_desk]
    channel  = "phone"
    from     = "Ward 3"
    subject  = "Strange screens"
    body     = "Two **workstations** show a red screen. <script>window.__pwned = 1</script>"
    triggers = [action.log_report]
  }
  inject "alert" {
    at       = "10m"
    to       = [team.irt]
    channel  = "ticket"
    subject  = "EDR alert"
    triggers = [action.contain_hosts, action.escalate_to_cmt]
  }
  inject "demand" {
    at      = "1h"
    to      = [team.cmt]
    channel = "email"
    subject = "Your files are encrypted"

    decision "ransom" {
      prompt = "Pay?"
      options = {
        refuse = "Refuse"
        pay    = "Pay"
      }
      expected = "refuse"
    }
  }
  inject "news" {
    at       = "2h"
    to       = [team.irt, team.cmt]
    channel  = "news"
    subject  = "Radio asks about an attack"
    severity = severity.crisis
  }
}
`

const testAdmin = "admin-token-for-tests-0123456789"

// env is one running server.
type env struct {
	t       *testing.T
	dbPath  string
	lib     *scenarios.Set
	clock   *clockwork.FakeClock // the simulated clocks run on it
	limits  *clockwork.FakeClock // the rate limits run on it
	cfg     web.Config
	m       *facilitator.Manager
	srv     *web.Server
	ts      *httptest.Server
	logs    *wstest.LogBuffer
	closers []func()
	// managerOpts are more options of the manager.
	managerOpts []facilitator.Option
	// wrap, when set, wraps the store the manager uses.
	wrap func(*sqlite.Store) engine.Store
	// lossExpected lets start go on when some stored exercise cannot be restored.
	lossExpected bool
}

func mustLibrary(tb testing.TB) *scenarios.Set {
	tb.Helper()
	lib, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: []byte(testPlanHCL)},
		"scenario.hcl": {Data: []byte(testScenarioHCL)},
	})
	require.False(tb, diags.HasErrors(), "test scenario: %s", diags.Error())
	return lib
}

// newEnv starts a server over a new SQLite file. tweak may change the web.Config.
func newEnv(t *testing.T, tweak ...func(*web.Config)) *env {
	t.Helper()
	e := &env{
		t:      t,
		dbPath: filepath.Join(t.TempDir(), "ttx.db"),
		lib:    mustLibrary(t),
		clock:  clockwork.NewFakeClockAt(time.Date(2026, 3, 14, 7, 30, 0, 0, time.UTC)),
		limits: clockwork.NewFakeClock(),
		logs:   &wstest.LogBuffer{},
	}
	e.cfg = web.Config{Clock: e.limits, Logger: slog.New(slog.NewTextHandler(e.logs, nil))}
	for _, f := range tweak {
		f(&e.cfg)
	}
	e.start()
	t.Cleanup(e.stop)
	return e
}

// start opens the store, restores what is in it and serves.
func (e *env) start() {
	e.t.Helper()
	store, err := sqlite.Open(e.dbPath)
	require.NoError(e.t, err)
	var managed engine.Store = store
	if e.wrap != nil {
		managed = e.wrap(store)
	}
	e.m = facilitator.NewManager(managed, e.lib, e.clock, rand.Reader,
		append([]facilitator.Option{facilitator.WithAdminToken(testAdmin)}, e.managerOpts...)...)
	if err := e.m.Restore(context.Background()); !e.lossExpected {
		require.NoError(e.t, err)
	}
	cfg := e.cfg
	cfg.Manager = e.m
	e.srv = web.NewServer(cfg)
	e.ts = httptest.NewServer(e.srv)
	e.closers = []func(){e.ts.CloseClientConnections, e.srv.Close, e.ts.Close, e.m.Close, func() { _ = store.Close() }}
}

// stop shuts the server down as a process exit would, keeping the database.
func (e *env) stop() {
	for _, f := range e.closers {
		f()
	}
	e.closers = nil
}

// restart stops the server and starts a new one over the same database.
func (e *env) restart() {
	e.stop()
	e.start()
}

// response is an HTTP answer.
type response struct {
	status int
	body   []byte
	header http.Header
}

// errorText returns the "error" of an error answer.
func (r response) errorText() string {
	var body struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(r.body, &body)
	return body.Error
}

// request sends body (a string sent as is, or a value sent as JSON) with token.
func (e *env) request(method, path, token string, body any) response {
	e.t.Helper()
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	case []byte:
		data = b
	default:
		var err error
		data, err = json.Marshal(b)
		require.NoError(e.t, err)
	}
	header := map[string]string{}
	if token != "" {
		header["Authorization"] = "Bearer " + token
	}
	if body != nil {
		header["Content-Type"] = "application/json"
	}
	return e.rawRequest(method, path, header, data)
}

// rawRequest sends body with the given headers, as is.
func (e *env) rawRequest(method, path string, header map[string]string, body []byte) response {
	e.t.Helper()
	r, err := e.tryRequest(method, path, header, body)
	require.NoError(e.t, err)
	return r
}

// tryRequest is rawRequest returning its error, for requests sent from other goroutines.
func (e *env) tryRequest(method, path string, header map[string]string, body []byte) (response, error) {
	req, err := http.NewRequest(method, e.ts.URL+path, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: data, header: resp.Header}, err
}

// mustRequest is request that requires status want and decodes the answer into out.
func (e *env) mustRequest(method, path, token string, body any, want int, out any) {
	e.t.Helper()
	r := e.request(method, path, token, body)
	require.Equal(e.t, want, r.status, "%s %s: %s", method, path, r.body)
	if out != nil {
		require.NoError(e.t, json.Unmarshal(r.body, out), "%s", r.body)
	}
}

// mustCreate creates an exercise of the test scenario, in the default mode (evaluation).
func (e *env) mustCreate() facilitator.Created {
	e.t.Helper()
	var out facilitator.Created
	e.mustRequest("POST", "/api/exercises", testAdmin, map[string]any{"scenario": "test-scenario", "speed": 60}, http.StatusCreated, &out)
	return out
}

// mustCreateIn creates an exercise of scenario in mode.
func (e *env) mustCreateIn(scenario, mode string) facilitator.Created {
	e.t.Helper()
	var out facilitator.Created
	e.mustRequest("POST", "/api/exercises", testAdmin, map[string]any{"scenario": scenario, "speed": 60, "mode": mode}, http.StatusCreated, &out)
	return out
}

// mustStart creates and starts an exercise.
func (e *env) mustStart() facilitator.Created {
	e.t.Helper()
	x := e.mustCreate()
	e.mustRequest("POST", "/api/exercises/"+x.ID+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)
	return x
}

// wsClient is a WebSocket client speaking only protocol.md.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	read []string // every frame next has read, raw
}

// msg is any server message.
type msg map[string]any

func (m msg) str(key string) string { s, _ := m[key].(string); return s }

func (m msg) seq() int64 { f, _ := m["seq"].(float64); return int64(f) }

// dial opens a WebSocket to the server.
func (e *env) dial() *wsClient {
	e.t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(wstest.WebSocketURL(e.ts.URL), nil)
	require.NoError(e.t, err)
	c := &wsClient{t: e.t, conn: conn}
	e.t.Cleanup(func() { _ = conn.Close() })
	return c
}

// participant dials and says hello with a join code; it returns the client and the welcome.
// It presents a participant id of its own for (code, name), as the bundled pages do, so that
// every connection of one test participant is the same participant (protocol.md v2).
func (e *env) participant(code, name string, since int64) (*wsClient, msg) {
	e.t.Helper()
	c := e.dial()
	c.send(msg{"type": "hello", "code": code, "name": name, "since": since, "participant": "test-" + code + "-" + name})
	w := c.next()
	require.Equal(e.t, "welcome", w.str("type"), "%v", w)
	return c, w
}

// facilitatorWS dials and says hello with a token for exercise id.
func (e *env) facilitatorWS(token, id string) (*wsClient, msg) {
	e.t.Helper()
	c := e.dial()
	c.send(msg{"type": "hello", "token": token, "exercise": id, "since": 0})
	w := c.next()
	require.Equal(e.t, "welcome", w.str("type"), "%v", w)
	return c, w
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	require.NoError(c.t, c.conn.WriteJSON(v))
}

func (c *wsClient) sendRaw(data string) {
	c.t.Helper()
	require.NoError(c.t, c.conn.WriteMessage(websocket.TextMessage, []byte(data)))
}

// next reads the next message. The deadline only bounds a broken test; nothing waits on it.
func (c *wsClient) next() msg {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	var m msg
	_, data, err := c.conn.ReadMessage()
	require.NoError(c.t, err)
	c.read = append(c.read, string(data))
	require.NoError(c.t, json.Unmarshal(data, &m), "%s", data)
	return m
}

// until reads messages until one satisfies ok and returns it with those read before it.
func (c *wsClient) until(ok func(msg) bool) (msg, []msg) {
	c.t.Helper()
	var before []msg
	for {
		m := c.next()
		if ok(m) {
			return m, before
		}
		before = append(before, m)
	}
}

// reply reads until the ack or error of ref.
func (c *wsClient) reply(ref string) msg {
	c.t.Helper()
	m, _ := c.until(func(m msg) bool {
		return (m.str("type") == "ack" || m.str("type") == "error") && m.str("ref") == ref
	})
	return m
}

// closed reads until the connection closes and returns the close error.
func (c *wsClient) closed() error {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		if _, _, err := c.conn.ReadMessage(); err != nil {
			return err
		}
	}
}

func isEvent(kind string) func(msg) bool {
	return func(m msg) bool { return m.str("type") == "event" && m.str("kind") == kind }
}

// ackAndEvent reads until both the ack of ref and the event it acknowledges have come, in
// whichever order (the ack and the broadcast travel separately), and returns them with the
// other events read meanwhile.
func (c *wsClient) ackAndEvent(ref string) (ack, event msg, others []msg) {
	c.t.Helper()
	var events []msg
	for ack == nil || event == nil {
		m := c.next()
		switch {
		case m.str("type") == "error" && m.str("ref") == ref:
			require.Fail(c.t, "refused", "%s: %v", ref, m)
		case m.str("type") == "ack" && m.str("ref") == ref:
			ack = m
			for i, e := range events {
				if e.seq() == ack.seq() {
					event = e
					events = append(events[:i:i], events[i+1:]...)
					break
				}
			}
		case m.str("type") == "event" && ack != nil && m.seq() == ack.seq():
			event = m
		case m.str("type") == "event":
			events = append(events, m)
		}
	}
	return ack, event, events
}
