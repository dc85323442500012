package web_test

// An outsider's client: everything below is written from design/protocol.md alone, against
// the real server over a real SQLite file, with the bundled hospital-ransomware scenario.
// Simulated time moves only by the facilitator's advance command (the clock is fake), and
// every read has a deadline.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// outsiderWait bounds every wait for a message; a correct server answers in milliseconds.
const outsiderWait = 10 * time.Second

// outsiderServer is the real server with the bundled library, on a local port.
type outsiderServer struct {
	url   string
	admin string
	clock *clockwork.FakeClock // the manager's clock: simulated time runs on it
}

func mustOutsiderServer(t *testing.T, tweak func(*web.Config)) *outsiderServer {
	t.Helper()
	lib, diags := scenarios.LoadFS(scenarios.Library())
	require.False(t, diags.HasErrors(), "bundled library: %s", diags.Error())
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "ttx.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	admin := "outsider-admin-" + rand.Text()
	clock := clockwork.NewFakeClock()
	m := facilitator.NewManager(store, lib, clock, rand.Reader, facilitator.WithAdminToken(admin))
	t.Cleanup(m.Close)
	cfg := web.Config{Manager: m, Logger: slog.New(slog.DiscardHandler)}
	if tweak != nil {
		tweak(&cfg)
	}
	srv := web.NewServer(cfg)
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(ts.CloseClientConnections)
	return &outsiderServer{url: ts.URL, admin: admin, clock: clock}
}

// outsiderAnswer is a status and a body.
type outsiderAnswer struct {
	status int
	body   []byte
}

func (a outsiderAnswer) errorText() string {
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(a.body, &e)
	return e.Error
}

// call sends body (nil, raw []byte, or a value as JSON) with token ("" for none).
func (s *outsiderServer) call(t *testing.T, method, path, token string, body any) outsiderAnswer {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		require.NoError(t, err)
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.url+path, r)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return outsiderAnswer{status: resp.StatusCode, body: data}
}

// mustCall is call that requires status want and decodes the body into out.
func (s *outsiderServer) mustCall(t *testing.T, method, path, token string, body any, want int, out any) {
	t.Helper()
	a := s.call(t, method, path, token, body)
	if want == http.StatusOK && a.status >= 200 && a.status < 300 {
		want = a.status // protocol.md names no status for success but 201 on create
	}
	require.Equal(t, want, a.status, "%s %s: %s", method, path, a.body)
	if out != nil {
		require.NoError(t, json.Unmarshal(a.body, out), "%s %s: %s", method, path, a.body)
	}
}

// outsiderExercise is the answer of POST /api/exercises.
type outsiderExercise struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitator_token"`
	ReviewerToken    string            `json:"reviewer_token"`
	Teams            map[string]string `json:"teams"`
}

func (s *outsiderServer) mustCreate(t *testing.T, scenario string) outsiderExercise {
	t.Helper()
	var ex outsiderExercise
	s.mustCall(t, http.MethodPost, "/api/exercises", s.admin, map[string]any{"scenario": scenario, "speed": 60}, http.StatusCreated, &ex)
	require.NotEmpty(t, ex.ID)
	require.NotEmpty(t, ex.FacilitatorToken)
	require.NotEmpty(t, ex.ReviewerToken)
	return ex
}

// outsiderInject is the inject of an inject_delivered event.
type outsiderInject struct {
	Name     string          `json:"name"`
	To       []string        `json:"to"`
	Channel  string          `json:"channel"`
	From     string          `json:"from"`
	Subject  string          `json:"subject"`
	BodyHTML string          `json:"body_html"`
	Decision json.RawMessage `json:"decision"`
}

// outsiderMsg is any message from the server, with the fields protocol.md names; raw keeps all.
type outsiderMsg struct {
	Type     string          `json:"type"`
	Ref      string          `json:"ref"`
	Seq      int64           `json:"seq"`
	Error    string          `json:"error"`
	Kind     string          `json:"kind"`
	T        string          `json:"t"`
	Role     string          `json:"role"`
	Team     string          `json:"team"`
	Exercise json.RawMessage `json:"exercise"`
	Inject   json.RawMessage `json:"inject"`
	raw      string
}

// injectName is the inject an event concerns: protocol.md sends an object, scoring.md's
// timeline a name; both are accepted.
func (m outsiderMsg) injectName() string {
	var in outsiderInject
	if json.Unmarshal(m.Inject, &in) == nil && in.Name != "" {
		return in.Name
	}
	var name string
	_ = json.Unmarshal(m.Inject, &name)
	return name
}

// field is a top-level string field of the raw message.
func (m outsiderMsg) field(name string) string {
	var all map[string]any
	_ = json.Unmarshal([]byte(m.raw), &all)
	s, _ := all[name].(string)
	return s
}

// outsiderClient is one WebSocket connection; a goroutine reads into msgs, the test consumes them.
type outsiderClient struct {
	t       *testing.T
	name    string
	conn    *websocket.Conn
	msgs    chan outsiderMsg
	done    chan struct{} // closed when the read loop stops
	readErr error         // set before done is closed
	history []outsiderMsg // every message consumed, in order
	used    []bool
}

func (s *outsiderServer) dial(t *testing.T, name string) *outsiderClient {
	t.Helper()
	c, err := s.tryDial(t, name, s.url)
	require.NoError(t, err)
	return c
}

func (s *outsiderServer) tryDial(t *testing.T, name, origin string) (*outsiderClient, error) {
	t.Helper()
	return s.tryDialWith(t, name, origin, nil)
}

// tryDialWith is tryDial with setup run on the connection before anything reads it.
func (s *outsiderServer) tryDialWith(t *testing.T, name, origin string, setup func(*websocket.Conn)) (*outsiderClient, error) {
	t.Helper()
	u := "ws" + strings.TrimPrefix(s.url, "http") + "/ws"
	h := http.Header{}
	h.Set("Origin", origin)
	d := websocket.Dialer{HandshakeTimeout: outsiderWait}
	conn, resp, err := d.Dial(u, h)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		return nil, err
	}
	if setup != nil {
		setup(conn)
	}
	c := &outsiderClient{t: t, name: name, conn: conn, msgs: make(chan outsiderMsg, 1024), done: make(chan struct{})}
	go c.readLoop()
	t.Cleanup(func() { _ = conn.Close() })
	return c, nil
}

func (c *outsiderClient) readLoop() {
	defer close(c.done)
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			c.readErr = err
			return
		}
		var m outsiderMsg
		if err := json.Unmarshal(data, &m); err != nil {
			m = outsiderMsg{Type: "unparseable"}
		}
		m.raw = string(data)
		c.msgs <- m
	}
}

func (c *outsiderClient) send(v any) {
	c.t.Helper()
	require.NoError(c.t, c.conn.WriteJSON(v), "%s: send", c.name)
}

func (c *outsiderClient) sendRaw(data string) {
	c.t.Helper()
	require.NoError(c.t, c.conn.WriteMessage(websocket.TextMessage, []byte(data)), "%s: send", c.name)
}

// waitFor returns the first message not yet returned for which ok holds, reading more with a
// deadline; it fails the test if none comes.
func (c *outsiderClient) waitFor(what string, ok func(outsiderMsg) bool) outsiderMsg {
	c.t.Helper()
	for i, m := range c.history {
		if !c.used[i] && ok(m) {
			c.used[i] = true
			return m
		}
	}
	timer := time.NewTimer(outsiderWait)
	defer timer.Stop()
	for {
		select {
		case m := <-c.msgs:
			c.history = append(c.history, m)
			c.used = append(c.used, false)
			if ok(m) {
				c.used[len(c.used)-1] = true
				return m
			}
		case <-c.done:
			// Drain what was read before the connection ended.
			select {
			case m := <-c.msgs:
				c.history = append(c.history, m)
				c.used = append(c.used, false)
				if ok(m) {
					c.used[len(c.used)-1] = true
					return m
				}
				continue
			default:
			}
			c.t.Fatalf("%s: connection ended (%v) before %s; got:\n%s", c.name, c.readErr, what, c.dump())
		case <-timer.C:
			c.t.Fatalf("%s: no %s within %s; got:\n%s", c.name, what, outsiderWait, c.dump())
		}
	}
}

func (c *outsiderClient) dump() string {
	var b strings.Builder
	for _, m := range c.history {
		b.WriteString("  " + m.raw + "\n")
	}
	return b.String()
}

// hello says who the client is and waits for the welcome.
func (c *outsiderClient) hello(v map[string]any) outsiderMsg {
	c.t.Helper()
	v["type"] = "hello"
	c.send(v)
	w := c.waitFor("welcome", func(m outsiderMsg) bool { return m.Type == "welcome" || m.Type == "error" })
	require.Equal(c.t, "welcome", w.Type, "%s: hello answered %s", c.name, w.raw)
	return w
}

func (c *outsiderClient) ack(ref string) outsiderMsg {
	c.t.Helper()
	m := c.waitFor("ack or error for "+ref, func(m outsiderMsg) bool { return (m.Type == "ack" || m.Type == "error") && m.Ref == ref })
	require.Equal(c.t, "ack", m.Type, "%s: %s answered %s", c.name, ref, m.raw)
	require.Positive(c.t, m.Seq, "%s: ack of %s without a seq: %s", c.name, ref, m.raw)
	return m
}

// refused waits for the error answering ref ("" for a message without one).
func (c *outsiderClient) refused(ref string) outsiderMsg {
	c.t.Helper()
	m := c.waitFor("answer to "+ref, func(m outsiderMsg) bool { return (m.Type == "ack" || m.Type == "error") && m.Ref == ref })
	require.Equal(c.t, "error", m.Type, "%s: %q should be refused, got %s", c.name, ref, m.raw)
	assert.NotEmpty(c.t, m.Error, "%s: error without a sentence", c.name)
	return m
}

func (c *outsiderClient) event(what string, ok func(outsiderMsg) bool) outsiderMsg {
	c.t.Helper()
	return c.waitFor(what, func(m outsiderMsg) bool { return m.Type == "event" && ok(m) })
}

// syncTo waits until the client has seen an event with seq >= seq. Events come in seq order,
// so anything visible to it below seq has arrived by then.
func (c *outsiderClient) syncTo(seq int64) {
	c.t.Helper()
	c.waitFor(fmt.Sprintf("an event with seq >= %d", seq), func(m outsiderMsg) bool { return m.Type == "event" && m.Seq >= seq })
}

// events is every event consumed so far, in arrival order.
func (c *outsiderClient) events() []outsiderMsg {
	var out []outsiderMsg
	for _, m := range c.history {
		if m.Type == "event" {
			out = append(out, m)
		}
	}
	return out
}

// drain consumes every message already queued without waiting.
func (c *outsiderClient) drain() {
	for {
		select {
		case m := <-c.msgs:
			c.history = append(c.history, m)
			c.used = append(c.used, false)
		default:
			return
		}
	}
}

// closedByServer waits until the server ends the connection.
func (c *outsiderClient) closedByServer() error {
	c.t.Helper()
	timer := time.NewTimer(outsiderWait)
	defer timer.Stop()
	for {
		select {
		case m := <-c.msgs:
			c.history = append(c.history, m)
			c.used = append(c.used, false)
		case <-c.done:
			c.drain()
			return c.readErr
		case <-timer.C:
			c.t.Fatalf("%s: the server kept the connection open; got:\n%s", c.name, c.dump())
			return nil
		}
	}
}

func outsiderHasInject(evs []outsiderMsg, name string) bool {
	for _, e := range evs {
		if e.Kind == "inject_delivered" && e.injectName() == name {
			return true
		}
	}
	return false
}

func outsiderKinds(evs []outsiderMsg) map[string]int {
	out := map[string]int{}
	for _, e := range evs {
		out[e.Kind]++
	}
	return out
}

func outsiderSeqsAbove(evs []outsiderMsg, since, upTo int64) []string {
	var out []string
	for _, e := range evs {
		if e.Seq > since && e.Seq <= upTo {
			out = append(out, fmt.Sprintf("%d:%s", e.Seq, e.Kind))
		}
	}
	return out
}

// TestOutsiderProtocol plays the bundled hospital-ransomware exercise as protocol.md describes
// it: admin creates, facilitator runs the clock, participants of three teams respond.
func TestOutsiderProtocol(t *testing.T) {
	s := mustOutsiderServer(t, nil)

	// Admin: the library and a new exercise.
	var listed []struct {
		Name     string `json:"name"`
		Title    string `json:"title"`
		Plan     string `json:"plan"`
		Duration string `json:"duration"`
		Teams    []struct {
			Name string `json:"name"`
		} `json:"teams"`
	}
	s.mustCall(t, http.MethodGet, "/api/scenarios", s.admin, nil, http.StatusOK, &listed)
	var found bool
	for _, sc := range listed {
		if sc.Name == "hospital-ransomware" {
			found = true
			assert.NotEmpty(t, sc.Title)
			assert.NotEmpty(t, sc.Plan)
			assert.Equal(t, "18h0m0s", sc.Duration, "durations are Go duration strings")
			require.NotEmpty(t, sc.Teams)
			assert.Equal(t, "service_desk", sc.Teams[0].Name)
		}
	}
	require.True(t, found, "GET /api/scenarios lacks hospital-ransomware")

	ex := s.mustCreate(t, "hospital-ransomware")
	for _, team := range []string{"service_desk", "cyber_irt", "gold", "infrastructure"} {
		require.NotEmpty(t, ex.Teams[team], "no join code for %s", team)
	}
	fac := ex.FacilitatorToken

	// Clients connect before the start.
	f := s.dial(t, "facilitator")
	fw := f.hello(map[string]any{"token": fac, "exercise": ex.ID, "since": 0})
	assert.Equal(t, "facilitator", fw.Role)

	alice := s.dial(t, "alice")
	aw := alice.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Alice", "since": 0})
	assert.Equal(t, "participant", aw.Role)
	assert.Equal(t, "service_desk", aw.Team)
	var welcomeEx struct {
		ID       string  `json:"id"`
		Title    string  `json:"title"`
		Status   string  `json:"status"`
		Speed    float64 `json:"speed"`
		SimTime  string  `json:"sim_time"`
		Severity string  `json:"severity"`
	}
	require.NoError(t, json.Unmarshal(aw.Exercise, &welcomeEx), aw.raw)
	assert.Equal(t, ex.ID, welcomeEx.ID)
	assert.NotEmpty(t, welcomeEx.Title)
	assert.NotEqual(t, "running", welcomeEx.Status)
	assert.Equal(t, float64(60), welcomeEx.Speed)

	// Bob stays connected throughout: the reference for what Alice must not miss.
	bob := s.dial(t, "bob")
	bob.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Bob", "since": 0})
	carol := s.dial(t, "carol")
	cw := carol.hello(map[string]any{"code": strings.ToLower(ex.Teams["cyber_irt"]), "name": "Carol", "since": 0})
	assert.Equal(t, "cyber_irt", cw.Team, "a join code typed in lower case still works")
	gina := s.dial(t, "gina")
	gina.hello(map[string]any{"code": ex.Teams["gold"], "name": "Gina", "since": 0})

	// Start: ward7-call is delivered at 0s to the service desk only.
	s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/start", fac, nil, http.StatusOK, nil)
	assert.Equal(t, http.StatusConflict, s.call(t, http.MethodPost, "/api/exercises/"+ex.ID+"/start", fac, nil).status,
		"starting a running exercise is 409")
	f.event("exercise_started", func(m outsiderMsg) bool { return m.Kind == "exercise_started" })
	call := f.event("ward7-call", func(m outsiderMsg) bool { return m.Kind == "inject_delivered" && m.injectName() == "ward7-call" })
	assert.Equal(t, "0s", call.T)
	ac := alice.event("ward7-call", func(m outsiderMsg) bool { return m.Kind == "inject_delivered" && m.injectName() == "ward7-call" })
	var in outsiderInject
	require.NoError(t, json.Unmarshal(ac.Inject, &in), ac.raw)
	assert.Equal(t, []string{"service_desk"}, in.To)
	assert.NotEmpty(t, in.Channel)
	assert.NotEmpty(t, in.Subject)
	assert.NotEmpty(t, in.BodyHTML)
	assert.Contains(t, in.BodyHTML, "<", "the body is rendered to HTML")
	assert.Equal(t, "null", string(in.Decision), "ward7-call carries no decision")
	bob.event("ward7-call", func(m outsiderMsg) bool { return m.Kind == "inject_delivered" && m.injectName() == "ward7-call" })

	// Alice responds; each response is acked with a seq once stored.
	alice.send(map[string]any{"type": "act", "ref": "a1", "action": "log_report"})
	a1 := alice.ack("a1")
	bob.event("Alice's log_report", func(m outsiderMsg) bool { return m.Seq == a1.Seq })
	alice.send(map[string]any{"type": "escalate", "ref": "a2", "to": "cyber_irt", "text": "Ward 7 screens look like ransomware"})
	a2 := alice.ack("a2")
	assert.Greater(t, a2.Seq, a1.Seq)
	esc := carol.event("the escalation", func(m outsiderMsg) bool { return m.Kind == "escalation" })
	assert.Equal(t, a2.Seq, esc.Seq, "the escalation lands in the addressed team's feed with the acked seq")
	assert.Contains(t, esc.raw, "Ward 7 screens look like ransomware")
	alice.send(map[string]any{"type": "note", "ref": "a3", "text": "Caller: Ward 7 charge nurse"})
	a3 := alice.ack("a3")
	// The same ref again on the same connection: same seq.
	alice.send(map[string]any{"type": "note", "ref": "a3", "text": "Caller: Ward 7 charge nurse"})
	assert.Equal(t, a3.Seq, alice.ack("a3").Seq, "a resent ref is acked with its first seq")

	// Carol (cyber_irt) may record the service desk's action: a finding, not an error.
	carol.send(map[string]any{"type": "act", "ref": "c1", "action": "log_report"})
	c1 := carol.ack("c1")
	// Carol's own plan step, so that csoc-call (when !report_to_csoc.done) is skipped later.
	carol.send(map[string]any{"type": "act", "ref": "c2", "action": "report_to_csoc"})
	carol.ack("c2")

	// A participant acts for its own team only: a team field naming another team changes
	// nothing, or is refused.
	alice.send(map[string]any{"type": "act", "ref": "a4", "action": "triage_alerts", "team": "cyber_irt"})
	a4 := alice.waitFor("answer to a4", func(m outsiderMsg) bool { return (m.Type == "ack" || m.Type == "error") && m.Ref == "a4" })
	if a4.Type == "ack" {
		rec := f.event("a4 as the facilitator sees it", func(m outsiderMsg) bool { return m.Seq == a4.Seq })
		assert.Equal(t, "service_desk", rec.field("team"), "an act is recorded for the sender's team: %s", rec.raw)
	}

	// Bad input of every kind protocol.md names: an error, and the connection stays.
	alice.sendRaw(`{"type": "act", "ref": "bad1", "action": `)
	alice.waitFor("an error for malformed JSON", func(m outsiderMsg) bool { return m.Type == "error" })
	alice.send(map[string]any{"type": "dance", "ref": "bad2"})
	alice.refused("bad2")
	alice.send(map[string]any{"type": "act", "ref": "bad3", "action": "summon_dragons"})
	alice.refused("bad3")
	alice.send(map[string]any{"type": "choose", "ref": "bad4", "decision": "ransom", "option": "refuse"})
	alice.refused("bad4")
	alice.send(map[string]any{"type": "escalate", "ref": "bad5", "to": "the_press", "text": "help"})
	alice.refused("bad5")
	alice.send(map[string]any{"type": "escalate", "ref": "bad6", "to": "Cyber_IRT ", "text": "help"})
	alice.refused("bad6")
	// Still connected and working.
	alice.send(map[string]any{"type": "note", "ref": "a5", "text": "still here"})
	a5 := alice.ack("a5")

	// A facilitator is not a team: it may not act over the socket.
	f.send(map[string]any{"type": "act", "ref": "f1", "action": "log_report"})
	f.refused("f1")

	_ = c1

	// Alice drops. While she is away the clock moves and others write to her team.
	lastAlice := a5.Seq
	require.NoError(t, alice.conn.Close())
	<-alice.done

	advance := func() {
		t.Helper()
		s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/advance", fac, nil, http.StatusOK, nil)
	}
	advance() // 15m edr-alert to cyber_irt
	f.event("edr-alert", func(m outsiderMsg) bool { return m.Kind == "inject_delivered" && m.injectName() == "edr-alert" })
	advance() // 45m pharmacy-and-radiology to service_desk and cyber_irt, severity operational
	par := f.event("pharmacy-and-radiology", func(m outsiderMsg) bool {
		return m.Kind == "inject_delivered" && m.injectName() == "pharmacy-and-radiology"
	})
	assert.Equal(t, "45m0s", par.T)
	f.event("severity_changed", func(m outsiderMsg) bool { return m.Kind == "severity_changed" })
	carol.send(map[string]any{"type": "escalate", "ref": "c3", "to": "service_desk", "text": "Isolate Ward 7 now"})
	c3 := carol.ack("c3")
	var adhoc map[string]any
	s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/injects", fac, map[string]any{
		"to": []string{"service_desk"}, "channel": "chat", "subject": "Switchboard",
		"body": "Calls **piling up** <script>window.x=1</script>",
	}, http.StatusOK, &adhoc)
	bob.send(map[string]any{"type": "note", "ref": "b1", "text": "marker"})
	mark := bob.ack("b1").Seq
	bob.syncTo(mark)

	// Alice comes back with the last seq she saw and misses nothing Bob saw.
	alice2 := s.dial(t, "alice again")
	alice2.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Alice", "since": lastAlice})
	alice2.syncTo(mark)
	want := outsiderSeqsAbove(bob.events(), lastAlice, mark)
	got := outsiderSeqsAbove(alice2.events(), lastAlice, mark)
	assert.Equal(t, want, got, "the reconnected client gets exactly what the connected one saw")
	assert.NotEmpty(t, got)
	assert.True(t, outsiderHasInject(alice2.events(), "pharmacy-and-radiology"))
	assert.False(t, outsiderHasInject(alice2.events(), "ward7-call"), "since: nothing at or below it is sent again")
	assert.Contains(t, outsiderKinds(alice2.events()), "escalation")
	for _, e := range alice2.events() {
		if e.Seq == c3.Seq {
			assert.Contains(t, e.raw, "Isolate Ward 7 now")
		}
		if e.Kind == "inject_delivered" && strings.Contains(e.raw, "Switchboard") {
			var adhocIn outsiderInject
			require.NoError(t, json.Unmarshal(e.Inject, &adhocIn))
			assert.Contains(t, adhocIn.BodyHTML, "<strong>piling up</strong>", "Markdown rendered")
			assert.NotContains(t, adhocIn.BodyHTML, "<script", "and sanitised")
		}
	}
	assert.False(t, outsiderHasInject(alice2.events(), "edr-alert"), "cyber_irt's inject is not in the service desk's feed")

	// A retry after the reconnect: the same ref gets the same seq and is recorded once.
	alice2.send(map[string]any{"type": "act", "ref": "a1", "action": "log_report"})
	assert.Equal(t, a1.Seq, alice2.ack("a1").Seq, "a ref resent after a reconnect is acked with its first seq")
	alice2.send(map[string]any{"type": "note", "ref": "a6", "text": "after the retry"})
	a6 := alice2.ack("a6")
	f.syncTo(a6.Seq)
	var logReports int
	for _, e := range f.events() {
		if e.Kind == "action_recorded" && e.field("action") == "log_report" && e.field("team") == "service_desk" {
			logReports++
		}
	}
	assert.Equal(t, 1, logReports, "log_report by the service desk recorded once; facilitator saw:\n%s", f.dump())

	// Skipped injects and observations are for facilitators only.
	advance() // 1h15m epma-down
	advance() // 1h30m file-servers-encrypted
	advance() // 2h15m hypervisor-down, severity continuity
	// Gina may not answer a decision before it is put to gold.
	gina.send(map[string]any{"type": "choose", "ref": "g0", "decision": "network_isolation", "option": "isolate_keep_analysers"})
	gina.refused("g0")
	advance() // 2h30m silver-sitrep with the decision network_isolation to gold
	sitrep := gina.event("silver-sitrep", func(m outsiderMsg) bool { return m.Kind == "inject_delivered" && m.injectName() == "silver-sitrep" })
	var sitrepIn outsiderInject
	require.NoError(t, json.Unmarshal(sitrep.Inject, &sitrepIn))
	assert.NotEqual(t, "null", string(sitrepIn.Decision), "the decision is put to gold: %s", sitrep.raw)
	assert.Equal(t, "2h30m0s", sitrep.T)
	gina.send(map[string]any{"type": "choose", "ref": "g1", "decision": "network_isolation", "option": "no_such_option"})
	gina.refused("g1")
	gina.send(map[string]any{"type": "choose", "ref": "g2", "decision": "network_isolation", "option": "isolate_keep_analysers"})
	g2 := gina.ack("g2")
	alice2.send(map[string]any{"type": "choose", "ref": "a7", "decision": "network_isolation", "option": "isolate_keep_analysers"})
	alice2.refused("a7")
	advance() // 2h45m csoc-call: skipped, report_to_csoc is done
	skipped := f.event("csoc-call skipped", func(m outsiderMsg) bool { return m.Kind == "inject_skipped" })
	assert.Equal(t, "csoc-call", skipped.injectName(), skipped.raw)
	s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/observations", fac,
		map[string]any{"text": "Gold chose quickly", "capability": "crisis_decisions", "rating": "S"}, http.StatusOK, nil)
	obs := f.event("observation", func(m outsiderMsg) bool { return m.Kind == "observation" })
	carol.send(map[string]any{"type": "note", "ref": "c4", "text": "marker"})
	c4 := carol.ack("c4")
	carol.syncTo(c4.Seq)
	gina.send(map[string]any{"type": "note", "ref": "g3", "text": "marker"})
	gina.syncTo(gina.ack("g3").Seq)
	for _, p := range []*outsiderClient{carol, gina, alice2} {
		p.drain()
		k := outsiderKinds(p.events())
		assert.Zero(t, k["inject_skipped"], "%s sees a skipped inject", p.name)
		assert.Zero(t, k["observation"], "%s sees an observation", p.name)
		for _, e := range p.events() {
			assert.NotEqual(t, obs.Seq, e.Seq, "%s sees the observation", p.name)
			if p != gina {
				assert.NotEqual(t, g2.Seq, e.Seq, "%s sees gold's decision", p.name)
			}
		}
	}
	assert.False(t, outsiderHasInject(carol.events(), "ward7-call"), "cyber_irt does not see the service desk's inject")

	// The facilitator's view over HTTP.
	var status map[string]any
	s.mustCall(t, http.MethodGet, "/api/exercises/"+ex.ID, fac, nil, http.StatusOK, &status)
	assert.Equal(t, "2h45m0s", status["sim_time"], "status: %v", status)
	assert.Equal(t, "continuity", status["severity"], "status: %v", status)

	// End, then the report counts log_report by the service desk once.
	s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/end", fac, nil, http.StatusOK, nil)
	ended := f.event("exercise_ended", func(m outsiderMsg) bool { return m.Kind == "exercise_ended" })

	// A facilitator reconnecting with since gets the rest of everything, skipped injects and
	// observations included, exactly as the connected one saw it.
	f2 := s.dial(t, "facilitator again")
	f2w := f2.hello(map[string]any{"token": fac, "exercise": ex.ID, "since": lastAlice})
	assert.Equal(t, ended.Seq, f2w.Seq, "welcome carries the last seq")
	f2.syncTo(ended.Seq)
	assert.Equal(t, outsiderSeqsAbove(f.events(), lastAlice, ended.Seq), outsiderSeqsAbove(f2.events(), lastAlice, ended.Seq))
	assert.Contains(t, outsiderKinds(f2.events()), "inject_skipped")
	assert.Contains(t, outsiderKinds(f2.events()), "observation")

	var report struct {
		Timeline []map[string]any `json:"timeline"`
	}
	s.mustCall(t, http.MethodGet, "/api/exercises/"+ex.ID+"/report?format=json", ex.ReviewerToken, nil, http.StatusOK, &report)
	var inReport int
	for _, e := range report.Timeline {
		if e["kind"] == "action_recorded" && e["action"] == "log_report" && e["team"] == "service_desk" {
			inReport++
		}
	}
	assert.Equal(t, 1, inReport, "the report's timeline records the retried act once")

	// After the end: the clock refuses, a response is an error on a connection that stays,
	// and the report comes in every format.
	for _, cmd := range []string{"start", "pause", "resume", "advance", "end"} {
		a := s.call(t, http.MethodPost, "/api/exercises/"+ex.ID+"/"+cmd, fac, nil)
		assert.Equal(t, http.StatusConflict, a.status, "%s after the end: %s", cmd, a.body)
	}
	alice2.send(map[string]any{"type": "note", "ref": "a8", "text": "too late"})
	alice2.refused("a8")
	alice2.send(map[string]any{"type": "note", "ref": "a8", "text": "too late"})
	alice2.refused("a8")
	for format, want := range map[string]string{"md": "hospital-ransomware", "html": "<svg", "csv": "log_report", "json": `"plan_version"`} {
		req, err := http.NewRequest(http.MethodGet, s.url+"/api/exercises/"+ex.ID+"/report?format="+format, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+ex.ReviewerToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "report %s: %s", format, body)
		assert.Contains(t, string(body), want, "report %s", format)
	}
	var readiness any
	s.mustCall(t, http.MethodGet, "/api/plans/st-aldrics-cyber-irp/readiness", ex.ReviewerToken, nil, http.StatusOK, &readiness)
	data, err := json.Marshal(readiness)
	require.NoError(t, err)
	assert.Contains(t, string(data), ex.ID, "readiness lists the ended exercise")
	s.mustCall(t, http.MethodGet, "/api/plans/st-aldrics-cyber-irp/readiness", s.admin, nil, http.StatusOK, nil)
}

// TestOutsiderRoles: every role is refused what it may not do, over HTTP and WebSocket.
func TestOutsiderRoles(t *testing.T) {
	logs := &wstest.LogBuffer{}
	s := mustOutsiderServer(t, func(c *web.Config) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ex := s.mustCreate(t, "hospital-ransomware")
	other := s.mustCreate(t, "hospital-ransomware")
	code := ex.Teams["service_desk"]
	base := "/api/exercises/" + ex.ID

	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		want                      []int
	}{
		{"no token lists scenarios", http.MethodGet, "/api/scenarios", "", nil, []int{401}},
		{"wrong token lists exercises", http.MethodGet, "/api/exercises", "not-a-token", nil, []int{401}},
		{"facilitator creates an exercise", http.MethodPost, "/api/exercises", ex.FacilitatorToken, map[string]any{"scenario": "hospital-ransomware", "speed": 60}, []int{403}},
		{"reviewer lists exercises", http.MethodGet, "/api/exercises", ex.ReviewerToken, nil, []int{403}},
		{"join code as a bearer starts the clock", http.MethodPost, base + "/start", code, nil, []int{401, 403}},
		{"join code as a bearer reads the status", http.MethodGet, base, code, nil, []int{401, 403}},
		{"join code as a bearer sends an inject", http.MethodPost, base + "/injects", code, map[string]any{"to": []string{"gold"}, "channel": "chat", "subject": "x", "body": "y"}, []int{401, 403}},
		{"reviewer starts the clock", http.MethodPost, base + "/start", ex.ReviewerToken, nil, []int{403}},
		{"reviewer records an observation", http.MethodPost, base + "/observations", ex.ReviewerToken, map[string]any{"text": "x", "capability": "c", "rating": "P"}, []int{403}},
		{"another exercise's facilitator starts it", http.MethodPost, base + "/start", other.FacilitatorToken, nil, []int{403}},
		{"another exercise's reviewer reads its report", http.MethodGet, base + "/report?format=json", other.ReviewerToken, nil, []int{403}},
		{"facilitator reads readiness", http.MethodGet, "/api/plans/hospital-ransomware-plan/readiness", "", nil, []int{401}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := s.call(t, tc.method, tc.path, tc.token, tc.body)
			assert.Contains(t, tc.want, a.status, "%s %s: %d %s", tc.method, tc.path, a.status, a.body)
			assert.NotEmpty(t, a.errorText(), "an error answer says why: %s", a.body)
		})
	}

	// Neither 401 nor 403 says which exercises exist: a foreign exercise and a made-up id
	// answer the same.
	real := s.call(t, http.MethodGet, base, other.FacilitatorToken, nil)
	madeUp := s.call(t, http.MethodGet, "/api/exercises/no-such-exercise", other.FacilitatorToken, nil)
	assert.Equal(t, real.status, madeUp.status, "real %s / made up %s", real.body, madeUp.body)
	assert.Equal(t, real.errorText(), madeUp.errorText())

	// Tokens never appear in what the server answers to others.
	var all []map[string]any
	s.mustCall(t, http.MethodGet, "/api/exercises", s.admin, nil, http.StatusOK, &all)
	data, _ := json.Marshal(all)
	assert.NotContains(t, string(data), ex.FacilitatorToken, "the exercise list leaks a facilitator token")
	assert.NotContains(t, string(data), code, "the exercise list leaks a join code")

	// WebSocket: a join code is not a facilitator token, and a wrong code gets no welcome.
	for _, hello := range []map[string]any{
		{"type": "hello", "token": code, "exercise": ex.ID, "since": 0},
		{"type": "hello", "token": other.FacilitatorToken, "exercise": ex.ID, "since": 0},
		{"type": "hello", "code": "ZZZZ-ZZZZ", "name": "Mallory", "since": 0},
		{"type": "hello", "code": code, "since": 0}, // no name
		{"type": "act", "ref": "x", "action": "log_report"},
	} {
		c := s.dial(t, fmt.Sprint(hello))
		c.send(hello)
		m := c.waitFor("a refusal", func(m outsiderMsg) bool { return m.Type == "error" || m.Type == "welcome" })
		assert.Equal(t, "error", m.Type, "%v answered %s", hello, m.raw)
	}

	// Origin: a page of another site may not open the socket.
	_, err := s.tryDial(t, "evil", "https://evil.example")
	assert.Error(t, err, "a foreign Origin is refused at the handshake")

	// Tokens and codes, right or wrong, never reach the logs.
	c := s.dial(t, "participant")
	c.hello(map[string]any{"code": code, "name": "Pat", "since": 0})
	c.send(map[string]any{"type": "note", "ref": "n1", "text": "logged?"})
	c.refused("n1") // not started yet
	log := logs.String()
	require.NotEmpty(t, log, "the server logs requests")
	for _, secret := range []string{s.admin, ex.FacilitatorToken, ex.ReviewerToken, other.FacilitatorToken, other.ReviewerToken, code, "not-a-token", "ZZZZ-ZZZZ"} {
		assert.NotContains(t, log, secret, "a secret in the logs")
	}
}

// TestOutsiderHTTPBadInput: each bad request gets its status and a sentence.
func TestOutsiderHTTPBadInput(t *testing.T) {
	s := mustOutsiderServer(t, nil)
	ex := s.mustCreate(t, "hospital-ransomware")
	fac := ex.FacilitatorToken
	base := "/api/exercises/" + ex.ID
	a := s.call(t, http.MethodPost, base+"/pause", fac, nil)
	assert.Equal(t, http.StatusConflict, a.status, "pause before start: %s", a.body)
	assert.NotEmpty(t, a.errorText())
	a = s.call(t, http.MethodPost, base+"/injects", fac, map[string]any{"to": []string{"gold"}, "channel": "chat", "subject": "x", "body": "y"})
	assert.Equal(t, http.StatusConflict, a.status, "inject before start: %s", a.body)
	s.mustCall(t, http.MethodPost, base+"/start", fac, nil, http.StatusOK, nil)
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		want                      int
		mentions                  string
	}{
		{"unknown scenario", http.MethodPost, "/api/exercises", s.admin, map[string]any{"scenario": "alien-invasion", "speed": 60}, 400, "scenario"},
		{"speed too high", http.MethodPost, "/api/exercises", s.admin, map[string]any{"scenario": "hospital-ransomware", "speed": 100000}, 400, "speed"},
		{"malformed body", http.MethodPost, "/api/exercises", s.admin, []byte(`{"scenario": `), 400, ""},
		{"speed zero", http.MethodPost, base + "/speed", fac, map[string]any{"speed": 0}, 400, "speed"},
		{"inject to an unknown team", http.MethodPost, base + "/injects", fac, map[string]any{"to": []string{"martians"}, "channel": "chat", "subject": "x", "body": "y"}, 400, "to"},
		{"inject on an unknown channel", http.MethodPost, base + "/injects", fac, map[string]any{"to": []string{"gold"}, "channel": "pigeon", "subject": "x", "body": "y"}, 400, "channel"},
		{"observation rating X", http.MethodPost, base + "/observations", fac, map[string]any{"text": "x", "capability": "c", "rating": "X"}, 400, "rating"},
		{"oversized body", http.MethodPost, base + "/observations", fac, map[string]any{"text": strings.Repeat("x", 2<<20), "capability": "c", "rating": "P"}, 413, ""},
		{"report in an unknown format", http.MethodGet, base + "/report?format=odt", ex.ReviewerToken, nil, 400, "format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := s.call(t, tc.method, tc.path, tc.token, tc.body)
			assert.Equal(t, tc.want, a.status, "%s %s: %s", tc.method, tc.path, a.body)
			assert.NotEmpty(t, a.errorText(), "no error sentence: %s", a.body)
			assert.Contains(t, a.errorText(), tc.mentions, "the error names the field")
		})
	}
	// The exercise carries on.
	s.mustCall(t, http.MethodPost, base+"/pause", fac, nil, http.StatusOK, nil)
	assert.Equal(t, http.StatusConflict, s.call(t, http.MethodPost, base+"/pause", fac, nil).status)
	s.mustCall(t, http.MethodPost, base+"/resume", fac, nil, http.StatusOK, nil)
	s.mustCall(t, http.MethodPost, base+"/speed", fac, map[string]any{"speed": 120}, http.StatusOK, nil)
	var st map[string]any
	s.mustCall(t, http.MethodGet, base, fac, nil, http.StatusOK, &st)
	assert.Equal(t, float64(120), st["speed"], "%v", st)
	assert.Equal(t, "running", st["status"], "%v", st)
	var health map[string]any
	s.mustCall(t, http.MethodGet, "/healthz", "", nil, http.StatusOK, &health)
	assert.Equal(t, true, health["ok"])
}

// TestOutsiderLimits: a message over 64 KiB closes the connection, and so does silence.
func TestOutsiderLimits(t *testing.T) {
	s := mustOutsiderServer(t, func(c *web.Config) { c.HelloTimeout = 200 * time.Millisecond })
	ex := s.mustCreate(t, "hospital-ransomware")
	code := ex.Teams["service_desk"]
	s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/start", ex.FacilitatorToken, nil, http.StatusOK, nil)

	// Just under the limit is answered (a note that long may be refused), not closed.
	c := s.dial(t, "under")
	c.hello(map[string]any{"code": code, "name": "Under", "since": 0})
	c.send(map[string]any{"type": "note", "ref": "n1", "text": strings.Repeat("x", 60<<10)})
	c.waitFor("answer to n1", func(m outsiderMsg) bool { return m.Ref == "n1" && (m.Type == "ack" || m.Type == "error") })

	big := s.dial(t, "big")
	big.hello(map[string]any{"code": code, "name": "Big", "since": 0})
	big.send(map[string]any{"type": "note", "ref": "n2", "text": strings.Repeat("x", 65<<10)})
	err := big.closedByServer()
	var ce *websocket.CloseError
	if assert.ErrorAs(t, err, &ce, "closed with a close frame") {
		assert.Equal(t, websocket.CloseMessageTooBig, ce.Code)
	}
	for _, h := range big.history {
		assert.NotEqual(t, "ack", h.Type, "an oversized note was acked: %s", h.raw)
	}

	silent := s.dial(t, "silent")
	assert.Error(t, silent.closedByServer(), "no hello in time closes the connection")

	// The exercise carries on for others.
	c.send(map[string]any{"type": "note", "ref": "n3", "text": "still fine"})
	c.ack("n3")
}

// TestOutsiderRefsPerClient: a ref is unique for one client only; another client of the same
// team, or of another team, using the same ref is a new response.
func TestOutsiderRefsPerClient(t *testing.T) {
	s := mustOutsiderServer(t, nil)
	ex := s.mustCreate(t, "hospital-ransomware")
	s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/start", ex.FacilitatorToken, nil, http.StatusOK, nil)
	alice := s.dial(t, "alice")
	alice.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Alice", "since": 0})
	bob := s.dial(t, "bob")
	bob.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Bob", "since": 0})
	carol := s.dial(t, "carol")
	carol.hello(map[string]any{"code": ex.Teams["cyber_irt"], "name": "Carol", "since": 0})

	alice.send(map[string]any{"type": "note", "ref": "r1", "text": "Alice's note"})
	a := alice.ack("r1")
	bob.send(map[string]any{"type": "note", "ref": "r1", "text": "Bob's note"})
	b := bob.ack("r1")
	carol.send(map[string]any{"type": "note", "ref": "r1", "text": "Carol's note"})
	c := carol.ack("r1")
	assert.NotEqual(t, a.Seq, b.Seq, "Bob's r1 is not Alice's")
	assert.NotEqual(t, a.Seq, c.Seq, "Carol's r1 is not Alice's")
	assert.NotEqual(t, b.Seq, c.Seq)
	bobsNote := alice.event("Bob's note", func(m outsiderMsg) bool { return m.Seq == b.Seq })
	assert.Contains(t, bobsNote.raw, "Bob's note")
}

// TestOutsiderRunningClock: simulated time runs at the speed on the server's clock, stops
// while paused, and injects are stamped with their due time even when the clock jumps past
// it.
func TestOutsiderRunningClock(t *testing.T) {
	s := mustOutsiderServer(t, nil)
	ex := s.mustCreate(t, "hospital-ransomware")
	base := "/api/exercises/" + ex.ID
	fac := ex.FacilitatorToken
	f := s.dial(t, "facilitator")
	f.hello(map[string]any{"token": fac, "exercise": ex.ID, "since": 0})
	irt := s.dial(t, "carol")
	irt.hello(map[string]any{"code": ex.Teams["cyber_irt"], "name": "Carol", "since": 0})
	s.mustCall(t, http.MethodPost, base+"/start", fac, nil, http.StatusOK, nil)
	f.event("ward7-call", func(m outsiderMsg) bool { return m.injectName() == "ward7-call" })

	// advanceReal moves the server's clock once the exercise waits on it.
	advanceReal := func(d time.Duration) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), outsiderWait)
		defer cancel()
		require.NoError(t, s.clock.BlockUntilContext(ctx, 1), "the running exercise waits on the clock")
		s.clock.Advance(d)
	}
	status := func() map[string]any {
		t.Helper()
		var st map[string]any
		s.mustCall(t, http.MethodGet, base, fac, nil, http.StatusOK, &st)
		return st
	}

	advanceReal(20 * time.Second) // speed 60: 20m simulated, edr-alert at 15m
	edr := irt.event("edr-alert", func(m outsiderMsg) bool { return m.injectName() == "edr-alert" })
	assert.Equal(t, "15m0s", edr.T, "stamped with its due time")
	assert.Equal(t, "20m0s", status()["sim_time"])

	s.mustCall(t, http.MethodPost, base+"/pause", fac, nil, http.StatusOK, nil)
	s.clock.Advance(time.Hour) // paused: simulated time stands still
	assert.Equal(t, "20m0s", status()["sim_time"])
	assert.Equal(t, "paused", status()["status"])
	irt.send(map[string]any{"type": "act", "ref": "c1", "action": "triage_alerts"})
	c1 := irt.ack("c1")
	rec := irt.event("c1 recorded", func(m outsiderMsg) bool { return m.Seq == c1.Seq })
	assert.Equal(t, "20m0s", rec.T, "a response while paused is stamped with the paused time")

	s.mustCall(t, http.MethodPost, base+"/resume", fac, nil, http.StatusOK, nil)
	s.mustCall(t, http.MethodPost, base+"/speed", fac, map[string]any{"speed": 120}, http.StatusOK, nil)
	advanceReal(15 * time.Second) // speed 120: 30m simulated, to 50m; pharmacy at 45m
	par := irt.event("pharmacy-and-radiology", func(m outsiderMsg) bool { return m.injectName() == "pharmacy-and-radiology" })
	assert.Equal(t, "45m0s", par.T)
	assert.Equal(t, "50m0s", status()["sim_time"])
	assert.Equal(t, float64(120), status()["speed"])

	s.mustCall(t, http.MethodPost, base+"/end", fac, nil, http.StatusOK, nil)
	end := f.event("exercise_ended", func(m outsiderMsg) bool { return m.Kind == "exercise_ended" })
	assert.Equal(t, "50m0s", end.T)
}

// TestOutsiderLiveEqualsRehearsal plays the outsider's crane-hijack scenario live, with the
// inputs of its rehearsal steady-hands sent over the WebSocket at the same simulated times
// (the server's clock moved by hand at speed 60), and expects the timeline and the scores
// written by hand for the rehearsal (cmd/ttx/outsider_test.go): language.md says the same
// scenario with the same inputs at the same simulated times gives the same log.
func TestOutsiderLiveEqualsRehearsal(t *testing.T) {
	lib, diags := scenarios.Load("../testdata/outsider/valid")
	require.False(t, diags.HasErrors(), diags.Error())
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "ttx.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	clock := clockwork.NewFakeClock()
	m := facilitator.NewManager(store, lib, clock, rand.Reader, facilitator.WithAdminToken("outsider-admin"))
	t.Cleanup(m.Close)
	srv := web.NewServer(web.Config{Manager: m, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(ts.CloseClientConnections)
	s := &outsiderServer{url: ts.URL, admin: "outsider-admin", clock: clock}

	ex := s.mustCreate(t, "crane-hijack")
	base := "/api/exercises/" + ex.ID
	teams := map[string]*outsiderClient{}
	for _, team := range []string{"ops", "soc", "it", "exec"} {
		c := s.dial(t, team)
		c.hello(map[string]any{"code": ex.Teams[team], "name": "Player " + team, "since": 0})
		teams[team] = c
	}
	f := s.dial(t, "facilitator")
	f.hello(map[string]any{"token": ex.FacilitatorToken, "exercise": ex.ID, "since": 0})
	s.mustCall(t, http.MethodPost, base+"/start", ex.FacilitatorToken, nil, http.StatusOK, nil)

	// at moves simulated time to d (speed 60: a real second is a simulated minute) and waits
	// until the facilitator has seen every inject due by then fire.
	now := time.Duration(0)
	at := func(d time.Duration, firing ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), outsiderWait)
		defer cancel()
		require.NoError(t, clock.BlockUntilContext(ctx, 1))
		clock.Advance((d - now) / 60)
		now = d
		for _, name := range firing {
			f.event(name, func(m outsiderMsg) bool {
				return (m.Kind == "inject_delivered" || m.Kind == "inject_skipped") && m.injectName() == name
			})
		}
	}
	n := 0
	send := func(team string, msg map[string]any) outsiderMsg {
		t.Helper()
		n++
		ref := fmt.Sprintf("r%d", n)
		msg["ref"] = ref
		c := teams[team]
		c.send(msg)
		return c.waitFor("answer to "+ref, func(m outsiderMsg) bool { return m.Ref == ref && (m.Type == "ack" || m.Type == "error") })
	}
	ok := func(m outsiderMsg) { t.Helper(); require.Equal(t, "ack", m.Type, m.raw) }

	at(5 * time.Minute)
	ok(send("ops", map[string]any{"type": "act", "action": "open_ticket"}))
	at(30*time.Minute, "scada-alert")
	ok(send("soc", map[string]any{"type": "act", "action": "isolate_gateway"}))
	at(35 * time.Minute)
	ok(send("ops", map[string]any{"type": "escalate", "to": "soc", "text": "Possible intrusion at crane control"}))
	at(50 * time.Minute)
	ok(send("ops", map[string]any{"type": "note", "text": "Gate 4 footage saved"}))
	ok(send("soc", map[string]any{"type": "act", "action": "check_cctv"}))
	at(time.Hour, "press", "press-followup", "crane-stops")
	assert.Equal(t, "error", send("exec", map[string]any{"type": "choose", "decision": "pay", "option": "refuse"}).Type)
	at(80 * time.Minute)
	ok(send("soc", map[string]any{"type": "escalate", "to": "exec", "text": "Cranes compromised, please stand up the executive"}))
	at(2*time.Hour, "ransom")
	at(130 * time.Minute)
	ok(send("it", map[string]any{"type": "choose", "decision": "pay", "option": "pay"}))
	at(140 * time.Minute)
	ok(send("exec", map[string]any{"type": "choose", "decision": "pay", "option": "refuse"}))
	at(150 * time.Minute)
	assert.Equal(t, "error", send("soc", map[string]any{"type": "choose", "decision": "pay", "option": "refuse"}).Type)
	at(330*time.Minute, "regulator-call", "late-news", "all-clear")
	ok(send("exec", map[string]any{"type": "note", "text": "Board informed by phone"}))
	at(6 * time.Hour)
	f.event("exercise_ended", func(m outsiderMsg) bool { return m.Kind == "exercise_ended" })

	var r struct {
		Score struct {
			Overall      float64            `json:"overall"`
			ByTeam       map[string]float64 `json:"by_team"`
			ByCapability map[string]float64 `json:"by_capability"`
			ByPhase      map[string]float64 `json:"by_phase"`
		} `json:"score"`
		NotInPlay []string         `json:"not_in_play"`
		Open      []string         `json:"open"`
		Timeline  []map[string]any `json:"timeline"`
	}
	s.mustCall(t, http.MethodGet, base+"/report?format=json", ex.ReviewerToken, nil, http.StatusOK, &r)
	var got []string
	for _, e := range r.Timeline {
		if e["kind"] == "team_joined" {
			continue // the live exercise's participants joining: a rehearsal has none
		}
		parts := []string{fmt.Sprint(e["t"]), fmt.Sprint(e["kind"])}
		for _, k := range []string{"inject", "action", "decision", "severity", "team"} {
			if v, ok := e[k]; ok && v != nil && v != "" {
				parts = append(parts, fmt.Sprint(v))
			}
		}
		got = append(got, strings.Join(parts, " "))
	}
	// The hand-written timeline of the rehearsal (cmd/ttx/outsider_test.go).
	want, err := os.ReadFile("../testdata/outsider/steady-hands.timeline")
	require.NoError(t, err)
	assert.Equal(t, strings.Split(strings.TrimSpace(string(want)), "\n"), got)
	assert.Equal(t, 45.5, r.Score.Overall)
	assert.Equal(t, map[string]float64{"ops": 66.7, "soc": 50, "it": 0, "exec": 100}, r.Score.ByTeam)
	assert.Equal(t, map[string]float64{"reporting": 75, "escalation": 37.5, "containment": 75, "recovery": 0, "decisions": 50}, r.Score.ByCapability)
	assert.Equal(t, map[string]float64{"preparation": 50, "detection": 75, "containment": 50, "recovery": 33.3}, r.Score.ByPhase)
	assert.Equal(t, []string{"lessons_learned"}, r.NotInPlay)
	assert.Equal(t, []string{"notify_authority"}, r.Open)
}

// outsiderProcess is one server's life over a database file that outlives it.
type outsiderProcess struct {
	*outsiderServer
	stop func()
}

func mustOutsiderProcess(t *testing.T, db string, clock *clockwork.FakeClock) *outsiderProcess {
	t.Helper()
	lib, diags := scenarios.LoadFS(scenarios.Library())
	require.False(t, diags.HasErrors(), diags.Error())
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	m := facilitator.NewManager(store, lib, clock, rand.Reader, facilitator.WithAdminToken("outsider-admin"))
	require.NoError(t, m.Restore(context.Background()))
	srv := web.NewServer(web.Config{Manager: m, Logger: slog.New(slog.DiscardHandler)})
	ts := httptest.NewServer(srv)
	p := &outsiderProcess{outsiderServer: &outsiderServer{url: ts.URL, admin: "outsider-admin", clock: clock}}
	var stopped bool
	p.stop = func() {
		if stopped {
			return
		}
		stopped = true
		ts.CloseClientConnections()
		srv.Close()
		ts.Close()
		m.Close()
		_ = store.Close()
	}
	t.Cleanup(p.stop)
	return p
}

// TestOutsiderRestart: a server stopped and started again over its database has every
// exercise back with the same credentials and log; a running one comes back paused at the
// simulated time of its last event (docs/reliability.md), a retry is still recorded once,
// and after resume the clock carries on.
func TestOutsiderRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ttx.db")
	clock := clockwork.NewFakeClock()
	p := mustOutsiderProcess(t, db, clock)
	ex := p.mustCreate(t, "hospital-ransomware")
	base := "/api/exercises/" + ex.ID
	fac := ex.FacilitatorToken
	p.mustCall(t, http.MethodPost, base+"/start", fac, nil, http.StatusOK, nil)
	p.mustCall(t, http.MethodPost, base+"/advance", fac, nil, http.StatusOK, nil) // 15m edr-alert
	alice := p.dial(t, "alice")
	alice.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Alice", "since": 0})
	alice.send(map[string]any{"type": "act", "ref": "a1", "action": "log_report"})
	a1 := alice.ack("a1")
	f := p.dial(t, "facilitator")
	f.hello(map[string]any{"token": fac, "exercise": ex.ID, "since": 0})
	f.syncTo(a1.Seq)
	before := outsiderSeqsAbove(f.events(), 0, a1.Seq)
	var st map[string]any
	p.mustCall(t, http.MethodGet, base, fac, nil, http.StatusOK, &st)
	require.Equal(t, "15m0s", st["sim_time"])

	p.stop()
	clock.Advance(10 * time.Minute) // the server is down for a while
	q := mustOutsiderProcess(t, db, clock)

	q.mustCall(t, http.MethodGet, base, fac, nil, http.StatusOK, &st)
	assert.Equal(t, "paused", st["status"], "%v", st)
	assert.Equal(t, "15m0s", st["sim_time"], "back at the simulated time of its last event: %v", st)
	f2 := q.dial(t, "facilitator again")
	f2.hello(map[string]any{"token": fac, "exercise": ex.ID, "since": 0})
	paused := f2.event("the restart's pause", func(m outsiderMsg) bool { return m.Kind == "clock" && m.field("clock") == "paused" })
	assert.Equal(t, before, outsiderSeqsAbove(f2.events(), 0, a1.Seq), "the log is the same")
	assert.Greater(t, paused.Seq, a1.Seq)

	alice2 := q.dial(t, "alice after the restart")
	alice2.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Alice", "since": a1.Seq})
	alice2.send(map[string]any{"type": "act", "ref": "a1", "action": "log_report"})
	assert.Equal(t, a1.Seq, alice2.ack("a1").Seq, "a retry after the restart is acked with the first seq")

	q.mustCall(t, http.MethodPost, base+"/resume", fac, nil, http.StatusOK, nil)
	q.mustCall(t, http.MethodPost, base+"/advance", fac, nil, http.StatusOK, nil) // 45m pharmacy-and-radiology
	par := alice2.event("pharmacy-and-radiology", func(m outsiderMsg) bool { return m.injectName() == "pharmacy-and-radiology" })
	assert.Equal(t, "45m0s", par.T)
	f2.syncTo(par.Seq)
	var reports int
	for _, e := range f2.events() {
		if e.Kind == "action_recorded" && e.field("action") == "log_report" {
			reports++
		}
	}
	assert.Equal(t, 1, reports, "log_report recorded once across the restart")
}

// TestOutsiderUnansweredPings: the server pings idle clients and drops one that stops
// answering; a client that answers stays.
func TestOutsiderUnansweredPings(t *testing.T) {
	s := mustOutsiderServer(t, func(c *web.Config) {
		c.PongWait = 300 * time.Millisecond
		c.PingPeriod = 100 * time.Millisecond
	})
	ex := s.mustCreate(t, "hospital-ransomware")
	s.mustCall(t, http.MethodPost, "/api/exercises/"+ex.ID+"/start", ex.FacilitatorToken, nil, http.StatusOK, nil)

	var pinged = make(chan struct{}, 1)
	mute, err := s.tryDialWith(t, "mute", s.url, func(conn *websocket.Conn) {
		conn.SetPingHandler(func(string) error { // reads on, but never answers a ping
			select {
			case pinged <- struct{}{}:
			default:
			}
			return nil
		})
	})
	require.NoError(t, err)
	mute.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Mute", "since": 0})
	polite := s.dial(t, "polite")
	polite.hello(map[string]any{"code": ex.Teams["service_desk"], "name": "Polite", "since": 0})

	assert.Error(t, mute.closedByServer(), "a client that answers no ping is dropped")
	select {
	case <-pinged:
	default:
		assert.Fail(t, "the server never pinged the idle client")
	}
	// The polite one, idle as long, is still there and served.
	polite.send(map[string]any{"type": "note", "ref": "p1", "text": "still here"})
	polite.ack("p1")
}

// A 403 says what the request needs; the facilitator is told the report needs the reviewer
// token, not that the facilitator's token would do.
func TestOutsiderReport403SaysWhoMay(t *testing.T) {
	s := mustOutsiderServer(t, nil)
	ex := s.mustCreate(t, "hospital-ransomware")
	a := s.call(t, http.MethodGet, "/api/exercises/"+ex.ID+"/report?format=json", ex.FacilitatorToken, nil)
	assert.Equal(t, http.StatusForbidden, a.status)
	assert.NotContains(t, a.errorText(), "facilitator", "the facilitator's token was just refused: %s", a.errorText())
}
