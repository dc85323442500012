package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// counters are the clients' shared tallies, read by the sampler.
type counters struct {
	connected  atomic.Int64
	sent       atomic.Int64
	acks       atomic.Int64
	reconnects atomic.Int64
	slowDowns  atomic.Int64
}

// control is what the soak tells every client: stop sending new messages (quiet), then read
// up to the seq in target (final) and leave.
type control struct {
	quiet  chan struct{}
	final  chan struct{}
	abort  chan struct{}
	target atomic.Int64
}

// pendingMsg is a message sent and not yet acked: it goes out again after a reconnect.
type pendingMsg struct {
	ref  string
	data []byte
}

// client is one participant: it joins, acts at random, drops its connection at random and
// comes back with since = the last seq it saw, resending what was not acked.
type client struct {
	team, name, code, wsURL string
	actions                 []string // every action of the plan
	teams                   []string
	rng                     *rand.Rand
	cfg                     clientConfig
	n                       *counters

	feed     []int64 // the seq of every event received, across connections
	kinds    []string
	lastSeq  int64
	pending  []pendingMsg
	resend   []string // refs the rate limit refused: sent again on the next think
	acked    map[string]int64
	put      map[string][]string // decision -> options, as delivered to the team
	decided  []string
	counter  int
	quiet    bool
	drained  chan struct{}
	sessions int
}

// clientConfig is how a client behaves; the durations are means of random draws.
type clientConfig struct {
	think    time.Duration // between two messages
	lifetime time.Duration // of a connection before it drops
	offline  time.Duration // after a drop
}

var errLost = errors.New("connection lost")

// run joins after delay and plays until the final phase is over or the soak aborts.
func (c *client) run(delay time.Duration, ctl *control) error {
	if !c.wait(delay, ctl.abort) {
		return nil
	}
	for {
		done, err := c.session(ctl)
		if err != nil && !errors.Is(err, errLost) {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		if done {
			return nil
		}
		c.n.reconnects.Add(1)
		if !c.wait(c.draw(c.cfg.offline), ctl.abort) {
			return fmt.Errorf("%s: aborted with %d messages unacked", c.name, len(c.pending))
		}
	}
}

// wait waits for d unless abort closes first.
func (c *client) wait(d time.Duration, abort <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-abort:
		return false
	}
}

// draw is a random duration around mean (from half to one and a half of it).
func (c *client) draw(mean time.Duration) time.Duration {
	return mean/2 + time.Duration(c.rng.Int64N(int64(mean)+1))
}

type inbound struct {
	data []byte
	err  error
}

// session is one connection, from the hello to a drop (errLost) or the end (done).
func (c *client) session(ctl *control) (bool, error) {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	conn, _, err := d.Dial(c.wsURL, nil)
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
	_ = conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if conn.WriteJSON(map[string]any{"type": "hello", "code": c.code, "name": c.name, "since": c.lastSeq}) != nil {
		return false, errLost
	}
	welcomed := false
	c.n.connected.Add(1)
	defer c.n.connected.Add(-1)

	think := time.NewTimer(c.draw(c.cfg.think))
	defer think.Stop()
	drop := time.NewTimer(c.draw(c.cfg.lifetime))
	defer drop.Stop()
	quiet, final := ctl.quiet, ctl.final
	if c.quiet {
		quiet = nil
	}
	write := func(data []byte) bool {
		_ = conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
		return conn.WriteMessage(websocket.TextMessage, data) == nil
	}
	for {
		if c.quiet && len(c.pending) == 0 {
			select {
			case <-c.drained:
			default:
				close(c.drained)
			}
		}
		if final == nil && c.lastSeq >= ctl.target.Load() {
			return true, nil
		}
		select {
		case m := <-in:
			if m.err != nil {
				return false, errLost
			}
			if !welcomed {
				var w struct{ Type, Team, Error string }
				if err := json.Unmarshal(m.data, &w); err != nil || w.Type != "welcome" || w.Team != c.team {
					return false, fmt.Errorf("expected a welcome into team %s, got %s", c.team, m.data)
				}
				welcomed = true
				c.resend = nil
				for _, p := range c.pending {
					if !write(p.data) {
						return false, errLost
					}
				}
				continue
			}
			if err := c.receive(m.data); err != nil {
				return false, err
			}
		case <-think.C:
			think.Reset(c.draw(c.cfg.think))
			if !welcomed {
				continue
			}
			if len(c.resend) > 0 {
				i := c.pendingIndex(c.resend[0])
				c.resend = c.resend[1:]
				if i >= 0 && !write(c.pending[i].data) {
					return false, errLost
				}
				continue
			}
			if c.quiet || len(c.pending) >= 3 {
				continue
			}
			p := c.next()
			c.pending = append(c.pending, p)
			c.n.sent.Add(1)
			if !write(p.data) {
				return false, errLost
			}
		case <-drop.C:
			if final == nil || c.quiet {
				continue // the end: stay
			}
			return false, errLost // the deferred Close drops the connection without a goodbye
		case <-quiet:
			c.quiet, quiet = true, nil
		case <-final:
			final = nil
		case <-ctl.abort:
			return false, fmt.Errorf("aborted: %d pending, last seq %d, target %d", len(c.pending), c.lastSeq, ctl.target.Load())
		}
	}
}

func (c *client) receive(data []byte) error {
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
		return fmt.Errorf("undecodable message %.200s", data)
	}
	switch m.Type {
	case "event":
		if m.Seq <= c.lastSeq {
			return fmt.Errorf("event %d after %d: a duplicate or out of order", m.Seq, c.lastSeq)
		}
		c.lastSeq = m.Seq
		c.feed = append(c.feed, m.Seq)
		c.kinds = append(c.kinds, m.Kind)
		if m.Inject != nil && m.Inject.Decision != nil {
			d := m.Inject.Decision
			c.decided = append(c.decided, d.Name)
			for _, o := range d.Options {
				c.put[d.Name] = append(c.put[d.Name], o.Key)
			}
		}
	case "ack":
		i := c.pendingIndex(m.Ref)
		if prev, ok := c.acked[m.Ref]; ok && prev != m.Seq {
			return fmt.Errorf("ref %s acked with seq %d, then %d", m.Ref, prev, m.Seq)
		} else if !ok && i < 0 {
			return fmt.Errorf("ack of ref %q never sent", m.Ref)
		}
		if _, ok := c.acked[m.Ref]; !ok {
			c.n.acks.Add(1)
		}
		c.acked[m.Ref] = m.Seq
		if i >= 0 {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
		}
	case "error":
		if strings.HasPrefix(m.Error, "slow down") && c.pendingIndex(m.Ref) >= 0 {
			// Left pending: it goes out again with the next think, or the next connection.
			c.n.slowDowns.Add(1)
			c.resend = append(c.resend, m.Ref)
			return nil
		}
		return fmt.Errorf("refused %q: %s", m.Ref, m.Error)
	default:
		return fmt.Errorf("unexpected message %.200s", data)
	}
	return nil
}

func (c *client) pendingIndex(ref string) int {
	for i, p := range c.pending {
		if p.ref == ref {
			return i
		}
	}
	return -1
}

// next makes up the next message: an act, a note, an escalation or an answer.
func (c *client) next() pendingMsg {
	c.counter++
	ref := fmt.Sprintf("%s-%d", c.name, c.counter)
	var m map[string]any
	switch n := c.rng.IntN(10); {
	case n < 4:
		m = map[string]any{"type": "act", "ref": ref, "action": c.actions[c.rng.IntN(len(c.actions))]}
	case n < 7:
		m = map[string]any{"type": "note", "ref": ref, "text": "note " + ref}
	case n < 9 || len(c.decided) == 0:
		to := c.team
		for to == c.team {
			to = c.teams[c.rng.IntN(len(c.teams))]
		}
		m = map[string]any{"type": "escalate", "ref": ref, "to": to, "text": "escalation " + ref}
	default:
		d := c.decided[c.rng.IntN(len(c.decided))]
		opts := c.put[d]
		m = map[string]any{"type": "choose", "ref": ref, "decision": d, "option": opts[c.rng.IntN(len(opts))]}
	}
	data, _ := json.Marshal(m)
	return pendingMsg{ref: ref, data: data}
}
