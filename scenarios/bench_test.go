package scenarios_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

// largeScenario writes a plan of 200 actions and a scenario of n injects: timed ones, chains
// of after, conditions over actions, injects and decisions, and a decision every tenth inject.
func largeScenario(n int) fstest.MapFS {
	var b strings.Builder
	b.WriteString("plan \"big\" {\n  team \"a\" { tier = 1 }\n  team \"b\" { tier = 2 }\n")
	b.WriteString("  severity \"low\" { level = 1 }\n  severity \"high\" { level = 2 }\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "  action \"act%d\" {\n    owner = team.a\n    phase = \"containment\"\n    due   = \"1h\"\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "    after = [action.act%d]\n", i-1)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n\nscenario \"big\" {\n  plan     = \"big\"\n  duration = \"1000h\"\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  inject \"i%d\" {\n", i)
		if i%2 == 1 {
			fmt.Fprintf(&b, "    after = inject.i%d\n    delay = \"1m\"\n", i-1)
		} else {
			fmt.Fprintf(&b, "    at = \"%dm\"\n", i)
		}
		fmt.Fprintf(&b, "    to       = [team.a, team.b]\n    channel  = \"email\"\n    subject  = \"Inject %d\"\n", i)
		fmt.Fprintf(&b, "    triggers = [action.act%d]\n", i%200)
		if i > 10 {
			fmt.Fprintf(&b, "    when     = !action.act%d.done && inject.i%d.delivered || decision.d%d.choice == \"a\"\n", i%200, i-5, (i/10-1)*10)
		}
		if i%10 == 0 {
			fmt.Fprintf(&b, "    decision \"d%d\" {\n      prompt   = \"?\"\n      options  = { a = \"A\", b = \"B\" }\n      expected = \"a\"\n    }\n", i)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return fstest.MapFS{"big.hcl": {Data: []byte(b.String())}}
}

// TestLargeScenarioLoads loads the benchmark's generated scenario cleanly, so the benchmarks
// measure a valid file.
func TestLargeScenarioLoads(t *testing.T) {
	set, diags := scenarios.LoadFS(largeScenario(2000))
	require.Empty(t, diags, "%s", describe(diags))
	require.NotNil(t, set.Scenarios["big"])
	assert.Len(t, set.Scenarios["big"].Injects, 2000)
}

// BenchmarkLoad10kInjects loads a scenario of 10,000 injects; every check is linear, so this
// stays well under a second.
func BenchmarkLoad10kInjects(b *testing.B) {
	fsys := largeScenario(10000)
	for b.Loop() {
		if _, diags := scenarios.LoadFS(fsys); len(diags) > 0 {
			b.Fatal(diags.Error())
		}
	}
}

// BenchmarkEvalWhen evaluates one condition of a 10,000-inject scenario.
func BenchmarkEvalWhen(b *testing.B) {
	set, diags := scenarios.LoadFS(largeScenario(10000))
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	s := set.Scenarios["big"]
	in := s.Injects[5000]
	facts := scenarios.Facts{Injects: map[string]bool{"i4995": true}}
	for b.Loop() {
		if _, err := s.EvalWhen(in, facts); err != nil {
			b.Fatal(err)
		}
	}
}
