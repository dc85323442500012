package main_test

// The participants of the crash test: wstest.Participants that speak only protocol.md. Each
// sends acts, notes, escalations and answers continuously, keeps what it sent until it is
// acked, follows the server through its restarts (reconnecting with since = the last seq it
// saw, then resending what was not acked), and keeps every event it received.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/web/wstest"
)

// cluster publishes where the server is: its WebSocket URL while one is up, "" while it is
// down. Every change closes the channel current returned, so that waiting clients look again.
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

// locator tells a client where to connect: a server's WebSocket URL, or "" while none is up,
// and a channel closed when that changes.
type locator interface {
	current() (string, <-chan struct{})
}

func (c *cluster) current() (string, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.url, c.changed
}

// progress tells the test what the clients do, so that it can kill the server right after
// a message went out (a write in flight) or right after an ack. It observes every client.
type progress struct {
	acks  atomic.Int64
	sent  chan struct{} // a message just went out
	acked chan struct{} // an ack just came in
}

var _ wstest.Observer = (*progress)(nil)

// crashWaits waits, bounded by startTimeout (the bound only ends a broken run), for the crash
// clients' progress; a client that returns meanwhile fails the test and is counted in
// *returned. Both crash tests, one server and replicas, wait with it.
type crashWaits struct {
	t        *testing.T
	errs     <-chan error
	returned *int
	pr       *progress
}

// waitFor waits on ch.
func (w crashWaits) waitFor(ch <-chan struct{}, what string) {
	w.t.Helper()
	select {
	case <-ch:
	case err := <-w.errs:
		*w.returned++
		require.NoError(w.t, err, "while waiting for %s", what)
		require.Fail(w.t, "a client stopped while waiting for "+what)
	case <-time.After(startTimeout):
		require.Fail(w.t, "timed out waiting for "+what)
	}
}

// waitAcks waits until the clients have n acks.
func (w crashWaits) waitAcks(n int64) {
	w.t.Helper()
	for w.pr.acks.Load() < n {
		w.waitFor(w.pr.acked, fmt.Sprintf("%d acks (have %d)", n, w.pr.acks.Load()))
	}
}

func newProgress() *progress {
	return &progress{sent: make(chan struct{}, 1), acked: make(chan struct{}, 1)}
}

func (pr *progress) Connected(int) {}
func (pr *progress) SlowedDown()   {}
func (pr *progress) Sent()         { notify(pr.sent) }

// Acked counts every ack, a resent ref's too.
func (pr *progress) Acked(bool) {
	pr.acks.Add(1)
	notify(pr.acked)
}

func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// crashClient is one participant.
type crashClient struct {
	*wstest.Participant
}

func newCrashClient(team, name, code string, teams, actions []string, seed uint64, pr *progress) *crashClient {
	// Every 60ms: under the server's 20 messages a second.
	p := wstest.NewParticipant(team, name, code, teams, actions, rand.New(rand.NewPCG(seed, uint64(len(name)))), 60*time.Millisecond)
	p.Observer = pr
	return &crashClient{p}
}

// run follows the server until the final phase is over. It returns an error only for what
// the test must fail on; a lost connection is reconnected. Closing ph.Abort gives up.
func (c *crashClient) run(cl locator, ph *wstest.Phases) error {
	for {
		url, changed := cl.current()
		select {
		case <-ph.Abort:
			return fmt.Errorf("%s: gave up", c.Name)
		default:
		}
		if url == "" {
			select {
			case <-changed:
				continue
			case <-ph.Abort:
				return fmt.Errorf("%s: gave up waiting for the server", c.Name)
			}
		}
		done, err := c.Session(url, ph)
		if err != nil && !errors.Is(err, wstest.ErrLost) {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
		if done {
			return nil
		}
		// Lost. The test marks the server down before it kills it, so the next look finds
		// it down and waits for the restart; while the same server is up, the connection
		// itself failed and a new one is tried at once.
	}
}
