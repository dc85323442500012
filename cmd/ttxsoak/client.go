package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/ttx-dev/ttx/web/wstest"
)

// counters are the clients' shared tallies, read by the sampler; they observe every client.
type counters struct {
	connected  atomic.Int64
	sent       atomic.Int64
	acks       atomic.Int64
	reconnects atomic.Int64
	slowDowns  atomic.Int64
}

var _ wstest.Observer = (*counters)(nil)

func (n *counters) Connected(delta int) { n.connected.Add(int64(delta)) }
func (n *counters) Sent()               { n.sent.Add(1) }
func (n *counters) SlowedDown()         { n.slowDowns.Add(1) }

// Acked counts each ref once, however often it was acked.
func (n *counters) Acked(first bool) {
	if first {
		n.acks.Add(1)
	}
}

// clientConfig is how a client behaves; the durations are means of random draws.
type clientConfig struct {
	think    time.Duration // between two messages
	lifetime time.Duration // of a connection before it drops
	offline  time.Duration // after a drop
}

// client is one participant: it joins, acts at random, drops its connection at random and
// comes back with since = the last seq it saw, resending what was not acked.
type client struct {
	*wstest.Participant
	wsURL string
	cfg   clientConfig
	n     *counters
}

func newClient(team, name, code, wsURL string, teams, actions []string, rng *rand.Rand, cfg clientConfig, n *counters) *client {
	p := wstest.NewParticipant(team, name, code, teams, actions, rng, 0)
	c := &client{Participant: p, wsURL: wsURL, cfg: cfg, n: n}
	p.Think = func() time.Duration { return c.draw(cfg.think) }
	p.Lifetime = func() time.Duration { return c.draw(cfg.lifetime) }
	p.Observer = n
	return c
}

// run joins after delay and plays until the final phase is over or the soak aborts.
func (c *client) run(delay time.Duration, ph *wstest.Phases) error {
	if !c.wait(delay, ph.Abort) {
		return nil
	}
	for {
		done, err := c.Session(c.wsURL, ph)
		if err != nil && !errors.Is(err, wstest.ErrLost) {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		if done {
			return nil
		}
		c.n.reconnects.Add(1)
		if !c.wait(c.draw(c.cfg.offline), ph.Abort) {
			return fmt.Errorf("%s: aborted with %d messages unacked", c.Name, c.Pending())
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
	return mean/2 + time.Duration(c.Rand.Int64N(int64(mean)+1))
}
