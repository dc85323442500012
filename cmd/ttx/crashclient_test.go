package main_test

// The participants of the crash test: WebSocket clients that speak only protocol.md. Each
// sends acts, notes, escalations and answers continuously, keeps what it sent until it is
// acked, follows the server through its restarts (reconnecting with since = the last seq it
// saw, then resending what was not acked), and keeps every event it received.

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// cluster publishes where the server is: its URL while one is up, "" while it is down.
// Every change closes the channel current returned, so that waiting clients look again.
type cluster struct {
	mu      sync.Mutex
	url     string
	changed chan struct{}
}

func newCluster() *cluster { return &cluster{changed: make(chan struct{})} }

func (c *cluster) set(url string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.url = url
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *cluster) current() (string, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.url, c.changed
}

// progress tells the test what the clients do, so that it can kill the server right after
// a message went out (a write in flight) or right after an ack.
type progress struct {
	acks  atomic.Int64
	sent  chan struct{} // a message just went out
	acked chan struct{} // an ack just came in
}

func newProgress() *progress {
	return &progress{sent: make(chan struct{}, 1), acked: make(chan struct{}, 1)}
}

func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// phases are the test's instructions to every client: quiet (stop sending new messages,
// finish what was sent) and final (read up to the seq in target, then stop).
type phases struct {
	quiet  chan struct{}
	final  chan struct{}
	target atomic.Int64
}

// outMsg is one message a client sent and keeps until it is acked.
type outMsg struct {
	Ref  string
	Data []byte
}

// feedEvent is what a client keeps of an event: enough to compare with the stored log.
type feedEvent struct {
	Seq  int64
	Kind string
}

// crashClient is one participant.
type crashClient struct {
	team, name, code string
	teams            []string // every team of the plan
	actions          []string // every action of the plan
	rng              *rand.Rand
	interval         time.Duration
	maxInFlight      int

	feed     []feedEvent
	lastSeq  int64
	pending  []outMsg // sent, not yet acked, in send order
	resend   []string // refs the rate limit refused: sent again on the next ticks
	acked    map[string]int64
	put      map[string][]string // decision -> option keys put to the team
	counter  int
	sessions int
	resent   int           // messages sent again after a reconnect, not acked before the connection was lost
	drained  chan struct{} // closed once quiet and nothing is pending
	isQuiet  bool
}

func newCrashClient(team, name, code string, teams, actions []string, seed uint64) *crashClient {
	return &crashClient{
		team: team, name: name, code: code, teams: teams, actions: actions,
		rng:         rand.New(rand.NewPCG(seed, uint64(len(name)))),
		interval:    60 * time.Millisecond, // under the server's 20 messages a second
		maxInFlight: 3,
		acked:       make(map[string]int64),
		put:         make(map[string][]string),
		drained:     make(chan struct{}),
	}
}

// errLost is a connection that failed: the client reconnects.
var errLost = errors.New("connection lost")

// run follows the server until the final phase is over. It returns an error only for what
// the test must fail on; a lost connection is reconnected.
func (c *crashClient) run(cl *cluster, pr *progress, ph *phases, giveUp <-chan struct{}) error {
	for {
		url, changed := cl.current()
		select {
		case <-giveUp:
			return fmt.Errorf("%s: gave up", c.name)
		default:
		}
		if url == "" {
			select {
			case <-changed:
				continue
			case <-giveUp:
				return fmt.Errorf("%s: gave up waiting for the server", c.name)
			}
		}
		done, err := c.session(url, pr, ph, giveUp)
		if err != nil && !errors.Is(err, errLost) {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		if done {
			return nil
		}
		// Lost. The test marks the server down before it kills it, so the next look finds
		// it down and waits for the restart; while the same server is up, the connection
		// itself failed and a new one is tried at once.
	}
}

type inbound struct {
	data []byte
	err  error
}

// session is one connection: hello with since, resend what is pending, then send and read
// until the connection fails (errLost) or the final phase is over (done).
func (c *crashClient) session(url string, pr *progress, ph *phases, giveUp <-chan struct{}) (done bool, err error) {
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http")+"/ws", nil)
	if err != nil {
		return false, errLost
	}
	defer conn.Close()
	c.sessions++
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
	write := func(v any) bool { return conn.WriteJSON(v) == nil }
	if !write(map[string]any{"type": "hello", "code": c.code, "name": c.name, "since": c.lastSeq}) {
		return false, errLost
	}
	welcomed := false
	ticker := time.NewTicker(c.interval)
	defer ticker.Stop()
	quiet, final := ph.quiet, ph.final
	if c.isQuiet {
		quiet = nil
	}
	for {
		if c.isQuiet && len(c.pending) == 0 {
			select {
			case <-c.drained:
			default:
				close(c.drained)
			}
		}
		if final == nil && c.lastSeq >= ph.target.Load() {
			return true, nil
		}
		select {
		case m := <-in:
			if m.err != nil {
				return false, errLost
			}
			if !welcomed {
				var w struct{ Type, Team, Error string }
				if err := json.Unmarshal(m.data, &w); err != nil || w.Type != "welcome" {
					return false, fmt.Errorf("expected a welcome, got %s", m.data)
				}
				if w.Team != c.team {
					return false, fmt.Errorf("welcomed into team %q, joined %q", w.Team, c.team)
				}
				welcomed = true
				c.resend = nil
				// Resend, in order, everything sent and not acked: a retry of a ref already
				// recorded is acked with its first seq.
				for _, p := range c.pending {
					c.resent++
					if !write(json.RawMessage(p.Data)) {
						return false, errLost
					}
				}
				continue
			}
			if err := c.receive(m.data, pr); err != nil {
				return false, err
			}
		case <-ticker.C:
			if !welcomed {
				continue
			}
			if len(c.resend) > 0 {
				ref := c.resend[0]
				c.resend = c.resend[1:]
				if i := c.pendingIndex(ref); i >= 0 && !write(json.RawMessage(c.pending[i].Data)) {
					return false, errLost
				}
				continue
			}
			if c.isQuiet || len(c.pending) >= c.maxInFlight {
				continue
			}
			p := c.nextMessage()
			c.pending = append(c.pending, p)
			if !write(json.RawMessage(p.Data)) {
				return false, errLost
			}
			notify(pr.sent)
		case <-quiet:
			c.isQuiet, quiet = true, nil
		case <-final:
			final = nil
		case <-giveUp:
			return false, fmt.Errorf("gave up: %d pending, last seq %d, target %d", len(c.pending), c.lastSeq, ph.target.Load())
		}
	}
}

// receive takes one server message after the welcome.
func (c *crashClient) receive(data []byte, pr *progress) error {
	var m struct {
		Type   string
		Seq    int64
		Kind   string
		Ref    string
		Error  string
		Inject *struct {
			Decision *struct {
				Name    string
				Options []struct{ Key string }
			}
		}
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("undecodable message %s: %w", data, err)
	}
	switch m.Type {
	case "event":
		if m.Seq <= c.lastSeq {
			return fmt.Errorf("event %d (%s) after %d: a duplicate or out of order", m.Seq, m.Kind, c.lastSeq)
		}
		c.lastSeq = m.Seq
		c.feed = append(c.feed, feedEvent{Seq: m.Seq, Kind: m.Kind})
		if m.Kind == "inject_delivered" && m.Inject != nil && m.Inject.Decision != nil {
			for _, o := range m.Inject.Decision.Options {
				c.put[m.Inject.Decision.Name] = append(c.put[m.Inject.Decision.Name], o.Key)
			}
		}
	case "ack":
		i := c.pendingIndex(m.Ref)
		if prev, ok := c.acked[m.Ref]; ok {
			if prev != m.Seq {
				return fmt.Errorf("ref %s acked with seq %d, then %d", m.Ref, prev, m.Seq)
			}
		} else if i < 0 {
			return fmt.Errorf("ack of ref %q that was never sent", m.Ref)
		}
		c.acked[m.Ref] = m.Seq
		if i >= 0 {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
		}
		pr.acks.Add(1)
		notify(pr.acked)
	case "error":
		// The rate limit is the only refusal a well-behaved client may get: what it refused
		// stays pending and goes out again after the next reconnect or with the next send.
		if strings.HasPrefix(m.Error, "slow down") && c.pendingIndex(m.Ref) >= 0 {
			c.maxInFlight = max(1, c.maxInFlight-1)
			c.resend = append(c.resend, m.Ref)
			return nil
		}
		return fmt.Errorf("refused ref %q: %s", m.Ref, m.Error)
	default:
		return fmt.Errorf("unexpected message %s", data)
	}
	return nil
}

func (c *crashClient) pendingIndex(ref string) int {
	for i, p := range c.pending {
		if p.Ref == ref {
			return i
		}
	}
	return -1
}

// nextMessage makes up the next response: an act, a note, an escalation, or an answer to a
// decision put to the team.
func (c *crashClient) nextMessage() outMsg {
	c.counter++
	ref := fmt.Sprintf("%s-%d", c.name, c.counter)
	var m map[string]any
	switch n := c.rng.IntN(10); {
	case n < 4:
		m = map[string]any{"type": "act", "ref": ref, "action": c.actions[c.rng.IntN(len(c.actions))]}
	case n < 7:
		m = map[string]any{"type": "note", "ref": ref, "text": fmt.Sprintf("note %d from %s: «ünïcödé» and a\nsecond line", c.counter, c.name)}
	case n < 9 || len(c.put) == 0:
		to := c.team
		for to == c.team {
			to = c.teams[c.rng.IntN(len(c.teams))]
		}
		m = map[string]any{"type": "escalate", "ref": ref, "to": to, "text": "escalation " + ref}
	default:
		decisions := slices.Sorted(maps.Keys(c.put))
		d := decisions[c.rng.IntN(len(decisions))]
		opts := c.put[d]
		m = map[string]any{"type": "choose", "ref": ref, "decision": d, "option": opts[c.rng.IntN(len(opts))]}
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic(err) // a map of strings always encodes
	}
	return outMsg{Ref: ref, Data: data}
}
