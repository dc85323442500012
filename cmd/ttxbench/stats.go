package main

import (
	"context"
	"math"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Latencies is a sample of durations.
type Latencies []time.Duration

// Quantile returns the q-quantile (0..1) by the nearest-rank method, or NaN when empty.
func (l Latencies) Quantile(q float64) float64 {
	if len(l) == 0 {
		return math.NaN()
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	i = min(max(i, 0), len(s)-1)
	return float64(s[i])
}

// liveHeapAfterGC collects garbage twice (finalizers may free more) and returns HeapAlloc,
// which right after a collection is the live heap. (HeapInuse, which counts whole spans,
// hides new objects placed in the gaps a previous run left, so a run after another looks
// cheaper than it is.)
func liveHeapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// peakHeap samples the bytes in heap objects (live and not yet collected) every millisecond
// until stopped, and reports the highest sample: the peak memory of what runs meanwhile,
// above what was there before it started.
type peakHeap struct {
	start  uint64
	peak   uint64
	cancel context.CancelFunc
	done   chan struct{}
}

// median returns the median of xs, or NaN when empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// cpuTime returns the CPU time this process has used, user and system: unlike the time
// on the clock it does not grow while other processes have the CPUs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// gcStats returns the runtime's estimate of the CPU seconds spent collecting garbage, and
// the number of completed collections, for TTXBENCH_DEBUG.
func gcStats() (float64, uint64) {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	var cpu float64
	var cycles uint64
	if s[0].Value.Kind() == metrics.KindFloat64 {
		cpu = s[0].Value.Float64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		cycles = s[1].Value.Uint64()
	}
	return cpu, cycles
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func readHeapObjects() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// startPeakHeap collects garbage, then samples until Stop.
func startPeakHeap() *peakHeap {
	runtime.GC()
	p := &peakHeap{start: readHeapObjects(), done: make(chan struct{})}
	p.peak = p.start
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() {
		defer close(p.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := readHeapObjects(); v > p.peak {
				p.peak = v
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// Stop ends the sampling and returns the peak above the start. The sampler owns peak until
// it has returned.
func (p *peakHeap) Stop() uint64 {
	last := readHeapObjects()
	p.cancel()
	<-p.done
	return max(p.peak, last) - p.start
}

// counter waits for a number of things to happen, with a deadline.
type counter struct {
	mu   sync.Mutex
	left int
	done chan struct{}
}

func newCounter(n int) *counter {
	c := &counter{left: n, done: make(chan struct{})}
	if n <= 0 {
		close(c.done)
	}
	return c
}

func (c *counter) dec() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left > 0 {
		c.left--
		if c.left == 0 {
			close(c.done)
		}
	}
}

// wait returns true once the count reached zero, false when ctx ended first.
func (c *counter) wait(ctx context.Context) bool {
	select {
	case <-c.done:
		return true
	case <-ctx.Done():
		return false
	}
}
