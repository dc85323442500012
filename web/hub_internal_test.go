package web

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

// TestHubDropsASlowClient: a client whose send buffer is full is dropped (its channel closed,
// marked too slow), not waited for; the others keep getting every event, and only the events
// they may see.
func TestHubDropsASlowClient(t *testing.T) {
	h := &hub{
		wire:    &wireScenario{injects: nil, severities: nil, render: newRenderer()},
		clients: make(map[*client]struct{}),
	}
	slow := &client{who: facilitator.Principal{Role: facilitator.RoleFacilitator}, send: make(chan []byte, 1)}
	fast := &client{who: facilitator.Principal{Role: facilitator.RoleFacilitator}, send: make(chan []byte, 8)}
	other := &client{who: facilitator.Principal{Role: facilitator.RoleParticipant, Team: "cmt"}, send: make(chan []byte, 8)}
	for _, c := range []*client{slow, fast, other} {
		h.clients[c] = struct{}{}
	}

	h.broadcast(engine.Event{Seq: 1, Kind: engine.KindNote, Team: "irt", Text: "one"})
	h.broadcast(engine.Event{Seq: 2, Kind: engine.KindNote, Team: "irt", Text: "two"})
	h.broadcast(engine.Event{Seq: 2, Kind: engine.KindNote, Team: "irt", Text: "again"}) // not twice
	h.broadcast(engine.Event{Seq: 3, Kind: engine.KindClock, Clock: engine.ClockPaused})

	assert.NotContains(t, h.clients, slow)
	assert.True(t, slow.tooSlow)
	assert.Len(t, slow.send, 1)
	<-slow.send
	_, open := <-slow.send
	assert.False(t, open, "the slow client's channel is closed")

	assert.Contains(t, h.clients, fast)
	assert.Len(t, fast.send, 3)
	assert.Len(t, other.send, 1, "cmt sees the clock, not irt's notes")
	assert.Equal(t, int64(3), h.lastSeq)

	// A client that said hello with a since ahead of the hub does not get those events twice.
	ahead := &client{who: facilitator.Principal{Role: facilitator.RoleFacilitator}, skipUpTo: 4, send: make(chan []byte, 8)}
	h.clients[ahead] = struct{}{}
	h.broadcast(engine.Event{Seq: 4, Kind: engine.KindClock, Clock: engine.ClockResumed})
	h.broadcast(engine.Event{Seq: 5, Kind: engine.KindClock, Clock: engine.ClockPaused})
	assert.Len(t, ahead.send, 1)
	assert.Len(t, fast.send, 5)
}
