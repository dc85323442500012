package main_test

// The replica crash test driven by a client written elsewhere: testdata/outsider-client's
// ttx_outsider.py, a Python participant client written from design/protocol.md alone (with
// Debian's python3-websockets), not from this repository's Go.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web/wstest"
)

// systemPython is Debian's interpreter, the one python3-websockets installs for.
const systemPython = "/usr/bin/python3"

const outsiderClient = "testdata/outsider-client/ttx_outsider.py"

// outsiderReport is the JSON summary ttx_outsider.py prints.
type outsiderReport struct {
	Actions      []string `json:"actions"`
	Participants []struct {
		Name      string           `json:"name"`
		Team      string           `json:"team"`
		Acked     map[string]int64 `json:"acked"`
		Responses map[string]struct {
			Kind  string `json:"kind"`
			Sends int    `json:"sends"`
		} `json:"responses"`
		Unacked []string `json:"unacked"`
		Feed    []struct {
			Seq  int64  `json:"seq"`
			Kind string `json:"kind"`
		} `json:"feed"`
		Connections          int      `json:"connections"`
		RetriedAcked         int      `json:"retried_acked"`
		ReplayedOn           []string `json:"replayed_on"`
		EscalationsNotInFeed []string `json:"escalations_not_in_feed"`
	} `json:"participants"`
	Violations []string `json:"violations"`
	OK         bool     `json:"ok"`
}

// outsiderProc is ttx_outsider.py running: it sends until its stdin is closed.
type outsiderProc struct {
	stdin  io.WriteCloser
	stdout bytes.Buffer
	stderr *wstest.LogBuffer
	exited chan error // the process's exit, once
}

// mustPythonWebsockets fails tb unless Debian's python3-websockets is installed.
func mustPythonWebsockets(tb testing.TB) {
	tb.Helper()
	out, err := exec.Command(systemPython, "-c", "import websockets").CombinedOutput()
	require.NoError(tb, err, "the outsider client needs python3-websockets for %s; .ci/run installs it (apt-get install python3-websockets): %s", systemPython, out)
}

// startOutsider runs the outsider client with args. Its "progress acked=N" lines on stderr
// set pr's count of acks, for crashWaits.
func startOutsider(tb testing.TB, pr *progress, args ...string) *outsiderProc {
	tb.Helper()
	cmd := exec.Command(systemPython, append([]string{outsiderClient, "--until-stdin-closes"}, args...)...)
	o := &outsiderProc{stderr: &wstest.LogBuffer{}, exited: make(chan error, 1)}
	cmd.Stdout = &o.stdout
	var err error
	o.stdin, err = cmd.StdinPipe()
	require.NoError(tb, err)
	stderr, err := cmd.StderrPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(o.stderr, line)
			var acked int64
			if _, rest, ok := strings.Cut(line, "progress acked="); ok {
				if _, err := fmt.Sscan(rest, &acked); err == nil && acked > pr.acks.Load() {
					pr.acks.Store(acked)
					notify(pr.acked)
				}
			}
		}
		_, _ = io.Copy(o.stderr, stderr)
		o.exited <- cmd.Wait()
	}()
	tb.Cleanup(func() {
		_ = o.stdin.Close()
		_ = cmd.Process.Kill()
	})
	return o
}

// TestReplicasDrivenByAnOutsider is issue 16's last point: three real ttx replicas on one
// PostgreSQL database serve one exercise on its own clock to participants of a client
// written from protocol.md alone (ttx_outsider.py: six participants of three teams spread over
// the replicas, acting, noting and escalating, reconnecting to another replica when theirs
// dies). The clock's owner is SIGKILLed, then a second replica while the first is still down,
// so that one replica serves alone; both are started again where they were. The client checks
// its own feeds and acks and, at the end, replays each participant's feed on every replica,
// the restarted ones included. Then:
//   - the client reports no protocol violation and every response it sent acked;
//   - one gapless log; every acked response in it exactly once under its acked seq, nothing
//     else a participant sent; each participant's feed is the log filtered to what its team
//     may see, up to the last seq it received;
//   - the exercise never paused; another replica held the clock within takeoverLimit;
//   - every inject due before the log's last event fired, once, on time.
func TestReplicasDrivenByAnOutsider(t *testing.T) {
	mustPythonWebsockets(t)
	const replicas, speed, participants = 3, 600, 6
	r := newReplicas(t)
	db, admin := r.db, r.admin
	conn, err := pgx.Connect(context.Background(), db)
	require.NoError(t, err)
	defer conn.Close(context.Background())

	procs := make([]*serverProc, replicas)
	start := func(i int, addr string) {
		procs[i] = mustStartServerAt(t, r.bin, addr, withApplicationName(t, db, fmt.Sprintf("replica-%d", i)), r.dir, admin, r.out)
	}
	urls := make([]string, replicas)
	for i := range replicas {
		start(i, "127.0.0.1:0")
		urls[i] = procs[i].url
	}

	var x facilitator.Created
	procs[0].api(t, "POST", "/api/exercises", admin, map[string]any{"scenario": "crash", "speed": speed}, &x)
	base := "/api/exercises/" + x.ID
	procs[1].api(t, "POST", base+"/start", x.FacilitatorToken, nil, nil)

	// --respond-before-id: some participants respond on a first connection whose hello had no
	// id, then reconnect presenting the one their welcome handed out (the outsider's note 10).
	args := []string{"--exercise", x.ID, "--participants", fmt.Sprint(participants), "--respond-before-id"}
	for _, u := range urls {
		args = append(args, "--replica", u)
	}
	for _, team := range crashTeams {
		args = append(args, "--code", x.Teams[team])
	}
	pr := newProgress()
	client := startOutsider(t, pr, args...)
	returned := 0
	waits := crashWaits{t: t, errs: client.exited, returned: &returned, pr: pr}
	defer func() {
		if t.Failed() {
			t.Logf("the outsider client's stderr:\n%s", client.stderr.String())
		}
	}()
	more := func(n int64) { waits.waitAcks(pr.acks.Load() + n) }

	more(40)
	first := mustClockOwner(t, conn, x.ID)
	procs[first].kill(t)
	takeover := assertTakeover(t, conn, x.ID, first)
	more(40)
	owner := mustClockOwner(t, conn, x.ID)
	second := slices.IndexFunc(procs, func(p *serverProc) bool { return p != procs[first] && p != procs[owner] })
	procs[second].kill(t)
	more(40) // one replica serves alone
	for _, i := range []int{first, second} {
		start(i, strings.TrimPrefix(urls[i], "http://"))
		require.Equal(t, urls[i], procs[i].url, "replica %d started again where it was", i)
		var detail struct {
			Status string `json:"status"`
		}
		procs[i].api(t, "GET", base, x.FacilitatorToken, nil, &detail)
		assert.Equal(t, "running", detail.Status, "replica %d, started again, serves the exercise running", i)
	}
	more(40)
	require.NoError(t, client.stdin.Close())
	select {
	case err := <-client.exited:
		returned++
		assert.NoError(t, err, "the outsider client found violations")
	case <-time.After(startTimeout):
		require.Fail(t, "the outsider client did not finish")
	}
	var report outsiderReport
	require.NoError(t, json.Unmarshal(client.stdout.Bytes(), &report), "the outsider client's summary:\n%s", client.stdout.String())
	assert.True(t, report.OK, "the outsider client's violations: %v", report.Violations)
	require.Len(t, report.Participants, participants)
	require.NotEmpty(t, report.Actions, "the client found the plan's actions in welcome")

	events := mustStoredLog(t, db, x.ID)
	fired := checkReplicaLog(t, events, speed, 0)
	set, diags := scenarios.Load(r.dir)
	require.False(t, diags.HasErrors(), "%v", diags)
	last := events[len(events)-1].T
	due := 0
	for _, inj := range set.Scenarios["crash"].Injects {
		if inj.HasAt && inj.At < last {
			due++
			assert.Equal(t, 1, fired[inj.Name], "inject %s, due at %v before the last event at %v, fired once", inj.Name, inj.At, last)
		}
	}
	assert.Greater(t, due, 10, "several injects came due while the client ran")

	kinds := map[string]int{}
	connections, sends, acked, unseen, retried := 0, 0, 0, 0, 0
	var held []*wstest.Participant
	for _, p := range report.Participants {
		assert.Empty(t, p.Unacked, "%s has responses unacked", p.Name)
		assert.Len(t, p.Acked, len(p.Responses), "%s had every response it sent acked", p.Name)
		assert.Equal(t, urls, p.ReplayedOn, "%s's feed was replayed on every replica, the restarted ones too", p.Name)
		wp := &wstest.Participant{Team: p.Team, Name: p.Name, Acked: p.Acked, Sessions: p.Connections}
		for _, e := range p.Feed {
			wp.Feed = append(wp.Feed, wstest.FeedEvent{Seq: e.Seq, Kind: e.Kind})
			wp.LastSeq = e.Seq
		}
		held = append(held, wp)
		for ref, r := range p.Responses {
			if _, ok := p.Acked[ref]; ok {
				kinds[r.Kind]++
			}
			sends += r.Sends
		}
		connections += p.Connections
		acked += len(p.Acked)
		unseen += len(p.EscalationsNotInFeed)
		retried += p.RetriedAcked
	}
	assert.Empty(t, wstest.CheckLogSoFar(events, held), "the outsider's participants and the stored log disagree")
	for _, kind := range []string{"act", "note", "escalate"} {
		assert.Positive(t, kinds[kind], "the outsider's %s responses were acked", kind)
	}
	assert.GreaterOrEqual(t, connections, participants+2, "each kill dropped some participant, who reconnected elsewhere")
	assert.Positive(t, retried, "acked refs were sent again after a reconnection")
	t.Logf("%d events, %d injects fired, %d responses acked (%v; %d escalations not in their senders' feeds), %d sent again after a reconnection (%d of them acked already), %d connections; takeover %v",
		len(events), len(fired), acked, kinds, unseen, sends-acked, retried, connections, takeover)
	assert.NotContains(t, client.stderr.String(), "Traceback", "the outsider client raised")

	for _, p := range procs {
		p.stop(t)
	}
	assertCleanOutput(t, r.out.String(), admin, x)
}
