package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/web/wstest"
)

// finishTimeout bounds each phase of the end (finishing what was sent, reading up to the
// pause, the goroutines winding down): it only ends a run that is stuck.
const finishTimeout = 60 * time.Second

// soak runs one soak and returns the failed checks.
func soak(cfg config, out io.Writer) ([]string, error) {
	srv, err := startServer(cfg.speed)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	x, err := srv.Manager.Exercise(srv.x.ID)
	if err != nil {
		return nil, err
	}
	srv.CloseIdle()
	runtime.GC()
	startGoroutines := runtime.NumGoroutine()
	fmt.Fprintf(out, "ttxsoak: %d clients for %v, speed %v, seed %d; exercise %s on %s; %d goroutines before the clients\n\n",
		cfg.clients, cfg.duration, cfg.speed, cfg.seed, srv.x.ID, srv.URL, startGoroutines)

	rng := rand.New(rand.NewPCG(cfg.seed, 1))
	var teams, actions []string
	for i := range soakTeams {
		teams = append(teams, teamName(i))
		actions = append(actions, actionName(i))
	}
	n := &counters{}
	ph := wstest.NewPhases()
	clients := make([]*client, cfg.clients)
	errs := make(chan error, cfg.clients)
	for i := range clients {
		team := teams[i%len(teams)]
		c := newClient(team, fmt.Sprintf("c%04d", i), srv.x.Teams[team], srv.WebSocketURL(), teams, actions,
			rand.New(rand.NewPCG(rng.Uint64(), uint64(i))), cfg.client, n)
		clients[i] = c
		delay := time.Duration(0)
		if cfg.join > 0 {
			delay = time.Duration(rng.Int64N(int64(cfg.join)))
		}
		go func() { errs <- c.run(delay, ph) }()
	}
	returned := 0
	var problems []string
	abort := func(why string) ([]string, error) {
		close(ph.Abort)
		for ; returned < len(clients); returned++ {
			if err := <-errs; err != nil {
				problems = append(problems, err.Error())
			}
		}
		return append(problems, why), nil
	}

	table := newTable(out)
	start := time.Now()
	sample := func() { table.row(time.Since(start), x.Snapshot(), n) }
	sample()
	tick := time.NewTicker(cfg.every)
	defer tick.Stop()
	end := time.NewTimer(cfg.duration)
	defer end.Stop()
play:
	for {
		select {
		case <-tick.C:
			sample()
		case <-end.C:
			break play
		case err := <-errs:
			returned++
			if err == nil {
				err = fmt.Errorf("a client stopped before the end")
			}
			return abort(err.Error())
		}
	}

	// The end: everyone finishes what they sent; the facilitator pauses; everyone reads up to
	// the pause and leaves.
	close(ph.Quiet)
	deadline := time.NewTimer(finishTimeout)
	defer deadline.Stop()
	for _, c := range clients {
		select {
		case <-c.Drained:
		case err := <-errs:
			returned++
			return abort(fmt.Sprintf("a client stopped while finishing: %v", err))
		case <-deadline.C:
			return abort(fmt.Sprintf("%s still has %d messages unacked after %v", c.Name, c.Pending(), finishTimeout))
		}
	}
	var paused struct{ Seq int64 }
	if err := srv.Call("POST", "/api/exercises/"+srv.x.ID+"/pause", srv.x.FacilitatorToken, nil, &paused); err != nil {
		return abort(fmt.Sprintf("pause at the end: %v", err))
	}
	ph.Target.Store(paused.Seq)
	close(ph.Final)
	for ; returned < len(clients); returned++ {
		select {
		case err := <-errs:
			if err != nil {
				problems = append(problems, err.Error())
			}
		case <-deadline.C:
			return abort("the clients did not all read up to the final pause")
		}
	}
	sample()

	problems = append(problems, checkLog(out, x, srv, clients)...)

	// Flat: with every client gone, the goroutines come back to where they started (polled,
	// bounded: connections wind down on their own schedule).
	srv.CloseIdle()
	back := time.Now().Add(finishTimeout)
	for runtime.NumGoroutine() > startGoroutines+cfg.slack && time.Now().Before(back) {
		<-time.After(100 * time.Millisecond)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	now := runtime.NumGoroutine()
	fmt.Fprintf(out, "\nafter the clients left: %d goroutines (started at %d), heap in use %.1f MiB after GC\n",
		now, startGoroutines, float64(ms.HeapInuse)/(1<<20))
	if now > startGoroutines+cfg.slack {
		var stacks bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		problems = append(problems, fmt.Sprintf("%d goroutines after the clients left, %d before they came:\n%s", now, startGoroutines, stacks.String()))
	}
	if logged := srv.Logged(); logged != "" {
		fmt.Fprintf(out, "\nthe server logged warnings or errors:\n%s", logged)
	}
	return problems, nil
}

// checkLog compares the log in memory, the log on disk and what every client was acked and
// received.
func checkLog(out io.Writer, x interface{ EventsSince(int64) []engine.Event }, srv *soakServer, clients []*client) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	events := x.EventsSince(0)
	stored, err := srv.Store.Events(context.Background(), srv.x.ID)
	if err != nil {
		return []string{fmt.Sprintf("read the stored log: %v", err)}
	}
	if len(stored) != len(events) {
		fail("the log in memory has %d events, on disk %d", len(events), len(stored))
	}
	for i := range min(len(stored), len(events)) {
		a, b := events[i], stored[i]
		if a.Seq != int64(i+1) || a.Seq != b.Seq || a.Kind != b.Kind || a.Ref != b.Ref || a.Team != b.Team {
			fail("event %d differs: in memory seq %d %s %q, on disk seq %d %s %q", i+1, a.Seq, a.Kind, a.Ref, b.Seq, b.Kind, b.Ref)
			break
		}
	}

	participants := make([]*wstest.Participant, len(clients))
	acked, sessions := 0, 0
	for i, c := range clients {
		participants[i] = c.Participant
		acked += len(c.Acked)
		sessions += c.Sessions
	}
	problems = append(problems, wstest.CheckLog(events, participants)...)
	if len(problems) == 0 {
		fmt.Fprintf(out, "\n%d events; %d acked responses, each stored once; %d connections; every feed equals the log\n", len(events), acked, sessions)
	}
	return problems
}
