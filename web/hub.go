package web

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

// hub fans one exercise's committed events out to its WebSocket clients, in the shape of
// gorilla/websocket's chat example: one goroutine (run) owns the set of clients; each client
// has a buffered send channel, and a client whose buffer is full is dropped rather than waited
// for (it reconnects with `since` and misses nothing).
type hub struct {
	x      *facilitator.Listed
	wire   *wireScenario
	log    *slog.Logger
	mode   string   // the exercise's mode (protocol.md v2)
	inPlay []string // its teams in play

	register   chan registration
	unregister chan *client
	done       chan struct{} // closed when run returns

	// Owned by run.
	clients map[*client]struct{}
	lastSeq int64 // the last event broadcast: every registered client gets every later one
}

// registration asks the hub to add a client; the hub answers with the last seq it has
// broadcast, so that the client replays up to it and the broadcasts take over after it.
type registration struct {
	c     *client
	reply chan int64
}

// hubFor returns the hub of the exercise, starting it on first use.
func (s *Server) hubFor(x *facilitator.Listed) (*hub, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.hubs[x.ID()]; ok {
		return h, nil
	}
	if s.ctx.Err() != nil {
		return nil, engine.Errorf(engine.EConflict, "the server is shutting down")
	}
	h := &hub{
		x:          x,
		wire:       newWireScenario(x.Scenario(), s.render),
		log:        s.log,
		mode:       x.Mode(),
		inPlay:     x.TeamsInPlay(),
		register:   make(chan registration),
		unregister: make(chan *client),
		done:       make(chan struct{}),
		clients:    make(map[*client]struct{}),
	}
	s.hubs[x.ID()] = h
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		h.run(s.ctx)
	}()
	return h, nil
}

// run is the hub's goroutine: it owns clients and lastSeq.
func (h *hub) run(ctx context.Context) {
	defer close(h.done)
	past, events, cancel := h.x.SubscribeSince(0)
	if n := len(past); n > 0 {
		h.lastSeq = past[n-1].Seq
	}
	past = nil
	defer func() {
		cancel()
		for c := range h.clients {
			close(c.send)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-h.register:
			h.clients[r.c] = struct{}{}
			r.reply <- h.lastSeq
		case c := <-h.unregister:
			if _, ok := h.clients[c]; ok {
				delete(h.clients, c)
				close(c.send)
			}
		case e, ok := <-events:
			if !ok {
				// The engine dropped the hub for falling behind: subscribe again from the
				// last event broadcast and send what was missed.
				var missed []engine.Event
				missed, events, cancel = h.x.SubscribeSince(h.lastSeq)
				for _, e := range missed {
					h.broadcast(e)
				}
				continue
			}
			h.broadcast(e)
		}
	}
}

// broadcast queues e to every client that may see it, dropping those that cannot keep up.
func (h *hub) broadcast(e engine.Event) {
	if e.Seq <= h.lastSeq {
		return
	}
	h.lastSeq = e.Seq
	// Encoded at most twice, when first needed: the facilitators' form and the participants'.
	var forms [2][]byte
	for c := range h.clients {
		// A client that reconnected with a since beyond what the hub had broadcast has
		// those events already.
		if e.Seq <= c.skipUpTo {
			continue
		}
		if !c.sees(e) {
			if e.Kind == engine.KindExerciseClosed && c.participant() {
				h.queue(c, closedStatus)
			}
			continue
		}
		form := 0
		if c.participant() {
			form = 1
		}
		if forms[form] == nil {
			data, err := json.Marshal(h.wire.eventFor(e, form == 1))
			if err != nil {
				h.log.Error("encode event", slog.String("exercise", h.x.ID()), slog.Int64("seq", e.Seq), slog.Any("err", err))
				return
			}
			forms[form] = data
		}
		h.queue(c, forms[form])
	}
}

// closedStatus is the participants' word of the close.
var closedStatus, _ = json.Marshal(statusMessage{Type: "status", Status: engine.StatusClosed})

// queue sends msg to c, dropping c when it cannot keep up.
func (h *hub) queue(c *client, msg []byte) {
	select {
	case c.send <- msg:
	default:
		delete(h.clients, c)
		c.tooSlow = true // read by the write pump after it sees send closed
		close(c.send)
	}
}

// join registers c and returns the last seq broadcast before it joined, or false when the hub
// has stopped.
func (h *hub) join(c *client) (int64, bool) {
	reply := make(chan int64, 1)
	select {
	case h.register <- registration{c: c, reply: reply}:
		return <-reply, true
	case <-h.done:
		return 0, false
	}
}

// leave unregisters c (its send channel is closed, if the hub has not closed it already).
func (h *hub) leave(c *client) {
	select {
	case h.unregister <- c:
	case <-h.done:
	}
}
