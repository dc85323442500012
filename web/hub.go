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
	// conns counts the live connections of each participant (participantKey) and of each
	// team (teamKey); nameless counts those of each team and name that came without an id.
	conns    map[string]int
	nameless map[string]int

	limits hubLimits
}

// hubLimits are the caps a hub enforces (Config).
type hubLimits struct {
	perParticipant, perTeam int
}

// registration asks the hub to add a client; the hub answers with the last seq it has
// broadcast, so that the client replays up to it and the broadcasts take over after it, or
// with why the client may not join.
type registration struct {
	c     *client
	reply chan joined
}

type joined struct {
	lastSeq int64
	err     error
}

// participantKey names who a response counts against: the participant's id, or its team
// and name when it came without one.
func participantKey(team, name, participant string) string {
	if participant != "" {
		return "id\x00" + team + "\x00" + participant
	}
	return "name\x00" + team + "\x00" + name
}

func teamKey(team string) string { return "team\x00" + team }

// errNameTaken refuses a hello without an id for a name a live connection of the team holds
// without one (protocol.md v2, "Two people with one name").
var errNameTaken = engine.Errorf(engine.EConflict,
	"someone in your team is connected under that name already; join under another name (add an initial)")

// admit checks the caps for c and counts it in, or says why not. Called by run.
func (h *hub) admit(c *client) error {
	if c.who.Role != facilitator.RoleParticipant {
		return nil
	}
	pk, tk := participantKey(c.who.Team, c.name, c.participantID), teamKey(c.who.Team)
	if c.participantID == "" && h.nameless[pk] > 0 {
		return errNameTaken
	}
	if h.conns[pk] >= h.limits.perParticipant {
		return engine.Errorf(engine.ETooMany, "you have %d connections open already, the most one participant may; close one", h.conns[pk])
	}
	if h.conns[tk] >= h.limits.perTeam {
		return engine.Errorf(engine.ETooMany, "your team has %d connections open already, the most one team may", h.conns[tk])
	}
	h.conns[pk]++
	h.conns[tk]++
	if c.participantID == "" {
		h.nameless[pk]++
	}
	return nil
}

// remove drops c from the hub and closes its send channel. Called by run.
func (h *hub) remove(c *client) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	close(c.send)
	if c.who.Role != facilitator.RoleParticipant {
		return
	}
	pk, tk := participantKey(c.who.Team, c.name, c.participantID), teamKey(c.who.Team)
	h.conns[pk]--
	h.conns[tk]--
	if c.participantID == "" {
		h.nameless[pk]--
	}
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
		conns:      make(map[string]int),
		nameless:   make(map[string]int),
		limits:     hubLimits{perParticipant: s.cfg.MaxConnsPerParticipant, perTeam: s.cfg.MaxConnsPerTeam},
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
			if err := h.admit(r.c); err != nil {
				r.reply <- joined{err: err}
				continue
			}
			h.clients[r.c] = struct{}{}
			r.reply <- joined{lastSeq: h.lastSeq}
		case c := <-h.unregister:
			h.remove(c)
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
		c.tooSlow = true // read by the write pump after it sees send closed
		h.remove(c)
	}
}

// join registers c and returns the last seq broadcast before it joined, or why it may not
// join, or false when the hub has stopped.
func (h *hub) join(c *client) (int64, error, bool) {
	reply := make(chan joined, 1)
	select {
	case h.register <- registration{c: c, reply: reply}:
		j := <-reply
		return j.lastSeq, j.err, true
	case <-h.done:
		return 0, nil, false
	}
}

// leave unregisters c (its send channel is closed, if the hub has not closed it already).
func (h *hub) leave(c *client) {
	select {
	case h.unregister <- c:
	case <-h.done:
	}
}
