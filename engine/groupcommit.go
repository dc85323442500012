package engine

import (
	"context"
	"sync"
)

// GroupCommit is the writer of a store that batches appends into shared transactions
// (QueuedAppender): whatever is queued while a transaction commits goes into the next one, and
// every request learns its result, in the order it was queued. engine/sqlite and
// engine/postgres both run it; only their commit differs.
type GroupCommit[R any] struct {
	commit func(batch []R) []error // writes one batch in one transaction: a result per request
	done   func(r R, err error)    // hands a request its result

	mu      sync.Mutex
	queue   []R
	closed  bool
	kick    chan struct{} // wakes the writer; capacity 1
	stopped chan struct{} // closed when the writer has returned
}

// StartGroupCommit starts the writer goroutine of a store: commit writes a batch in one
// transaction and returns each request's result, done hands a request its result.
func StartGroupCommit[R any](commit func(batch []R) []error, done func(r R, err error)) *GroupCommit[R] {
	g := &GroupCommit[R]{commit: commit, done: done, kick: make(chan struct{}, 1), stopped: make(chan struct{})}
	go g.write()
	return g
}

// Queue adds r to the next transaction and wakes the writer. Once the writer is closed, r is
// not queued and gets the error "the store is closed".
func (g *GroupCommit[R]) Queue(r R) {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		g.done(r, Errorf(EInternal, "the store is closed"))
		return
	}
	g.queue = append(g.queue, r)
	g.mu.Unlock()
	g.wake()
}

// Close commits what is queued and stops the writer. It reports whether this call closed it,
// so that a store closes its database once, however often it is closed.
func (g *GroupCommit[R]) Close() bool {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return false
	}
	g.closed = true
	g.mu.Unlock()
	g.wake()
	<-g.stopped
	return true
}

func (g *GroupCommit[R]) wake() {
	select {
	case g.kick <- struct{}{}:
	default:
	}
}

// write is the writer goroutine: it commits whatever is queued, one transaction per round,
// until it is closed and nothing is left.
func (g *GroupCommit[R]) write() {
	defer close(g.stopped)
	for range g.kick {
		for {
			g.mu.Lock()
			batch, closed := g.queue, g.closed
			g.queue = nil
			g.mu.Unlock()
			if len(batch) == 0 {
				if closed {
					return
				}
				break
			}
			results := g.commit(batch)
			for i, r := range batch {
				g.done(r, results[i])
			}
		}
	}
}

// AwaitQueued queues a request with queue, which hands the request done to call with its
// result from the writer, and waits for that result or for ctx: a store's Append over its
// QueueAppend. A caller that stops waiting does not know whether the request committed.
func AwaitQueued(ctx context.Context, queue func(done func(error))) error {
	result := make(chan error, 1)
	queue(func(err error) { result <- err })
	select {
	case err := <-result:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
