package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

// rehearsalTeams is how many teams the generated rehearsal scenarios have.
const rehearsalTeams = 10

// rehearsalRun is one load, play and score of a generated scenario.
type rehearsalRun struct {
	load, play, score time.Duration
	cpu               time.Duration // CPU time of the three, all goroutines (the collector's too)
	peakLoad          uint64        // heap bytes above the start, at the highest, while loading
	peakPlay          uint64        // the same while playing and scoring, above the loaded set
	events            []engine.Event
	errors            int // scripted inputs that did not fit
}

func (r rehearsalRun) total() time.Duration { return r.load + r.play + r.score }

// playGenerated loads fsys (plan, scenario and rehearsal "gen"), plays the rehearsal with
// engine.Rehearse on a memory store and scores the log with scoring.Score.
func playGenerated(ctx context.Context, fsys fstest.MapFS) (rehearsalRun, error) {
	var r rehearsalRun
	cpu0 := cpuTime()
	peak := startPeakHeap()
	t0 := time.Now()
	set, diags := scenarios.LoadFS(fsys)
	r.load = time.Since(t0)
	r.peakLoad = peak.Stop()
	if diags.HasErrors() {
		return r, fmt.Errorf("load: %s", diags.Error())
	}
	cpuLoad := cpuTime() - cpu0
	peak = startPeakHeap()
	cpu1 := cpuTime()
	sc, rh := set.Scenarios["gen"], set.Rehearsals["gen"]
	t1 := time.Now()
	res, err := engine.Rehearse(ctx, sc, rh, nil)
	r.play = time.Since(t1)
	if err != nil {
		peak.Stop()
		return r, err
	}
	t2 := time.Now()
	report := scoring.Score(scoring.Input{ID: res.Exercise.ID, Scenario: sc, Events: res.Events})
	r.score = time.Since(t2)
	r.cpu = cpuLoad + cpuTime() - cpu1
	r.peakPlay = peak.Stop()
	if len(report.Items) == 0 {
		return r, fmt.Errorf("the report scored nothing")
	}
	r.events, r.errors = res.Events, len(res.Errors)
	return r, nil
}

// sortBaseline is the lower bound of playing a log: shuffle copies of its events, sort them by
// time and seq and walk them once. It returns the time of the sort and the walk.
func sortBaseline(events []engine.Event) time.Duration {
	evs := slices.Clone(events)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
	t0 := time.Now()
	sort.Slice(evs, func(i, j int) bool {
		if evs[i].T != evs[j].T {
			return evs[i].T < evs[j].T
		}
		return evs[i].Seq < evs[j].Seq
	})
	var sum int64
	for _, e := range evs {
		sum += e.Seq + int64(len(e.Kind))
	}
	d := time.Since(t0)
	if sum == 0 {
		return d + 1 // keeps the walk from being optimised away
	}
	return d
}

// benchRehearsal plays each size (injects over 72 h, ten scripted responses per inject) and
// reports time and peak memory per size and how both grow against n log n.
func benchRehearsal(ctx context.Context, sizes []int) ([]Row, error) {
	var rows []Row
	type point struct {
		n     int
		total time.Duration
		peak  uint64
	}
	var points []point
	for _, n := range sizes {
		fsys := exerciseFS("gen", n, rehearsalTeams, 10*n, "")
		// Small sizes are quick and noisy: take the median of three runs.
		reps := 1
		if n <= 2000 {
			reps = 3
		}
		var runs []rehearsalRun
		for i := 0; i < reps; i++ {
			if err := ctx.Err(); err != nil {
				return rows, err
			}
			r, err := playGenerated(ctx, fsys)
			if err != nil {
				return rows, fmt.Errorf("%d injects: %w", n, err)
			}
			runs = append(runs, r)
		}
		slices.SortFunc(runs, func(a, b rehearsalRun) int { return int(a.total() - b.total()) })
		r := runs[len(runs)/2]
		var base []time.Duration
		for i := 0; i < 3; i++ {
			base = append(base, sortBaseline(r.events))
		}
		slices.Sort(base)
		name := fmt.Sprintf("rehearsal %d injects, %d responses", n, 10*n)
		total := Row{Bench: name, Figure: "load+play+score (baseline: sort+walk)", Unit: unitDuration, Value: float64(r.total()), Base: float64(base[1])}
		if n == 1000 {
			total.Target, total.Met = "< 1s", r.total() < time.Second
		}
		rows = append(rows, total,
			Row{Bench: name, Figure: "  load", Unit: unitDuration, Value: float64(r.load)},
			Row{Bench: name, Figure: "  play (engine.Rehearse)", Unit: unitDuration, Value: float64(r.play)},
			Row{Bench: name, Figure: "  score (scoring.Score)", Unit: unitDuration, Value: float64(r.score)},
			Row{Bench: name, Figure: "  CPU time of the three", Unit: unitDuration, Value: float64(r.cpu)},
			Row{Bench: name, Figure: "peak heap: load", Unit: unitBytes, Value: float64(r.peakLoad)},
			Row{Bench: name, Figure: "peak heap: play+score", Unit: unitBytes, Value: float64(r.peakPlay)},
		)
		if r.errors > 0 {
			rows = append(rows, Row{Bench: name, Figure: "inputs that did not fit", Value: float64(r.errors)})
		}
		points = append(points, point{n, r.total(), r.peakLoad + r.peakPlay})
	}
	// Growth between consecutive sizes, against n log n (the baseline column): a ratio at or
	// under 1 grows no faster than n log n.
	for i := 1; i < len(points); i++ {
		a, b := points[i-1], points[i]
		nlogn := float64(b.n) * math.Log(float64(b.n)) / (float64(a.n) * math.Log(float64(a.n)))
		name := fmt.Sprintf("growth %d to %d injects", a.n, b.n)
		tg := float64(b.total) / float64(a.total)
		mg := float64(b.peak) / float64(max(a.peak, 1))
		rows = append(rows,
			Row{Bench: name, Figure: "time (baseline: n log n)", Unit: unitRatio, Value: tg, Base: nlogn,
				Target: "<= n log n", Met: tg <= nlogn},
			Row{Bench: name, Figure: "peak heaps (baseline: n log n)", Unit: unitRatio, Value: mg, Base: nlogn})
	}
	return rows, nil
}

// benchLoading validates a scenario of n injects (and its plan) with scenarios.LoadFS, and
// parses the same bytes with hclparse alone: the cost of the checks over the parse.
func benchLoading(ctx context.Context, n int) ([]Row, error) {
	fsys := exerciseFS("gen", n, rehearsalTeams, 0, injectBody)
	var load, parse []time.Duration
	for i := 0; i < 3; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		set, diags := scenarios.LoadFS(fsys)
		load = append(load, time.Since(t0))
		if diags.HasErrors() {
			return nil, fmt.Errorf("load: %s", diags.Error())
		}
		if got := len(set.Scenarios["gen"].Injects); got != n {
			return nil, fmt.Errorf("loaded %d injects, not %d", got, n)
		}
		p := hclparse.NewParser()
		t1 := time.Now()
		for _, name := range []string{"plan.hcl", "scenario.hcl"} {
			if _, diags := p.ParseHCL(fsys[name].Data, name); diags.HasErrors() {
				return nil, fmt.Errorf("parse: %s", diags.Error())
			}
		}
		parse = append(parse, time.Since(t1))
	}
	slices.Sort(load)
	slices.Sort(parse)
	name := fmt.Sprintf("loading %d injects", n)
	return []Row{
		{Bench: name, Figure: "LoadFS (baseline: hclparse only)", Unit: unitDuration, Value: float64(load[1]), Base: float64(parse[1])},
		{Bench: name, Figure: "per inject", Unit: unitDuration, Value: float64(load[1]) / float64(n), Base: float64(parse[1]) / float64(n)},
	}, nil
}
