package main

import (
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/ttx-dev/ttx/engine"
)

// table prints the soak's progress, one row per sample, as it goes.
type table struct {
	w io.Writer
}

const rowFormat = "%8s %10s %8s %9s %8s %8s %10s %10s %8s %14s %10s\n"

func newTable(w io.Writer) *table {
	fmt.Fprintf(w, rowFormat, "elapsed", "sim time", "status", "connected", "sent", "acked", "reconnects",
		"slow downs", "events", "heap in use MiB", "goroutines")
	return &table{w: w}
}

// row prints one sample.
func (t *table) row(elapsed time.Duration, snap engine.Snapshot, n *counters) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(t.w, rowFormat, elapsed.Round(time.Second), snap.SimTime.Round(time.Second), snap.Status,
		fmt.Sprint(n.connected.Load()), fmt.Sprint(n.sent.Load()), fmt.Sprint(n.acks.Load()),
		fmt.Sprint(n.reconnects.Load()), fmt.Sprint(n.slowDowns.Load()), fmt.Sprint(snap.Seq),
		fmt.Sprintf("%.1f", float64(ms.HeapInuse)/(1<<20)), fmt.Sprint(runtime.NumGoroutine()))
}
