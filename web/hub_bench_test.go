package web

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
)

// BenchmarkHubBroadcast fans ad-hoc injects out to the send channels of 1,000 participants,
// each drained by its own goroutine as a write pump would: the hub's share of a delivery
// (encoding once, the visibility check and the hand-off to every client), without sockets.
func BenchmarkHubBroadcast(b *testing.B) {
	const n = 1000
	set, diags := scenarios.LoadFS(scenarios.Library())
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	sc := set.Scenarios["hospital-ransomware"]
	var teams []string
	for _, t := range sc.Plan.Teams {
		teams = append(teams, t.Name)
	}
	h := &hub{
		wire:    newWireScenario(sc, newRenderer()),
		log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		clients: make(map[*client]struct{}),
	}
	var delivered sync.WaitGroup
	var drained sync.WaitGroup
	for i := 0; i < n; i++ {
		c := &client{
			who:  facilitator.Principal{Role: facilitator.RoleParticipant, Team: teams[i%len(teams)]},
			send: make(chan []byte, 256),
		}
		h.clients[c] = struct{}{}
		drained.Add(1)
		go func() {
			defer drained.Done()
			for range c.send {
				delivered.Done()
			}
		}()
	}
	body := "The **duty manager** reports that ward systems are degraded; staff are moving to paper records."
	b.ReportAllocs()
	seq := int64(0)
	for b.Loop() {
		seq++
		delivered.Add(n)
		h.broadcast(engine.Event{Seq: seq, Kind: engine.KindInjectDelivered, To: teams,
			AdHoc: &engine.AdHocInject{Channel: "sitrep", Subject: fmt.Sprint("Update ", seq), Body: body}})
		delivered.Wait()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "messages/s")
	if len(h.clients) != n {
		b.Fatalf("%d of %d clients were dropped as too slow", n-len(h.clients), n)
	}
	for c := range h.clients {
		close(c.send)
	}
	drained.Wait()
}
