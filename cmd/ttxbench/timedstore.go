package main

import (
	"sync"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
)

// timedStore is the SQLite store with a stopwatch on group commit: how long each queued
// append waited for its transaction to commit, which tells how much of an ack's latency is
// the disk's.
type timedStore struct {
	*sqlite.Store

	mu      sync.Mutex
	commits Latencies
}

var (
	_ engine.Store          = (*timedStore)(nil)
	_ engine.QueuedAppender = (*timedStore)(nil)
)

// QueueAppend queues events as the SQLite store does, timing the wait for the commit.
func (s *timedStore) QueueAppend(exerciseID string, events []engine.Event, done func(error)) {
	start := time.Now()
	s.Store.QueueAppend(exerciseID, events, func(err error) {
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
