package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/web"
)

// helloRaw says hello with a join code, a name and, unless "", a participant id, and returns
// the first answer.
func helloRaw(e *env, code, name, participant string) (*wsClient, msg) {
	e.t.Helper()
	c := e.dial()
	m := msg{"type": "hello", "code": code, "name": name}
	if participant != "" {
		m["participant"] = participant
	}
	c.send(m)
	return c, c.next()
}

// TestTwoPeopleWithOneNameOnTheWire: protocol.md v2. The welcome carries a participant id;
// two people with one name and their own ids are two participants, whose refs never collide;
// a hello without an id for a name a live id-less connection holds is refused, asking for
// another name; a retry is still recorded once.
func TestTwoPeopleWithOneNameOnTheWire(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	code := x.Teams["irt"]

	first, w := helloRaw(e, code, "Sam", "")
	require.Equal(t, "welcome", w.str("type"), "%v", w)
	assert.NotEmpty(t, w.str("participant"), "the welcome hands out an id")
	_, refused := helloRaw(e, code, "Sam", "")
	assert.Equal(t, "error", refused.str("type"))
	assert.Contains(t, refused.str("error"), "join under another name")

	second, w2 := helloRaw(e, code, "Sam", "sam-two")
	require.Equal(t, "welcome", w2.str("type"), "%v", w2)
	assert.Equal(t, "sam-two", w2.str("participant"))

	first.send(msg{"type": "act", "ref": "a1", "action": "contain_hosts"})
	ack1 := first.reply("a1")
	second.send(msg{"type": "note", "ref": "a1", "text": "the other Sam"})
	ack2 := second.reply("a1")
	require.Equal(t, "ack", ack1.str("type"), "%v", ack1)
	require.Equal(t, "ack", ack2.str("type"), "%v", ack2)
	assert.NotEqual(t, ack1.seq(), ack2.seq(), "the second Sam's note is recorded, under its own seq")

	// The second Sam reconnects with its id and retries: acked with its seq, recorded once.
	again, w3 := helloRaw(e, code, "Sam", "sam-two")
	require.Equal(t, "welcome", w3.str("type"), "%v", w3)
	again.send(msg{"type": "note", "ref": "a1", "text": "the other Sam"})
	assert.Equal(t, ack2.seq(), again.reply("a1").seq())
	notes := 0
	for _, ev := range e.logOf(x.ID) {
		if ev.Kind == "note" {
			notes++
		}
	}
	assert.Equal(t, 1, notes)
}

// TestAnIDlessHelloThenTheIssuedID: a participant whose first hello presents no id gets one
// in its welcome; its refs are keyed by name and by that id, so that after reconnecting with
// the id, as protocol.md asks, a resent ref is acked with its first seq and recorded once;
// and so is one resent by a v1 client that reconnects without an id again.
func TestAnIDlessHelloThenTheIssuedID(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	code := x.Teams["irt"]
	first, w := helloRaw(e, code, "Kim", "")
	require.Equal(t, "welcome", w.str("type"), "%v", w)
	issued := w.str("participant")
	require.NotEmpty(t, issued)
	first.send(msg{"type": "act", "ref": "k1", "action": "contain_hosts"})
	acked := first.reply("k1")
	require.Equal(t, "ack", acked.str("type"), "%v", acked)
	first.send(msg{"type": "note", "ref": "k2", "text": "before the id"})
	require.Equal(t, "ack", first.reply("k2").str("type"))
	require.NoError(t, first.conn.Close())

	withID, w2 := helloRaw(e, code, "Kim", issued)
	require.Equal(t, "welcome", w2.str("type"), "%v", w2)
	withID.send(msg{"type": "act", "ref": "k1", "action": "contain_hosts"})
	assert.Equal(t, acked.seq(), withID.reply("k1").seq(), "the resent ref, now under the issued id")
	require.NoError(t, withID.conn.Close())

	// Once the server has seen the first connection go, the name is free for an id-less hello.
	deadline := time.Now().Add(10 * time.Second)
	v1, w3 := helloRaw(e, code, "Kim", "")
	for w3.str("type") != "welcome" {
		require.True(t, time.Now().Before(deadline), "the name stayed held: %v", w3)
		v1, w3 = helloRaw(e, code, "Kim", "")
	}
	v1.send(msg{"type": "act", "ref": "k1", "action": "contain_hosts"})
	assert.Equal(t, acked.seq(), v1.reply("k1").seq(), "the resent ref, by name as in v1")
	acts := 0
	for _, ev := range e.logOf(x.ID) {
		if ev.Kind == "action_recorded" {
			acts++
		}
	}
	assert.Equal(t, 1, acts)
}

// TestConnectionsAndResponsesAreCapped: a participant's and a team's live connections are
// capped, and so are the responses one participant records in an exercise.
func TestConnectionsAndResponsesAreCapped(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.MaxConnsPerParticipant, c.MaxConnsPerTeam = 2, 3 })
	e.managerOpts = []facilitator.Option{facilitator.WithResponseBudget(3)}
	e.restart()
	x := e.mustStart()
	code := x.Teams["irt"]
	a, _ := e.participant(code, "Ana", 0)
	e.participant(code, "Ana", 0)
	_, m := helloRaw(e, code, "Ana", "test-"+code+"-Ana")
	assert.Contains(t, m.str("error"), "you have 2 connections open already")
	e.participant(code, "Bo", 0)
	_, m = helloRaw(e, code, "Cy", "cy")
	assert.Contains(t, m.str("error"), "your team has 3 connections open already")
	_, m = helloRaw(e, x.Teams["cmt"], "Cy", "cy")
	assert.Equal(t, "welcome", m.str("type"), "another team is not capped by this one: %v", m)

	for _, ref := range []string{"r1", "r2", "r3"} {
		a.send(msg{"type": "note", "ref": ref, "text": "note " + ref})
		require.Equal(t, "ack", a.reply(ref).str("type"))
	}
	a.send(msg{"type": "note", "ref": "r4", "text": "one too many"})
	assert.Contains(t, a.reply("r4").str("error"), "you have recorded 3 responses in this exercise, the most one participant may")
	a.send(msg{"type": "note", "ref": "r3", "text": "note r3"})
	assert.Equal(t, "ack", a.reply("r3").str("type"), "a retry is never refused")
	r := e.request("GET", "/api/exercises/"+x.ID, x.FacilitatorToken, nil)
	assert.Equal(t, http.StatusOK, r.status)
}
