package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// fanoutTeams is how many teams the fan-out exercise has; its participants are spread over
// them and every inject goes to all of them.
const fanoutTeams = 10

// injectBody is the Markdown body of every benchmark inject: about 600 bytes, a realistic
// situation report.
var injectBody = strings.Repeat("The **duty manager** reports that ward systems are degraded; "+
	"staff are moving to paper records. See the [continuity plan](https://example.org/bcp). ", 4)

// fanoutFS is a plan of fanoutTeams teams and a 72-hour scenario whose only inject, at the
// start, goes to every team: a scenario in which every participant receives every inject.
func fanoutFS() fstest.MapFS {
	var to []string
	for t := 0; t < fanoutTeams; t++ {
		to = append(to, "team."+teamName(t))
	}
	scenario := fmt.Sprintf(`scenario "fanout" {
  title    = "Everyone hears everything"
  plan     = %q
  duration = "72h"

  inject "opening" {
    at      = "0s"
    to      = [%s]
    channel = "sitrep"
    subject = "The exercise begins"
    body    = "All teams: stand up your incident rooms."
  }
}
`, benchPlan, strings.Join(to, ", "))
	return fstest.MapFS{
		"plan.hcl":     {Data: []byte(planHCL(fanoutTeams))},
		"scenario.hcl": {Data: []byte(scenario)},
	}
}

// fanoutResult is what fan-out runs measured.
type fanoutResult struct {
	latencies Latencies
	rates     []float64 // per burst: messages received per second, first send to last receipt
	cpu       []float64 // per burst: CPU time of this process per message received, ns
	perClient float64   // live heap growth per connected client, after GC (the first run's)
	missing   int       // messages that never arrived
	sample    []byte    // one message as the clients received it
}

// rate is the median of the bursts' rates.
func (r fanoutResult) rate() float64 { return median(r.rates) }

// cpuPerMessage is the median of the bursts' CPU time per message.
func (r fanoutResult) cpuPerMessage() float64 { return median(r.cpu) }

// add pools the figures of another run into r.
func (r *fanoutResult) add(o fanoutResult) {
	r.latencies = append(r.latencies, o.latencies...)
	r.rates = append(r.rates, o.rates...)
	r.cpu = append(r.cpu, o.cpu...)
	if r.perClient == 0 {
		r.perClient = o.perClient
	}
	r.missing += o.missing
	if r.sample == nil {
		r.sample = o.sample
	}
}

// benchFanout measures ttx and the baseline broadcast server with n clients, paced injects
// and bursts of burst injects, and returns the table's rows. The two take turns, repeat times
// each, so that a change in the machine's other load falls on both.
func benchFanout(ctx context.Context, n, burst, repeat int) ([]Row, error) {
	goroutines := runtime.NumGoroutine()
	var ttx, base fanoutResult
	for i := 0; i < repeat; i++ {
		var t, b fanoutResult
		var err error
		// Profile labels tell the two apart in a -cpuprofile: every goroutine either starts
		// inherits its side (go tool pprof -tagfocus side=ttx).
		pprof.Do(ctx, pprof.Labels("side", "ttx"), func(ctx context.Context) { t, err = fanoutTTX(ctx, n, burst) })
		if err != nil {
			return nil, fmt.Errorf("ttx fan-out to %d: %w", n, err)
		}
		ttx.add(t)
		// The baseline's memory figure must not see the ttx run's connections still closing
		// (wstest.Server.Close dropped its API connections).
		settle(goroutines)
		pprof.Do(ctx, pprof.Labels("side", "baseline"), func(ctx context.Context) { b, err = fanoutBaseline(ctx, n, burst, ttx.sample) })
		if err != nil {
			return nil, fmt.Errorf("baseline fan-out to %d: %w", n, err)
		}
		base.add(b)
		settle(goroutines)
	}
	name := fmt.Sprintf("fan-out N=%d", n)
	p99 := ttx.latencies.Quantile(0.99)
	rows := []Row{
		{Bench: name, Figure: "latency p50 (one inject at a time)", Unit: unitDuration, Value: ttx.latencies.Quantile(0.5), Base: base.latencies.Quantile(0.5)},
		{Bench: name, Figure: "latency p99", Unit: unitDuration, Value: p99, Base: base.latencies.Quantile(0.99)},
		{Bench: name, Figure: "latency max", Unit: unitDuration, Value: ttx.latencies.Quantile(1), Base: base.latencies.Quantile(1)},
		{Bench: name, Figure: fmt.Sprintf("messages/s (bursts of %d)", burst), Unit: unitRate, Value: ttx.rate(), Base: base.rate()},
		{Bench: name, Figure: "CPU per message (both ends)", Unit: unitDuration, Value: ttx.cpuPerMessage(), Base: base.cpuPerMessage()},
		{Bench: name, Figure: "heap per client", Unit: unitBytes, Value: ttx.perClient, Base: base.perClient},
	}
	if n >= 5000 {
		rows[1].Target, rows[1].Met = "< 100ms", p99 < float64(100*time.Millisecond) && ttx.missing == 0
		rows[3].Target, rows[3].Met = ">= 0.8x baseline", ttx.rate() >= 0.8*base.rate() && ttx.missing == 0
	}
	if ttx.missing > 0 || base.missing > 0 {
		rows = append(rows, Row{Bench: name, Figure: "messages lost", Unit: "", Value: float64(ttx.missing), Base: float64(base.missing)})
	}
	return rows, nil
}

// fanoutTTX runs the real server: n participants join the exercise with their teams' codes,
// and the facilitator posts ad-hoc injects to every team through the HTTP API (each POST is
// answered after its commit).
func fanoutTTX(ctx context.Context, n, burst int) (fanoutResult, error) {
	srv, err := startTTX(fanoutFS(), "fanout", web.Config{MaxConnsPerTeam: 1 << 20}) // thousands of clients in ten teams
	if err != nil {
		return fanoutResult{}, err
	}
	defer srv.Close()
	var to []string
	for t := 0; t < fanoutTeams; t++ {
		to = append(to, teamName(t))
	}
	before := liveHeapAfterGC()
	conns, err := dialAll(ctx, srv.WebSocketURL(), n, 32, func(i int, c *websocket.Conn) error {
		return helloJoin(srv.exercise.Teams[teamName(i%fanoutTeams)], fmt.Sprintf("p%d", i))(c)
	})
	if err != nil {
		return fanoutResult{}, err
	}
	after := liveHeapAfterGC()
	if path := os.Getenv("TTXBENCH_HEAPPROFILE"); path != "" {
		writeHeapProfile(path)
	}
	return measure(ctx, conns, burst, before, after, func(k int, s string) error {
		return srv.Call(http.MethodPost, "/api/exercises/"+srv.exercise.ID+"/injects", srv.exercise.FacilitatorToken,
			map[string]any{"to": to, "channel": "sitrep", "from": "Bench", "subject": s, "body": injectBody}, nil)
	})
}

// Each fan-out run does fanoutRounds rounds on the same connections. A round sends first
// pacedInjects injects one at a time, each after every client has the one before (their
// latencies, pooled over the rounds, are the latency figures), then a burst of injects all at
// once from concurrent senders (its delivery rate, the median over the rounds, is the
// messages/s figure). Rounds damp the noise of a machine shared with other work.
const (
	pacedInjects = 5
	fanoutRounds = 3
)

var debug = os.Getenv("TTXBENCH_DEBUG") != ""

// writeHeapProfile writes the heap profile to path (TTXBENCH_HEAPPROFILE: where the memory
// of the connected clients goes).
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ttxbench: %v\n", err)
		return
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "ttxbench: %v\n", err)
	}
}

// settle waits (at most ten seconds) until no more than n goroutines are left, so that what
// the last run started has ended before the next one measures memory.
func settle(n int) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if runtime.NumGoroutine() <= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// measure starts a receiver on each connection, runs the rounds with send, waiting (bounded)
// until every client has each message, and closes the connections.
func measure(ctx context.Context, conns []*websocket.Conn, burst int, heapBefore, heapAfter uint64, send func(k int, stamp string) error) (fanoutResult, error) {
	perRound := pacedInjects + burst
	messages := fanoutRounds * perRound
	epoch := time.Now()
	all := newCounter(len(conns))
	each := make([]*counter, messages)
	for k := range each {
		each[k] = newCounter(len(conns))
	}
	sample := &sampleOnce{}
	rs := make([]*receiver, len(conns))
	for i, c := range conns {
		rs[i] = newReceiver(c, epoch, messages, all, sample)
		rs[i].each = each
		go rs[i].read()
	}
	defer func() {
		for _, r := range rs {
			r.close()
		}
	}()
	wctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	burstStart := make([]time.Duration, fanoutRounds)
	burstCPU := make([]time.Duration, fanoutRounds)
	for round := 0; round < fanoutRounds; round++ {
		first := round * perRound
		for k := first; k < first+pacedInjects; k++ {
			if err := send(k, stamp(k, time.Since(epoch))); err != nil {
				return fanoutResult{}, err
			}
			each[k].wait(wctx)
		}
		burstStart[round] = time.Since(epoch)
		cpu0 := cpuTime()
		gc0, cycles0 := gcStats()
		errs := make(chan error, burst)
		for k := first + pacedInjects; k < first+perRound; k++ {
			go func() { errs <- send(k, stamp(k, time.Since(epoch))) }()
		}
		for k := 0; k < burst; k++ {
			if err := <-errs; err != nil {
				return fanoutResult{}, err
			}
		}
		sentAll := time.Since(epoch)
		for k := first + pacedInjects; k < first+perRound; k++ {
			each[k].wait(wctx)
		}
		burstCPU[round] = cpuTime() - cpu0
		if debug {
			gc1, cycles1 := gcStats()
			fmt.Fprintf(os.Stderr, "debug: round %d: burst of %d sent in %s, delivered in %s, CPU %s, GC %.0fms in %d cycles\n",
				round, burst, sentAll-burstStart[round], time.Since(epoch)-burstStart[round], burstCPU[round],
				(gc1-gc0)*1000, cycles1-cycles0)
		}
	}
	all.wait(wctx)
	for _, r := range rs {
		r.close()
	}
	res := fanoutResult{sample: sample.msg}
	received := make([]int, fanoutRounds)
	last := make([]time.Duration, fanoutRounds)
	total := 0
	for _, r := range rs {
		for k, l := range r.lat {
			if l == 0 {
				continue
			}
			total++
			round := k / perRound
			if k%perRound < pacedInjects {
				res.latencies = append(res.latencies, l)
			} else {
				received[round]++
				last[round] = max(last[round], r.at[k])
			}
		}
	}
	res.missing = len(conns)*messages - total
	for round := range received {
		if last[round] > burstStart[round] {
			res.rates = append(res.rates, float64(received[round])/(last[round]-burstStart[round]).Seconds())
			res.cpu = append(res.cpu, float64(burstCPU[round])/float64(received[round]))
		}
	}
	if heapAfter > heapBefore {
		res.perClient = float64(heapAfter-heapBefore) / float64(len(conns))
	}
	return res, nil
}

// fanoutBaseline runs the minimal broadcast server on the same clients and sends messages of
// the size of ttx's (sample, with a new stamp each).
func fanoutBaseline(ctx context.Context, n, burst int, sample []byte) (fanoutResult, error) {
	if len(sample) == 0 {
		return fanoutResult{}, fmt.Errorf("the ttx run left no message to copy the size of")
	}
	at := strings.Index(string(sample), stampPrefix)
	h := newChatHub()
	go h.run()
	defer h.stop()
	url, stop, err := serveLoopback(h)
	if err != nil {
		return fanoutResult{}, err
	}
	defer stop()
	before := liveHeapAfterGC()
	conns, err := dialAll(ctx, wstest.WebSocketURL(url), n, 32, func(_ int, c *websocket.Conn) error {
		_, _, err := c.ReadMessage() // the welcome: the hub has the client
		return err
	})
	if err != nil {
		return fanoutResult{}, err
	}
	after := liveHeapAfterGC()
	return measure(ctx, conns, burst, before, after, func(_ int, s string) error {
		msg := make([]byte, len(sample))
		copy(msg, sample)
		copy(msg[at:], s)
		h.broadcast <- msg
		return nil
	})
}
