package engine_test

import (
	"testing"

	"github.com/ttx-dev/ttx/scenarios"
)

// TestBoundaries: the edges that mutations of the scheduler found untested — on_time
// exactly at the deadline, skips cascading down a branching chain, and an inject exactly at
// `duration` (it fires, before the end; one after it never does).
func TestBoundaries(t *testing.T) {
	tests := []timelineCase{
		{
			name: "the owner recording exactly at the deadline is on time",
			injects: []*scenarios.Inject{
				inj("call", at(0), triggers("log_report")),
				inj("check", at(30*m), when("action.log_report.on_time")),
			},
			steps: []scenarios.Step{respond("service_desk", "log_report", 15*m)},
			want: []string{
				"0s inject_delivered call",
				"0s action_triggered log_report service_desk due 15m0s",
				"15m0s action_recorded log_report service_desk",
				"30m0s inject_delivered check",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "a skip cascades down every branch of the chain, in file order",
			injects: []*scenarios.Inject{
				inj("root", at(10*m), when("false")),
				inj("left", after("root", 5*m)),
				inj("right", after("root", 10*m)),
				inj("left-leaf", after("left", 0)),
				inj("right-leaf", after("right", 0)),
				inj("right-leaf-2", after("right", m)),
				inj("other", at(20*m)),
			},
			want: []string{
				"10m0s inject_skipped root",
				"10m0s inject_skipped left",
				"10m0s inject_skipped right",
				"10m0s inject_skipped left-leaf",
				"10m0s inject_skipped right-leaf",
				"10m0s inject_skipped right-leaf-2",
				"20m0s inject_delivered other",
				"1h0m0s exercise_ended",
			},
		},
		{
			name: "an inject exactly at duration fires before the end, one after it never",
			injects: []*scenarios.Inject{
				inj("last", at(h)),
				inj("too-late", after("last", m)),
			},
			want: []string{
				"1h0m0s inject_delivered last",
				"1h0m0s exercise_ended",
			},
		},
	}
	runTimelineCases(t, tests)
}
