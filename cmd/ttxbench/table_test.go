package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTables: both tables print the same cells of a row, with the target's verdict worded for
// each, a missing baseline as "-", and a "|" escaped only in Markdown.
func TestTables(t *testing.T) {
	rows := []Row{
		{Bench: "fan-out N=5000", Figure: "p99 latency", Unit: unitDuration, Value: float64(42 * time.Millisecond),
			Base: float64(21 * time.Millisecond), Target: "< 100ms", Met: true},
		{Bench: "a|b", Figure: "heap", Unit: unitBytes, Value: 3 << 20, Target: "< 1 MiB"},
	}
	var plain strings.Builder
	require.NoError(t, printTable(&plain, rows))
	lines := strings.Split(strings.TrimSpace(plain.String()), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, []string{"fan-out", "N=5000", "p99", "latency", "42.0ms", "21.0ms", "2.00", "<", "100ms", "met"}, strings.Fields(lines[1]))
	assert.Equal(t, []string{"a|b", "heap", "3.0", "MiB", "-", "-", "<", "1", "MiB", "MISSED"}, strings.Fields(lines[2]))

	var md strings.Builder
	printMarkdown(&md, rows)
	assert.Equal(t, "| benchmark | figure | ttx | baseline | ratio | target |\n"+
		"| --- | --- | ---: | ---: | ---: | --- |\n"+
		"| fan-out N=5000 | p99 latency | 42.0ms | 21.0ms | 2.00 | < 100ms (met) |\n"+
		`| a\|b | heap | 3.0 MiB | - | - | < 1 MiB (missed) |`+"\n", md.String())
}
