package scoring_test

import (
	"io"
	"testing"

	"github.com/ttx-dev/ttx/scoring"
)

// BenchmarkScore scores the longest bundled rehearsal's log.
func BenchmarkScore(b *testing.B) {
	set := mustLibrary(b)
	_, res := mustRehearse(b, set, "hospital-struggling")
	sc := set.Scenarios[set.Rehearsals["hospital-struggling"].ScenarioName]
	b.ReportAllocs()
	for b.Loop() {
		scoring.Score(scoring.Input{ID: "bench", Scenario: sc, Events: res.Events})
	}
}

// BenchmarkFormatHTML renders that report as the printable page.
func BenchmarkFormatHTML(b *testing.B) {
	r, _ := mustRehearse(b, mustLibrary(b), "hospital-struggling")
	b.ReportAllocs()
	for b.Loop() {
		if err := scoring.FormatHTML(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
