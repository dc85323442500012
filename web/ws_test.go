package web_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// kinds returns the kinds of the event messages in ms.
func kinds(ms []msg) []string {
	var out []string
	for _, m := range ms {
		if m.str("type") == "event" {
			out = append(out, m.str("kind"))
		}
	}
	return out
}

func TestWebSocketParticipantsSeeTheirOwnTeam(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	base := "/api/exercises/" + x.ID

	irt, welcome := e.participant(x.Teams["irt"], "Ines", 0)
	assert.Equal(t, "participant", welcome.str("role"))
	assert.Equal(t, "irt", welcome.str("team"))
	assert.Equal(t, "Ines", welcome.str("name"))
	ex := welcome["exercise"].(map[string]any)
	assert.Equal(t, x.ID, ex["id"])
	assert.Equal(t, "Test scenario", ex["title"])
	assert.Equal(t, "running", ex["status"])
	assert.Equal(t, "local", ex["severity"])
	plan := welcome["plan"].(map[string]any)
	assert.Equal(t, "Test plan", plan["title"])
	assert.Len(t, plan["teams"], 3)
	assert.Len(t, plan["actions"], 3)
	// The start, as irt sees it: not the call to the service desk nor its action.
	started := irt.next()
	assert.Equal(t, "exercise_started", started.str("kind"))
	assert.Equal(t, int64(1), started.seq())
	sev := irt.next()
	assert.Equal(t, "severity_changed", sev.str("kind"))
	assert.Equal(t, map[string]any{"name": "local", "title": "Local incident", "level": float64(1)}, sev["severity"])

	desk, _ := e.participant(x.Teams["service_desk"], "Sam", 0)
	call, before := desk.until(isEvent("inject_delivered"))
	assert.Equal(t, []string{"exercise_started", "severity_changed"}, kinds(before))
	// (v2) An exercise is in evaluation mode unless created in training: no action_triggered
	// reaches a participant.
	inject := call["inject"].(map[string]any)
	assert.Equal(t, "call", inject["name"])
	assert.Equal(t, "phone", inject["channel"])
	assert.Equal(t, "Ward 3", inject["from"])
	assert.Nil(t, inject["decision"])
	assert.Contains(t, inject["body_html"], "<strong>workstations</strong>")
	assert.NotContains(t, inject["body_html"], "<script")

	cmt, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	_, _ = cmt.until(isEvent("severity_changed"))

	e.mustRequest("POST", base+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil)
	alert, _ := irt.until(isEvent("inject_delivered"))
	assert.Equal(t, "10m0s", alert.str("t"))
	assert.Equal(t, "alert", alert["inject"].(map[string]any)["name"])

	irt.send(msg{"type": "act", "ref": "a1", "action": "contain_hosts"})
	_, rec, _ := irt.ackAndEvent("a1")
	assert.Equal(t, "action_recorded", rec.str("kind"))
	assert.Equal(t, "Ines", rec.str("name"))

	irt.send(msg{"type": "escalate", "ref": "a2", "to": "cmt", "text": "<img src=x onerror=alert(1)> need a decision"})
	_, _, afterEsc := irt.ackAndEvent("a2")
	esc, skipped := cmt.until(isEvent("escalation"))
	assert.Equal(t, []string{"clock"}, kinds(skipped), "cmt sees the advance, nothing of irt's own actions")
	assert.Equal(t, "irt", esc.str("team"))
	assert.Equal(t, "cmt", esc.str("to"))
	assert.Equal(t, "Ines", esc.str("name"))
	assert.Equal(t, "<img src=x onerror=alert(1)> need a decision", esc.str("text"), "text goes out as text, for textContent")

	// The escalation also records irt's escalate_to_cmt action, which irt sees.
	var recEsc msg
	if len(afterEsc) > 0 {
		recEsc = afterEsc[0]
	} else {
		recEsc, _ = irt.until(isEvent("action_recorded"))
	}
	assert.Equal(t, "action_recorded", recEsc.str("kind"))
	assert.Equal(t, "escalate_to_cmt", recEsc.str("action"))

	// The facilitator sees everything, observations included.
	fac, fw := e.facilitatorWS(x.FacilitatorToken, x.ID)
	assert.Equal(t, "facilitator", fw.str("role"))
	e.mustRequest("POST", base+"/observations", x.FacilitatorToken, map[string]any{"text": "good", "rating": "S"}, http.StatusCreated, nil)
	obs, all := fac.until(isEvent("observation"))
	assert.Equal(t, "S", obs.str("rating"))
	assert.Contains(t, kinds(all), "escalation")
	assert.Contains(t, kinds(all), "action_triggered")
	var seqs []int64
	for _, m := range append(all, obs) {
		seqs = append(seqs, m.seq())
	}
	for i := range seqs {
		assert.Equal(t, int64(i+1), seqs[i], "the facilitator gets every event in order")
	}
	// A participant never sees an observation: the next thing irt gets is the clock.
	e.mustRequest("POST", base+"/pause", x.FacilitatorToken, nil, http.StatusOK, nil)
	clock := irt.next()
	assert.Equal(t, "clock", clock.str("kind"))
	assert.Equal(t, "paused", clock.str("clock"))
}

// TestWebSocketBadInput: every kind of bad message protocol.md names gets an error naming it,
// and the connection stays.
func TestWebSocketBadInput(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	tests := []struct {
		name, raw, ref, want string
	}{
		{"malformed JSON", `{"type":"act"`, "", "malformed JSON"},
		{"unknown type", `{"type":"shout","ref":"b1"}`, "b1", `unknown message type "shout"`},
		{"unknown field", `{"type":"act","ref":"b2","action":"contain_hosts","team":"cmt"}`, "b2", `unknown field "team"`},
		{"missing ref", `{"type":"act","action":"contain_hosts"}`, "", `"ref" is required`},
		{"wrong type", `{"type":"note","ref":"b3","text":42}`, "b3", `"text" must be a string`},
		{"action not in plan", `{"type":"act","ref":"b4","action":"panic"}`, "b4", `action: the plan has no action "panic"`},
		{"a decision another team decides", `{"type":"choose","ref":"b5","decision":"ransom","option":"pay"}`, "b5", "ransom is decided by cmt; team irt cannot answer it"},
		{"unknown decision", `{"type":"choose","ref":"b6","decision":"nope","option":"pay"}`, "b6", `no decision "nope"`},
		{"escalation to unknown team", `{"type":"escalate","ref":"b7","to":"aliens","text":"hi"}`, "b7", `to: the plan has no team "aliens"`},
		{"escalation to itself", `{"type":"escalate","ref":"b8","to":"irt","text":"hi"}`, "b8", "cannot escalate to itself"},
		{"empty note", `{"type":"note","ref":"b9","text":""}`, "b9", "text: is required"},
		{"second hello", `{"type":"hello","code":"X","name":"Y"}`, "", "already said hello"},
		{"invalid UTF-8", "{\"type\":\"note\",\"ref\":\"b10\",\"text\":\"\xff\xfe\"}", "", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			irt.sendRaw(tt.raw)
			m, _ := irt.until(func(m msg) bool { return m.str("type") == "error" || m.str("type") == "ack" })
			require.Equal(t, "error", m.str("type"), "%v", m)
			assert.Equal(t, tt.ref, m.str("ref"))
			assert.Contains(t, m.str("error"), tt.want)
		})
	}
	t.Run("binary frame", func(t *testing.T) {
		before := len(e.logOf(x.ID))
		require.NoError(t, irt.conn.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"note","ref":"bin","text":"in binary"}`)))
		m, _ := irt.until(func(m msg) bool { return m.str("type") == "error" || m.str("type") == "ack" })
		require.Equal(t, "error", m.str("type"), "%v", m)
		assert.Contains(t, m.str("error"), "binary frames are refused")
		assert.Len(t, e.logOf(x.ID), before, "nothing recorded")
		c := e.dial()
		require.NoError(t, c.conn.WriteMessage(websocket.BinaryMessage, []byte(`{"type":"hello","code":"`+x.Teams["irt"]+`","name":"Bin"}`)))
		assert.Contains(t, c.next().str("error"), "binary frames are refused", "a binary hello too")
	})
	irt.send(msg{"type": "note", "ref": "ok", "text": "still here"})
	assert.Equal(t, "ack", irt.reply("ok").str("type"))
	// Recording another team's action is a finding for the report, not an error.
	irt.send(msg{"type": "act", "ref": "owner", "action": "log_report"})
	assert.Equal(t, "ack", irt.reply("owner").str("type"))
	// Nothing of the bad messages was recorded.
	x1, err := e.m.Exercise(x.ID)
	require.NoError(t, err)
	var responses []string
	for _, ev := range x1.EventsSince(0) {
		if ev.Ref != "" {
			responses = append(responses, ev.Ref)
		}
	}
	assert.Equal(t, []string{"ok", "owner"}, responses)
}

func TestWebSocketRoles(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	other := e.mustStart()

	t.Run("facilitator may not act", func(t *testing.T) {
		fac, _ := e.facilitatorWS(x.FacilitatorToken, x.ID)
		fac.send(msg{"type": "note", "ref": "f1", "text": "I am a team"})
		m := fac.reply("f1")
		assert.Equal(t, "error", m.str("type"))
		assert.Contains(t, m.str("error"), "do not act for a team")
	})
	t.Run("admin may watch", func(t *testing.T) {
		_, w := e.facilitatorWS(testAdmin, x.ID)
		assert.Equal(t, "admin", w.str("role"))
	})
	refused := []struct {
		name  string
		hello msg
		want  string
	}{
		{"facilitator of another exercise", msg{"type": "hello", "token": other.FacilitatorToken, "exercise": x.ID}, "may not follow that exercise"},
		{"facilitator of another, unknown exercise", msg{"type": "hello", "token": other.FacilitatorToken, "exercise": "doesnotexist"}, "may not follow that exercise"},
		{"reviewer", msg{"type": "hello", "token": x.ReviewerToken, "exercise": x.ID}, "may not follow that exercise"},
		{"wrong token", msg{"type": "hello", "token": "nope", "exercise": x.ID}, "not valid"},
		{"wrong code", msg{"type": "hello", "code": "AAAA-AAAA", "name": "Mallory"}, "not valid"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			c := e.dial()
			c.send(tt.hello)
			m := c.next()
			assert.Equal(t, "error", m.str("type"))
			assert.Contains(t, m.str("error"), tt.want)
			var ce *websocket.CloseError
			require.ErrorAs(t, c.closed(), &ce)
			assert.Equal(t, websocket.ClosePolicyViolation, ce.Code)
		})
	}
	t.Run("a participant of another exercise sees nothing of this one", func(t *testing.T) {
		c, w := e.participant(other.Teams["irt"], "Olga", 0)
		assert.Equal(t, other.ID, w["exercise"].(map[string]any)["id"])
		e.mustRequest("POST", "/api/exercises/"+x.ID+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil)
		e.mustRequest("POST", "/api/exercises/"+other.ID+"/pause", other.FacilitatorToken, nil, http.StatusOK, nil)
		m, _ := c.until(isEvent("clock"))
		assert.Equal(t, "paused", m.str("clock"), "the next event is its own exercise's pause, not the other's alert")
	})
	t.Run("a code is not a token", func(t *testing.T) {
		r := e.request("GET", "/api/whoami", x.Teams["irt"], nil)
		assert.Equal(t, http.StatusUnauthorized, r.status)
	})
	t.Run("a join code in any case and spacing joins", func(t *testing.T) {
		_, w := e.participant(strings.ToLower(strings.ReplaceAll(x.Teams["cmt"], "-", " ")), "Cleo", 0)
		assert.Equal(t, "cmt", w.str("team"))
	})
}

// TestWebSocketReconnectMissesNothing: a client that reconnects with the last seq it saw gets
// exactly what it missed, and a resent ref is acked with the same seq and recorded once.
func TestWebSocketReconnectMissesNothing(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	fac := x.FacilitatorToken
	base := "/api/exercises/" + x.ID
	e.mustRequest("POST", base+"/advance", fac, nil, http.StatusOK, nil) // alert to irt

	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	alert, before := irt.until(isEvent("inject_delivered"))
	irt.send(msg{"type": "act", "ref": "r1", "action": "contain_hosts"})
	ack1, rec, more := irt.ackAndEvent("r1")
	require.Empty(t, more, "(v2) evaluation mode: the alert's two action_triggered reach no participant")
	first := append(append(append(eventsOf(before), alert), more...), rec)
	last := rec.seq()
	require.NoError(t, irt.conn.Close())

	// While irt is away: the clock moves, cmt escalates to irt, the facilitator pauses.
	e.mustRequest("POST", base+"/advance", fac, nil, http.StatusOK, nil) // demand to cmt
	cmt, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	cmt.send(msg{"type": "escalate", "ref": "c1", "to": "irt", "text": "Status?"})
	require.Equal(t, "ack", cmt.reply("c1").str("type"))
	e.mustRequest("POST", base+"/pause", fac, nil, http.StatusOK, nil)

	again, _ := e.participant(x.Teams["irt"], "Ines", last)
	isPause := func(m msg) bool { return isEvent("clock")(m) && m.str("clock") == "paused" }
	pause, missed := again.until(isPause)
	second := append(eventsOf(missed), pause)
	assert.Contains(t, kinds(second), "escalation")
	for _, m := range second {
		assert.Greater(t, m.seq(), last)
	}

	// A fresh client gets from 0 exactly what the first connection saw and what the
	// reconnected one got: nothing lost, nothing doubled.
	fresh, _ := e.participant(x.Teams["irt"], "Ines", 0)
	_, all := fresh.until(func(m msg) bool { return m.seq() == pause.seq() })
	all = append(eventsOf(all), pause)
	assert.Equal(t, seqsOf(all), append(seqsOf(first), seqsOf(second)...))

	// The same ref again, after the reconnect: the same seq, recorded once.
	again.send(msg{"type": "act", "ref": "r1", "action": "contain_hosts"})
	ack2 := again.reply("r1")
	assert.Equal(t, "ack", ack2.str("type"))
	assert.Equal(t, ack1.seq(), ack2.seq())
	xl, err := e.m.Exercise(x.ID)
	require.NoError(t, err)
	n := 0
	for _, ev := range xl.EventsSince(0) {
		if ev.Ref == "r1" {
			n++
		}
	}
	assert.Equal(t, 1, n)
}

func eventsOf(ms []msg) []msg {
	var out []msg
	for _, m := range ms {
		if m.str("type") == "event" {
			out = append(out, m)
		}
	}
	return out
}

func seqsOf(ms []msg) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.seq())
	}
	return out
}

func TestWebSocketLimits(t *testing.T) {
	t.Run("a message over 64 KiB closes the connection", func(t *testing.T) {
		e := newEnv(t)
		x := e.mustStart()
		c, _ := e.participant(x.Teams["irt"], "Ines", 0)
		c.sendRaw(`{"type":"note","ref":"big","text":"` + strings.Repeat("x", 65<<10) + `"}`)
		var ce *websocket.CloseError
		require.ErrorAs(t, c.closed(), &ce)
		assert.Equal(t, websocket.CloseMessageTooBig, ce.Code)
		// The exercise carries on for everyone else.
		d, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
		d.send(msg{"type": "note", "ref": "n", "text": "fine"})
		assert.Equal(t, "ack", d.reply("n").str("type"))
	})
	t.Run("no hello in time closes the connection", func(t *testing.T) {
		e := newEnv(t, func(c *web.Config) { c.HelloTimeout = 20 * time.Millisecond })
		c := e.dial()
		var ce *websocket.CloseError
		require.ErrorAs(t, c.closed(), &ce)
		assert.Equal(t, websocket.ClosePolicyViolation, ce.Code)
		assert.Equal(t, "no hello in time", ce.Text)
	})
	t.Run("a bad hello is answered and may be retried", func(t *testing.T) {
		e := newEnv(t)
		x := e.mustStart()
		c := e.dial()
		c.send(msg{"type": "act", "ref": "a", "action": "x"})
		assert.Contains(t, c.next().str("error"), "say hello first")
		c.send(msg{"type": "hello", "code": x.Teams["irt"]})
		assert.Contains(t, c.next().str("error"), "name: is required")
		c.send(msg{"type": "hello", "code": x.Teams["irt"], "name": "Ines"})
		assert.Equal(t, "welcome", c.next().str("type"))
	})
	t.Run("a flood is answered slow down", func(t *testing.T) {
		e := newEnv(t, func(c *web.Config) { c.MessageRate, c.MessageBurst = 1, 5 })
		x := e.mustStart()
		c, _ := e.participant(x.Teams["irt"], "Ines", 0)
		for i := range 8 {
			c.send(msg{"type": "note", "ref": "n" + string(rune('0'+i)), "text": "spam"})
		}
		for i := range 8 {
			m := c.reply("n" + string(rune('0'+i)))
			if i < 5 {
				assert.Equal(t, "ack", m.str("type"), "message %d", i)
			} else {
				assert.Equal(t, "error", m.str("type"), "message %d", i)
				assert.Contains(t, m.str("error"), "slow down")
			}
		}
		e.limits.Advance(time.Second)
		c.send(msg{"type": "note", "ref": "later", "text": "calm"})
		assert.Equal(t, "ack", c.reply("later").str("type"))
	})
}

func TestWebSocketOrigin(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.AllowedOrigins = []string{"https://ttx.example.org"} })
	url := wstest.WebSocketURL(e.ts.URL)
	for origin, ok := range map[string]bool{
		"":                         true,
		e.ts.URL:                   true,
		"https://ttx.example.org":  true,
		"https://evil.example.org": false,
		"null":                     false,
		// The scheme counts, and a look-alike host is another host.
		"http://ttx.example.org":                                 false,
		"wss://ttx.example.org":                                  false,
		"https://ttx.example.org.evil.example":                   false,
		"https://evil-ttx.example.org":                           false,
		"https://ttx.example.org@evil.example":                   false,
		"ftp://" + strings.TrimPrefix(e.ts.URL, "http://"):       false,
		e.ts.URL + ".evil.example":                               false,
		"http://evil." + strings.TrimPrefix(e.ts.URL, "http://"): false,
	} {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		conn, resp, err := websocket.DefaultDialer.Dial(url, h)
		if ok {
			require.NoError(t, err, origin)
			_ = conn.Close()
			continue
		}
		require.True(t, errors.Is(err, websocket.ErrBadHandshake), "%s: %v", origin, err)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, origin)
	}
}

// TestWebSocketPings: the server pings; a client that answers stays past the pong wait, one
// that stops answering is dropped.
func TestWebSocketPings(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.PongWait, c.PingPeriod = 200*time.Millisecond, 20*time.Millisecond })
	x := e.mustStart()

	alive, _ := e.participant(x.Teams["irt"], "Ines", 0)
	pings := make(chan struct{}, 64)
	alive.conn.SetPingHandler(func(data string) error {
		select {
		case pings <- struct{}{}:
		default:
		}
		return alive.conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	pause, err := http.NewRequest("POST", e.ts.URL+"/api/exercises/"+x.ID+"/pause", nil)
	require.NoError(t, err)
	pause.Header.Set("Authorization", "Bearer "+x.FacilitatorToken)
	paused := make(chan int, 1)
	go func() {
		for range 15 { // 15 pings: more than a pong wait has passed
			<-pings
		}
		resp, err := http.DefaultClient.Do(pause)
		if err != nil {
			paused <- 0
			return
		}
		_ = resp.Body.Close()
		paused <- resp.StatusCode
	}()
	m, _ := alive.until(isEvent("clock"))
	assert.Equal(t, "paused", m.str("clock"))
	assert.Equal(t, http.StatusOK, <-paused)

	silent, _ := e.participant(x.Teams["cmt"], "Cleo", 0)
	silent.conn.SetPingHandler(func(string) error { return nil })
	var ce *websocket.CloseError
	require.ErrorAs(t, silent.closed(), &ce)
	assert.Equal(t, websocket.CloseNormalClosure, ce.Code)
}

// TestWebSocketManyClients: many participants sending at once each get every ack, and the
// facilitator gets every event exactly once, in seq order, without a gap.
func TestWebSocketManyClients(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	fac, _ := e.facilitatorWS(x.FacilitatorToken, x.ID)
	const clients, each = 12, 10
	teams := []string{"service_desk", "irt", "cmt"}
	conns := make([]*wsClient, clients)
	for i := range conns {
		conns[i], _ = e.participant(x.Teams[teams[i%3]], "P"+strconv.Itoa(i), 0)
	}
	type result struct {
		client int
		acks   map[string]int64
		err    error
	}
	results := make(chan result, clients)
	for i, c := range conns {
		go func() {
			r := result{client: i, acks: map[string]int64{}}
			for j := range each {
				if err := c.conn.WriteJSON(msg{"type": "note", "ref": "n" + strconv.Itoa(j), "text": "hello"}); err != nil {
					r.err = err
					results <- r
					return
				}
			}
			_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			for len(r.acks) < each {
				var m msg
				if err := c.conn.ReadJSON(&m); err != nil {
					r.err = err
					break
				}
				switch m.str("type") {
				case "ack":
					r.acks[m.str("ref")] = m.seq()
				case "error":
					r.err = errors.New(m.str("error"))
				}
			}
			results <- r
		}()
	}
	seqs := map[int64]bool{}
	for range clients {
		r := <-results
		require.NoError(t, r.err, "client %d", r.client)
		assert.Len(t, r.acks, each)
		for _, s := range r.acks {
			assert.False(t, seqs[s], "seq %d acked twice", s)
			seqs[s] = true
		}
	}
	var last int64
	notes := 0
	for notes < clients*each {
		m := fac.next()
		if m.str("type") != "event" {
			continue
		}
		require.Equal(t, last+1, m.seq(), "the facilitator's feed has no gap")
		last = m.seq()
		if m.str("kind") == "note" {
			notes++
			assert.True(t, seqs[m.seq()], "note %d was acked", m.seq())
		}
	}
}
