package web_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
)

// stalledDisk is the SQLite store behind a disk that stops answering: while stalled, appends
// wait until released.
type stalledDisk struct {
	*sqlite.Store
	mu      sync.Mutex
	release chan struct{} // nil while the disk answers
}

func (s *stalledDisk) stall() {
	s.mu.Lock()
	s.release = make(chan struct{})
	s.mu.Unlock()
}

func (s *stalledDisk) unstall() {
	s.mu.Lock()
	close(s.release)
	s.release = nil
	s.mu.Unlock()
}

func (s *stalledDisk) QueueAppend(id string, events []engine.Event, done func(error)) {
	s.mu.Lock()
	release := s.release
	s.mu.Unlock()
	if release == nil {
		s.Store.QueueAppend(id, events, done)
		return
	}
	go func() {
		<-release
		s.Store.QueueAppend(id, events, done)
	}()
}

// TestCommandsTimeOutWhileTheDiskIsStalled: a facilitator's command waits at most
// CommandTimeout for the store, then gets a 503 that says what happened; nothing is acked
// that was not committed, and the command is recorded once the disk answers.
func TestCommandsTimeOutWhileTheDiskIsStalled(t *testing.T) {
	var disk *stalledDisk
	e := newEnv(t)
	x := e.mustStart()
	e.stop()
	e.cfg.CommandTimeout = 200 * time.Millisecond
	e.wrap = func(s *sqlite.Store) engine.Store {
		disk = &stalledDisk{Store: s}
		return disk
	}
	e.start() // the exercise comes back paused
	base := "/api/exercises/" + x.ID
	disk.stall()
	r := e.request("POST", base+"/resume", x.FacilitatorToken, nil)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Contains(t, r.errorText(), "did not answer within 200ms (is its disk full or stalled?)")
	var state struct{ Status string }
	e.mustRequest("GET", base, x.FacilitatorToken, nil, http.StatusOK, &state)
	assert.Equal(t, "paused", state.Status, "nothing is shown before it is committed")
	xl, err := e.m.Exercise(x.ID)
	require.NoError(t, err)
	events, stop := xl.Subscribe()
	defer stop()
	disk.unstall()
	select {
	case ev := <-events:
		assert.Equal(t, engine.ClockResumed, ev.Clock, "the command is recorded once the disk answers")
	case <-time.After(10 * time.Second):
		t.Fatal("the resume never committed")
	}
}
