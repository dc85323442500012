// Package wstest drives a ttx server the way its participants do, for tests and load tools:
// a Participant speaks only design/protocol.md over a WebSocket, and a Server is a real ttx
// server in this process for it to talk to.
package wstest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ioTimeout bounds a handshake and each write: it only ends a connection that is stuck.
const ioTimeout = 30 * time.Second

// ErrLost is what Session returns when the connection failed or was dropped on purpose: the
// caller connects again.
var ErrLost = errors.New("connection lost")

// WebSocketURL is the /ws endpoint of the server at httpURL (http://HOST:PORT).
func WebSocketURL(httpURL string) string {
	return "ws" + strings.TrimPrefix(httpURL, "http") + "/ws"
}

// Phases tells every participant of a run how it ends: closing Quiet stops new messages
// (each participant closes its Drained once all it sent is acked); storing the last seq in
// Target and closing Final has each read up to that seq and return; closing Abort makes
// every session return an error.
type Phases struct {
	Quiet  chan struct{}
	Final  chan struct{}
	Abort  chan struct{}
	Target atomic.Int64
}

// NewPhases returns phases none of which has begun.
func NewPhases() *Phases {
	return &Phases{Quiet: make(chan struct{}), Final: make(chan struct{}), Abort: make(chan struct{})}
}

// Observer is told what a participant does, from the goroutine running its session; its
// methods must not block. One observer may serve many participants.
type Observer interface {
	// Connected is told +1 once a connection has said hello and -1 when it ends.
	Connected(delta int)
	// Sent is told when a new message went out (not when one is sent again).
	Sent()
	// Acked is told for every ack; first is false for a ref acked before (a resend).
	Acked(first bool)
	// SlowedDown is told when the rate limit refused a message; it goes out again later.
	SlowedDown()
}

// FeedEvent is what a participant keeps of an event it received.
type FeedEvent struct {
	Seq  int64
	Kind string
}

// pendingMsg is a message sent and not yet acked.
type pendingMsg struct {
	ref  string
	data []byte
}

// Participant is one member of a team. It acts, notes, escalates and answers the decisions
// put to its team at random, keeps up to MaxInFlight messages unacked, and over successive
// sessions follows the server through drops and restarts: each hello asks for the events
// after the last seq it saw, and what was not acked is sent again, in order, with its ref.
// It fails on anything protocol.md rules out: an event out of order or twice, an ack of a
// ref never sent or with two seqs, any refusal but the rate limit's.
//
// Set the exported configuration before the first Session; read the results after the last.
// A Participant is not safe for concurrent use: run its sessions one after the other.
type Participant struct {
	Team, Name, Code string
	// ID is the participant id presented in every hello (protocol.md v2, "Two people with one
	// name"), as the bundled pages do; "" presents none.
	ID          string
	Teams       []string   // every team of the plan: escalations go to another one
	Actions     []string   // every action of the plan: acts name one of them
	Rand        *rand.Rand // what to send, and the durations drawn by Think and Lifetime
	MaxInFlight int        // messages sent and not yet acked, at most; lowered by each "slow down"
	// Think is the pause before each message.
	Think func() time.Duration
	// Lifetime, when set, is how long a connection lives before the participant drops it
	// without a goodbye (Session returns ErrLost); a participant stays to the end once the
	// final phases have begun.
	Lifetime func() time.Duration
	Observer Observer // may be nil

	// Results.
	Feed     []FeedEvent      // every event received, across sessions
	LastSeq  int64            // the seq of the last event received
	Acked    map[string]int64 // ref -> the seq it was acked with
	Sessions int              // connections opened
	Resent   int              // messages sent again after a reconnect
	Drained  chan struct{}    // closed once Quiet has begun and nothing is pending

	pending []pendingMsg // sent, not yet acked, in send order
	resend  []string     // refs the rate limit refused: sent again on the next thinks
	put     map[string][]string
	counter int
	quiet   bool
}

// NewParticipant returns a participant of team with its join code, thinking think between
// two messages and keeping at most three unacked.
func NewParticipant(team, name, code string, teams, actions []string, rng *rand.Rand, think time.Duration) *Participant {
	return &Participant{
		Team: team, Name: name, Code: code, Teams: teams, Actions: actions, Rand: rng,
		ID:          fmt.Sprintf("wstest-%016x", rng.Uint64()),
		MaxInFlight: 3,
		Think:       func() time.Duration { return think },
		Acked:       make(map[string]int64),
		Drained:     make(chan struct{}),
		put:         make(map[string][]string),
	}
}

// Pending is how many messages were sent and not yet acked.
func (p *Participant) Pending() int { return len(p.pending) }

func (p *Participant) observe(f func(Observer)) {
	if p.Observer != nil {
		f(p.Observer)
	}
}

type inbound struct {
	data []byte
	err  error
}

// Session is one connection to wsURL: hello with since, resend what is pending, then send and
// read until the connection is lost (ErrLost), ph.Abort closes (an error), or ph.Final has
// closed and every event up to ph.Target is read (done). Any other error is a breach of
// protocol.md.
func (p *Participant) Session(wsURL string, ph *Phases) (done bool, err error) {
	dialer := websocket.Dialer{HandshakeTimeout: ioTimeout}
	conn, _, err := dialer.Dial(wsURL, nil)
	if err != nil {
		return false, ErrLost
	}
	defer conn.Close()
	p.Sessions++
	stop := make(chan struct{})
	defer close(stop)
	in := make(chan inbound)
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			select {
			case in <- inbound{data, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	write := func(data []byte) bool {
		_ = conn.SetWriteDeadline(time.Now().Add(ioTimeout))
		return conn.WriteMessage(websocket.TextMessage, data) == nil
	}
	h := map[string]any{"type": "hello", "code": p.Code, "name": p.Name, "since": p.LastSeq}
	if p.ID != "" {
		h["participant"] = p.ID
	}
	hello, err := json.Marshal(h)
	if err != nil {
		return false, err
	}
	if !write(hello) {
		return false, ErrLost
	}
	p.observe(func(o Observer) { o.Connected(1) })
	defer p.observe(func(o Observer) { o.Connected(-1) })
	welcomed := false

	think := time.NewTimer(p.Think())
	defer think.Stop()
	var drop <-chan time.Time
	if p.Lifetime != nil {
		t := time.NewTimer(p.Lifetime())
		defer t.Stop()
		drop = t.C
	}
	quiet, final := ph.Quiet, ph.Final
	if p.quiet {
		quiet = nil
	}
	for {
		if p.quiet && len(p.pending) == 0 {
			select {
			case <-p.Drained:
			default:
				close(p.Drained)
			}
		}
		if final == nil && p.LastSeq >= ph.Target.Load() {
			return true, nil
		}
		select {
		case m := <-in:
			if m.err != nil {
				return false, ErrLost
			}
			if !welcomed {
				var w struct{ Type, Team string }
				if err := json.Unmarshal(m.data, &w); err != nil || w.Type != "welcome" || w.Team != p.Team {
					return false, fmt.Errorf("expected a welcome into team %s, got %.200s", p.Team, m.data)
				}
				welcomed = true
				p.resend = nil
				// Resend, in order, everything sent and not acked: a retry of a ref already
				// recorded is acked with its first seq.
				for _, pm := range p.pending {
					p.Resent++
					if !write(pm.data) {
						return false, ErrLost
					}
				}
				continue
			}
			if err := p.receive(m.data); err != nil {
				return false, err
			}
		case <-think.C:
			think.Reset(p.Think())
			if !welcomed {
				continue
			}
			if len(p.resend) > 0 {
				i := p.pendingIndex(p.resend[0])
				p.resend = p.resend[1:]
				if i >= 0 && !write(p.pending[i].data) {
					return false, ErrLost
				}
				continue
			}
			if p.quiet || len(p.pending) >= p.MaxInFlight {
				continue
			}
			pm := p.next()
			p.pending = append(p.pending, pm)
			if !write(pm.data) {
				return false, ErrLost
			}
			p.observe(func(o Observer) { o.Sent() })
		case <-drop:
			if final == nil || p.quiet {
				continue // the end: stay
			}
			return false, ErrLost // the deferred Close drops the connection without a goodbye
		case <-quiet:
			p.quiet, quiet = true, nil
		case <-final:
			final = nil
		case <-ph.Abort:
			return false, fmt.Errorf("aborted: %d pending, last seq %d, target %d", len(p.pending), p.LastSeq, ph.Target.Load())
		}
	}
}

// receive takes one server message after the welcome.
func (p *Participant) receive(data []byte) error {
	var m struct {
		Type, Kind, Ref, Error string
		Seq                    int64
		Inject                 *struct {
			Decision *struct {
				Name    string
				Options []struct{ Key string }
			}
		}
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("undecodable message %.200s: %w", data, err)
	}
	switch m.Type {
	case "event":
		if m.Seq <= p.LastSeq {
			return fmt.Errorf("event %d (%s) after %d: a duplicate or out of order", m.Seq, m.Kind, p.LastSeq)
		}
		p.LastSeq = m.Seq
		p.Feed = append(p.Feed, FeedEvent{Seq: m.Seq, Kind: m.Kind})
		if m.Inject != nil && m.Inject.Decision != nil {
			d := m.Inject.Decision
			for _, o := range d.Options {
				p.put[d.Name] = append(p.put[d.Name], o.Key)
			}
		}
	case "ack":
		i := p.pendingIndex(m.Ref)
		prev, again := p.Acked[m.Ref]
		switch {
		case again && prev != m.Seq:
			return fmt.Errorf("ref %s acked with seq %d, then %d", m.Ref, prev, m.Seq)
		case !again && i < 0:
			return fmt.Errorf("ack of ref %q that was never sent", m.Ref)
		}
		p.Acked[m.Ref] = m.Seq
		if i >= 0 {
			p.pending = append(p.pending[:i], p.pending[i+1:]...)
		}
		p.observe(func(o Observer) { o.Acked(!again) })
	case "error":
		// The rate limit is the only refusal a well-behaved client may get: what it refused
		// stays pending and goes out again with a later think, or after the next reconnect.
		if strings.HasPrefix(m.Error, "slow down") && p.pendingIndex(m.Ref) >= 0 {
			p.MaxInFlight = max(1, p.MaxInFlight-1)
			p.resend = append(p.resend, m.Ref)
			p.observe(func(o Observer) { o.SlowedDown() })
			return nil
		}
		return fmt.Errorf("refused ref %q: %s", m.Ref, m.Error)
	default:
		return fmt.Errorf("unexpected message %.200s", data)
	}
	return nil
}

func (p *Participant) pendingIndex(ref string) int {
	return slices.IndexFunc(p.pending, func(pm pendingMsg) bool { return pm.ref == ref })
}

// next makes up the next message: an act, a note, an escalation, or an answer to a decision
// put to the team.
func (p *Participant) next() pendingMsg {
	p.counter++
	ref := fmt.Sprintf("%s-%d", p.Name, p.counter)
	var m map[string]any
	switch n := p.Rand.IntN(10); {
	case n < 4:
		m = map[string]any{"type": "act", "ref": ref, "action": p.Actions[p.Rand.IntN(len(p.Actions))]}
	case n < 7:
		m = map[string]any{"type": "note", "ref": ref, "text": fmt.Sprintf("note %d from %s: «ünïcödé» and a\nsecond line", p.counter, p.Name)}
	case n < 9 || len(p.put) == 0:
		to := p.Team
		for to == p.Team {
			to = p.Teams[p.Rand.IntN(len(p.Teams))]
		}
		m = map[string]any{"type": "escalate", "ref": ref, "to": to, "text": "escalation " + ref}
	default:
		decisions := slices.Sorted(maps.Keys(p.put))
		d := decisions[p.Rand.IntN(len(decisions))]
		opts := p.put[d]
		m = map[string]any{"type": "choose", "ref": ref, "decision": d, "option": opts[p.Rand.IntN(len(opts))]}
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic(err) // a map of strings always encodes
	}
	return pendingMsg{ref: ref, data: data}
}
