package web_test

import (
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/web"
)

// stalledDisk is the SQLite store behind a disk that stops answering: while stalled, appends
// wait until released.
type stalledDisk struct {
	*sqlite.Store
	mu      sync.Mutex
	release chan struct{} // nil while the disk answers
}

// onDisk restarts e on its SQLite store behind the disk wrap makes of it, and returns the disk.
func onDisk[D engine.Store](e *env, wrap func(*sqlite.Store) D) D {
	var disk D
	e.stop()
	e.wrap = func(s *sqlite.Store) engine.Store {
		disk = wrap(s)
		return disk
	}
	e.start()
	return disk
}

// onStalledDisk restarts e on its SQLite store behind a stalledDisk.
func onStalledDisk(e *env) *stalledDisk {
	return onDisk(e, func(s *sqlite.Store) *stalledDisk { return &stalledDisk{Store: s} })
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
	e := newEnv(t, func(c *web.Config) { c.CommandTimeout = 200 * time.Millisecond })
	x := e.mustStart()
	disk := onStalledDisk(e) // the exercise comes back paused
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

// failingDisk is the SQLite store behind a disk that refuses writes while full is set.
type failingDisk struct {
	*sqlite.Store
	full atomic.Bool
}

// onFailingDisk restarts e on its SQLite store behind a failingDisk.
func onFailingDisk(e *env) *failingDisk {
	return onDisk(e, func(s *sqlite.Store) *failingDisk { return &failingDisk{Store: s} })
}

var errSecretDisk = errors.New("disk I/O error writing /var/lib/ttx/secret-path/ttx.db-wal")

func (s *failingDisk) QueueAppend(id string, events []engine.Event, done func(error)) {
	if s.full.Load() {
		done(errSecretDisk)
		return
	}
	s.Store.QueueAppend(id, events, done)
}

// TestInternalErrorsStayInside: what a failing store says reaches nobody outside (a
// participant gets "internal error", so does a facilitator's command) and is logged with its
// context; once the disk takes writes again the exercise goes on.
func TestInternalErrorsStayInside(t *testing.T) {
	e := newEnv(t)
	disk := onFailingDisk(e)
	x := e.mustStart()
	irt, _ := e.participant(x.Teams["irt"], "Ines", 0)
	disk.full.Store(true)
	irt.send(msg{"type": "note", "ref": "n1", "text": "lost"})
	m := irt.reply("n1")
	assert.Equal(t, "error", m.str("type"))
	assert.Equal(t, "internal error", m.str("error"))
	r := e.request("POST", "/api/exercises/"+x.ID+"/pause", x.FacilitatorToken, nil)
	assert.Equal(t, http.StatusInternalServerError, r.status)
	assert.Equal(t, "internal error", r.errorText())
	assert.NotContains(t, string(r.body), "secret-path")
	assert.Contains(t, e.logs.String(), "secret-path", "logged inside, with its context")

	disk.full.Store(false)
	irt.send(msg{"type": "note", "ref": "n2", "text": "stored"})
	assert.Equal(t, "ack", irt.reply("n2").str("type"), "healed")
}
