package main_test

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/web/wstest"
)

// crashTeams and crashActions are the plan of the crash test's scenario.
var (
	crashTeams   = []string{"desk", "irt", "cmt"}
	crashActions = []string{"log_report", "contain", "warn_cmt", "brief"}
)

const crashPlanHCL = `
plan "crash-plan" {
  title   = "Crash test plan"
  version = "1"

  team "desk" {
    title = "Service Desk"
    tier  = 1
  }
  team "irt" {
    title = "Incident Response Team"
    tier  = 2
  }
  team "cmt" {
    title = "Crisis Management Team"
    tier  = 4
  }

  severity "local" {
    level = 1
    title = "Local"
  }
  severity "crisis" {
    level = 2
    title = "Crisis"
  }

  action "log_report" {
    title      = "Log the report"
    owner      = team.desk
    phase      = "detection"
    capability = "reporting"
    due        = "15m"
  }
  action "contain" {
    title      = "Contain"
    owner      = team.irt
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }
  action "warn_cmt" {
    title       = "Warn the CMT"
    owner       = team.irt
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    escalate_to = team.cmt
  }
  action "brief" {
    title      = "Brief the board"
    owner      = team.cmt
    phase      = "recovery"
    capability = "communication"
    due        = "2h"
  }
}
`

// crashScenarioHCL is a long exercise with an inject every two simulated minutes, each to one
// or two teams, and a decision put to the CMT early on: at the test's speed the scheduler
// writes to the log while the participants do.
func crashScenarioHCL() string {
	var b strings.Builder
	b.WriteString(`
scenario "crash" {
  title    = "Crash test"
  summary  = "Injects every two minutes for forty hours."
  plan     = "crash-plan"
  duration = "72h"

  inject "demand" {
    at      = "5m"
    to      = [team.cmt]
    channel = "email"
    subject = "Your files are encrypted"

    decision "ransom" {
      prompt = "Pay?"
      options = {
        refuse = "Refuse"
        pay    = "Pay"
      }
      expected = "refuse"
    }
  }
`)
	channels := []string{"email", "phone", "chat", "news", "ticket", "social"}
	for i := 0; i < 1200; i++ {
		to := "team." + crashTeams[i%3]
		if i%4 == 0 {
			to += ", team." + crashTeams[(i+1)%3]
		}
		fmt.Fprintf(&b, `
  inject "i%04d" {
    at      = "%dm"
    to      = [%s]
    channel = %q
    subject = "Update %d"
    body    = "Things happen: update **%d**."
  }
`, i, 2*(i+1), to, channels[i%len(channels)], i, i)
	}
	b.WriteString("}\n")
	return b.String()
}

// mustCrashScenarioDir writes the crash test's plan and scenario ("crash") into a temporary
// directory, for `ttx serve --scenarios`, and returns it.
func mustCrashScenarioDir(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "plan.hcl"), []byte(crashPlanHCL), 0o644))
	require.NoError(tb, os.WriteFile(filepath.Join(dir, "crash.hcl"), []byte(crashScenarioHCL()), 0o644))
	return dir
}

// TestServerSurvivesSIGKILL runs the real ttx binary, plays an exercise with six participants
// of three teams who act, note, escalate and answer continuously, and SIGKILLs the server at
// random moments (right after a message went out, so with a write in flight, or right after an
// ack) several times, starting it again on the same database each time. The clients reconnect
// with since = the last seq they saw and resend what was not acked. At the end:
//   - every acked response is in the stored log exactly once, under the seq it was acked with,
//     and nothing else a client sent is;
//   - after each restart the exercise was paused at the time of its last event, with the
//     "server restarted" clock event, and resumed;
//   - every client's feed is exactly the stored log filtered to what its team may see: the
//     same seqs and kinds, no gap, no duplicate;
//   - no token or join code appears in anything the processes printed.
func TestServerSurvivesSIGKILL(t *testing.T) {
	const kills = 4
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("TTX_CRASH_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "TTX_CRASH_SEED")
	}
	t.Logf("seed %d (TTX_CRASH_SEED=%d replays the same kill points and messages)", seed, seed)
	rng := mrand.New(mrand.NewPCG(seed, 8))

	bin := mustBuildTTX(t)
	dir := mustCrashScenarioDir(t)
	db := filepath.Join(t.TempDir(), "ttx.db")
	admin := "crash-admin-" + rand.Text()
	out := &wstest.LogBuffer{} // the output of every server process

	srv := mustStartServer(t, bin, db, dir, admin, out)
	var x facilitator.Created
	srv.api(t, "POST", "/api/exercises", admin, map[string]any{"scenario": "crash", "speed": 3600}, &x)
	base := "/api/exercises/" + x.ID
	srv.api(t, "POST", base+"/start", x.FacilitatorToken, nil, nil)

	cl, pr := newCluster(), newProgress()
	ph := wstest.NewPhases()
	var clients []*crashClient
	for i, team := range []string{"desk", "irt", "cmt", "desk", "irt", "cmt"} {
		clients = append(clients, newCrashClient(team, fmt.Sprintf("P%d-%s", i, team), x.Teams[team], crashTeams, crashActions, rng.Uint64(), pr))
	}
	errs := make(chan error, len(clients))
	for _, c := range clients {
		go func() { errs <- c.run(cl, ph) }()
	}
	// Each client's result is read once; whatever happens, the test ends only after every
	// client has returned.
	returned := 0
	clientDone := func() error { returned++; return <-errs }
	t.Cleanup(func() {
		close(ph.Abort)
		for returned < len(clients) {
			_ = clientDone()
		}
	})
	// failed reports a client's failure, if one has returned early.
	failed := func() {
		select {
		case err := <-errs:
			returned++
			require.NoError(t, err, "a client failed")
			require.Fail(t, "a client stopped before the end")
		default:
		}
	}
	cl.set(wstest.WebSocketURL(srv.url))

	waits := crashWaits{t: t, errs: errs, returned: &returned, pr: pr}
	waitFor, waitAcks := waits.waitFor, waits.waitAcks

	var restartTimes []string
	for k := 0; k < kills; k++ {
		waitAcks(pr.acks.Load() + 20 + int64(rng.IntN(80)))
		if rng.IntN(2) == 0 {
			select { // an old notice would not be a message in flight now
			case <-pr.sent:
			default:
			}
			waitFor(pr.sent, "a message to go out")
		} else {
			select {
			case <-pr.acked:
			default:
			}
			waitFor(pr.acked, "an ack")
		}
		cl.set("")
		srv.kill(t)
		failed()

		srv = mustStartServer(t, bin, db, dir, admin, out)
		cl.set(wstest.WebSocketURL(srv.url))
		var detail struct {
			Status  string `json:"status"`
			SimTime string `json:"sim_time"`
		}
		srv.api(t, "GET", base, x.FacilitatorToken, nil, &detail)
		assert.Equal(t, "paused", detail.Status, "after restart %d the exercise waits for its facilitator", k+1)
		restartTimes = append(restartTimes, detail.SimTime)
		// The participants come back (and may respond) while it is paused; then it resumes.
		waitAcks(pr.acks.Load() + 3)
		srv.api(t, "POST", base+"/resume", x.FacilitatorToken, nil, nil)
	}

	// The end: everyone finishes what they sent, the facilitator pauses, and every client
	// reads up to the pause.
	waitAcks(pr.acks.Load() + 20)
	close(ph.Quiet)
	for _, c := range clients {
		waitFor(c.Drained, c.Name+" to have every message acked")
	}
	var paused struct {
		Status string `json:"status"`
		Seq    int64  `json:"seq"`
	}
	srv.api(t, "POST", base+"/pause", x.FacilitatorToken, nil, &paused)
	require.Equal(t, "paused", paused.Status)
	ph.Target.Store(paused.Seq)
	close(ph.Final)
	for returned < len(clients) {
		select {
		case err := <-errs:
			returned++
			require.NoError(t, err)
		case <-time.After(startTimeout):
			require.Fail(t, "the clients did not read up to the final pause")
		}
	}
	srv.stop(t)

	// The stored log is the truth.
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	defer store.Close()
	events, err := store.Events(context.Background(), x.ID)
	require.NoError(t, err)
	require.NotEmpty(t, events)
	for i, e := range events {
		require.Equal(t, int64(i+1), e.Seq, "the stored seqs run 1, 2, 3… without a gap")
	}
	kindsN := map[string]int{}
	for _, e := range events {
		kindsN[e.Kind+"/"+e.Clock]++
	}
	t.Logf("stored: %v; simulated time at the end %v", kindsN, events[len(events)-1].T)
	last := events[len(events)-1]
	assert.Equal(t, paused.Seq, last.Seq, "nothing was stored after the final pause")
	assert.Equal(t, engine.ClockPaused, last.Clock)

	// After every restart: paused where the log stopped, with the documented reason.
	var restarts []engine.Event
	for i, e := range events {
		if e.Kind == engine.KindClock && e.Reason == "server restarted" {
			restarts = append(restarts, e)
			assert.Equal(t, engine.ClockPaused, e.Clock)
			assert.Equal(t, events[i-1].T, e.T, "restart pause at seq %d: at the simulated time of the last event", e.Seq)
			if i+1 < len(events) {
				assert.NotEqual(t, engine.KindInjectDelivered, events[i+1].Kind, "nothing is delivered while paused after restart at seq %d", e.Seq)
			}
		}
	}
	require.Len(t, restarts, kills, "one restart pause per kill")
	for k, e := range restarts {
		assert.Equal(t, restartTimes[k], e.T.String(), "the console shows the time the exercise stopped at after restart %d", k+1)
	}

	// Every acked response exactly once, under its seq; nothing unacked stored; every
	// client's feed is the log as its team sees it.
	participants := make([]*wstest.Participant, len(clients))
	ackedTotal, resent := 0, 0
	for i, c := range clients {
		participants[i] = c.Participant
		assert.Greater(t, c.Sessions, kills, "%s reconnected after every kill", c.Name)
		ackedTotal += len(c.Acked)
		resent += c.Resent
	}
	assert.Empty(t, wstest.CheckLog(events, participants), "the clients and the stored log disagree")
	t.Logf("%d events, %d acked responses, %d resent after a reconnect, %d kills", len(events), ackedTotal, resent, kills)

	assertCleanOutput(t, out.String(), admin, x)
}
