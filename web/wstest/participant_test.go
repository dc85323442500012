package wstest_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

const planHCL = `
plan "p" {
  title   = "Plan"
  version = "1"

  team "red" {
    title = "Red"
    tier  = 1
  }
  team "blue" {
    title = "Blue"
    tier  = 2
  }

  severity "low" {
    level = 1
    title = "Low"
  }

  action "contain" {
    title      = "Contain"
    owner      = team.red
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }
}
`

const scenarioHCL = `
scenario "s" {
  title    = "Scenario"
  summary  = "Two injects and a decision."
  plan     = "p"
  duration = "8h"

  inject "call" {
    at       = "0s"
    to       = [team.red, team.blue]
    channel  = "phone"
    subject  = "A call"
    triggers = [action.contain]
  }
  inject "demand" {
    at      = "1m"
    to      = [team.blue]
    channel = "email"
    subject = "Pay?"

    decision "ransom" {
      prompt = "Pay?"
      options = {
        refuse = "Refuse"
        pay    = "Pay"
      }
      expected = "refuse"
    }
  }
}
`

// tally is an Observer that counts first acks and tells the test of each.
type tally struct {
	acks  atomic.Int64
	acked chan struct{}
}

func (t *tally) Connected(int) {}
func (t *tally) Sent()         {}
func (t *tally) SlowedDown()   {}
func (t *tally) Acked(first bool) {
	if first {
		t.acks.Add(1)
	}
	select {
	case t.acked <- struct{}{}:
	default:
	}
}

func mustServer(tb testing.TB) *wstest.Server {
	tb.Helper()
	lib, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: []byte(planHCL)},
		"scenario.hcl": {Data: []byte(scenarioHCL)},
	})
	require.False(tb, diags.HasErrors(), "%s", diags.Error())
	srv, err := wstest.StartServer(lib, web.Config{})
	require.NoError(tb, err)
	tb.Cleanup(srv.Close)
	return srv
}

// TestParticipantsAcrossDrops plays two participants who drop their connections every few
// messages: at the end every ref each was acked is stored once under that seq, and each feed
// is the stored log as its team sees it.
func TestParticipantsAcrossDrops(t *testing.T) {
	srv := mustServer(t)
	x, err := srv.StartExercise("s", 60)
	require.NoError(t, err)

	obs := &tally{acked: make(chan struct{}, 1)}
	ph := wstest.NewPhases()
	teams := []string{"red", "blue"}
	var ps []*wstest.Participant
	errs := make(chan error, len(teams))
	for i, team := range teams {
		p := wstest.NewParticipant(team, team+"-1", x.Teams[team], teams, []string{"contain"}, rand.New(rand.NewPCG(uint64(i), 1)), 5*time.Millisecond)
		p.Lifetime = func() time.Duration { return 50 * time.Millisecond }
		p.Observer = obs
		ps = append(ps, p)
		go func() {
			for {
				done, err := p.Session(srv.WebSocketURL(), ph)
				if done || !errors.Is(err, wstest.ErrLost) {
					errs <- err
					return
				}
			}
		}()
	}
	returned := 0
	t.Cleanup(func() {
		close(ph.Abort)
		for ; returned < len(ps); returned++ {
			<-errs
		}
	})
	// The bound only ends a broken run.
	bound := time.After(30 * time.Second)
	wait := func(ch <-chan struct{}, what string) {
		t.Helper()
		select {
		case <-ch:
		case err := <-errs:
			returned++
			require.NoError(t, err, "while waiting for %s", what)
			require.Fail(t, "a participant stopped while waiting for "+what)
		case <-bound:
			require.Fail(t, "timed out waiting for "+what)
		}
	}
	for obs.acks.Load() < 40 {
		wait(obs.acked, "40 acks")
	}
	close(ph.Quiet)
	for _, p := range ps {
		wait(p.Drained, p.Name+" to have every message acked")
	}
	var paused struct{ Seq int64 }
	require.NoError(t, srv.Call("POST", "/api/exercises/"+x.ID+"/pause", x.FacilitatorToken, nil, &paused))
	ph.Target.Store(paused.Seq)
	close(ph.Final)
	for ; returned < len(ps); returned++ {
		select {
		case err := <-errs:
			require.NoError(t, err)
		case <-bound:
			require.Fail(t, "the participants did not read up to the pause")
		}
	}

	events, err := srv.Store.Events(context.Background(), x.ID)
	require.NoError(t, err)
	for _, p := range ps {
		assert.Greater(t, p.Sessions, 1, "%s reconnected", p.Name)
		assert.NotEmpty(t, p.Acked, p.Name)
	}
	assert.Empty(t, wstest.CheckLog(events, ps))
	assert.Empty(t, srv.Logged(), "the server logged no warning or error")
}

// TestSessionRefusedJoinCode is a protocol breach, not a lost connection: a wrong join code
// is answered with an error where the welcome should be.
func TestSessionRefusedJoinCode(t *testing.T) {
	srv := mustServer(t)
	_, err := srv.StartExercise("s", 1)
	require.NoError(t, err)
	p := wstest.NewParticipant("red", "r", "NOT-A-CODE", []string{"red", "blue"}, []string{"contain"}, rand.New(rand.NewPCG(1, 1)), time.Millisecond)
	done, err := p.Session(srv.WebSocketURL(), wstest.NewPhases())
	assert.False(t, done)
	require.Error(t, err)
	assert.NotErrorIs(t, err, wstest.ErrLost)
	assert.Contains(t, err.Error(), "expected a welcome")
}

func TestCallReportsRefusal(t *testing.T) {
	srv := mustServer(t)
	err := srv.Call("POST", "/api/exercises", "wrong-token", map[string]any{"scenario": "s"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "401")
}
