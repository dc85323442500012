package main

import (
	"context"
	"sync"
	"time"

	"github.com/ttx-dev/ttx/engine"
)

// timedStore is a group-committing store (SQLite or PostgreSQL) with a stopwatch on group
// commit: how long each queued append waited for its transaction to commit, which tells how
// much of an ack's latency is the database's.
type timedStore struct {
	engine.Store
	queued engine.QueuedAppender

	mu      sync.Mutex
	commits Latencies
}

var (
	_ engine.Store          = (*timedStore)(nil)
	_ engine.QueuedAppender = (*timedStore)(nil)
)

// newTimedStore times store; both of ttx's stores queue appends.
func newTimedStore(store engine.Store) *timedStore {
	qa, _ := store.(engine.QueuedAppender)
	return &timedStore{Store: store, queued: qa}
}

// QueueAppend queues events as the store does, timing the wait for the commit.
func (s *timedStore) QueueAppend(exerciseID string, events []engine.Event, done func(error)) {
	start := time.Now()
	if s.queued == nil {
		done(s.Store.Append(context.Background(), exerciseID, events))
		return
	}
	s.queued.QueueAppend(exerciseID, events, func(err error) {
		d := time.Since(start)
		s.mu.Lock()
		s.commits = append(s.commits, d)
		s.mu.Unlock()
		done(err)
	})
}

// commitWaits returns the waits recorded so far and forgets them.
func (s *timedStore) commitWaits() Latencies {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.commits
	s.commits = nil
	return out
}
