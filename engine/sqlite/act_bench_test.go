package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/scenarios"
)

// BenchmarkActGroupCommit records responses to ONE exercise from many goroutines at once, as
// the participants of a large exercise do: each Act returns after its commit, and the
// exercise and the store's writer group them into shared transactions (one fsync each).
func BenchmarkActGroupCommit(b *testing.B) {
	ctx := context.Background()
	set, diags := scenarios.LoadFS(scenarios.Library())
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	sc := set.Scenarios["hospital-ransomware"]
	store, err := sqlite.Open(filepath.Join(b.TempDir(), "ttx.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	rec := engine.ExerciseRecord{ID: "bench", Scenario: sc.Name, Plan: sc.PlanName, Speed: 1}
	if err := store.CreateExercise(ctx, rec); err != nil {
		b.Fatal(err)
	}
	x := engine.New(rec, sc, clockwork.NewFakeClock(), store)
	if err := x.Start(ctx); err != nil {
		b.Fatal(err)
	}
	var client atomic.Int64
	b.SetParallelism(50) // 100 participants on 2 CPUs
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		name := fmt.Sprint("p", client.Add(1))
		for i := 0; pb.Next(); i++ {
			r := engine.Response{Team: "cyber_irt", Name: name, Ref: fmt.Sprint("r", i)}
			if _, err := x.Act(ctx, r, "verify_offline_backups"); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}
