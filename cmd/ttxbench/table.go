package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// Units of a figure, which say how it prints.
const (
	unitDuration = "duration" // a time.Duration in float64 nanoseconds
	unitRate     = "/s"
	unitBytes    = "bytes"
	unitRatio    = "x"
)

// Row is one line of the results table: a figure of ttx, the same figure for the baseline
// measured in the same run, and their ratio. A figure without a baseline has Base 0.
type Row struct {
	Bench  string  // what was measured: "fan-out N=5000"
	Figure string  // which figure: "p99 latency"
	Unit   string  // unitDuration, unitRate, unitBytes or unitRatio
	Value  float64 // ttx
	Base   float64 // the baseline; 0 when there is none
	// Target says what issue 7 asks of the figure ("< 100ms"); Met whether it holds.
	Target string
	Met    bool
}

// Ratio is Value over Base, or NaN without a baseline.
func (r Row) Ratio() float64 {
	if r.Base == 0 {
		return math.NaN()
	}
	return r.Value / r.Base
}

// formatValue prints v in unit.
func formatValue(v float64, unit string) string {
	if math.IsNaN(v) {
		return "-"
	}
	switch unit {
	case unitDuration:
		d := time.Duration(v)
		switch {
		case d >= 10*time.Second:
			return fmt.Sprintf("%.1fs", d.Seconds())
		case d >= time.Second:
			return fmt.Sprintf("%.2fs", d.Seconds())
		case d >= time.Millisecond:
			return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
		default:
			return fmt.Sprintf("%.1fµs", float64(d)/float64(time.Microsecond))
		}
	case unitRate:
		return fmt.Sprintf("%s/s", humanCount(v))
	case unitBytes:
		switch {
		case v >= 1<<30:
			return fmt.Sprintf("%.2f GiB", v/(1<<30))
		case v >= 1<<20:
			return fmt.Sprintf("%.1f MiB", v/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%.1f KiB", v/(1<<10))
		default:
			return fmt.Sprintf("%.0f B", v)
		}
	case unitRatio:
		return fmt.Sprintf("%.2fx", v)
	}
	return fmt.Sprintf("%g", v)
}

// formatRatio prints a ratio with three significant digits, without exponents.
func formatRatio(q float64) string {
	switch {
	case math.IsNaN(q):
		return "-"
	case q >= 100:
		return fmt.Sprintf("%.0f", q)
	case q >= 10:
		return fmt.Sprintf("%.1f", q)
	case q >= 1:
		return fmt.Sprintf("%.2f", q)
	default:
		return fmt.Sprintf("%.3f", q)
	}
}

func humanCount(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.1fk", v/1e3)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// cells are r's columns as both tables print them; met and missed word the target's verdict.
func (r Row) cells(met, missed string) []string {
	base := "-"
	if r.Base != 0 {
		base = formatValue(r.Base, r.Unit)
	}
	target := ""
	if r.Target != "" {
		target = r.Target + " " + missed
		if r.Met {
			target = r.Target + " " + met
		}
	}
	return []string{r.Bench, r.Figure, formatValue(r.Value, r.Unit), base, formatRatio(r.Ratio()), target}
}

// printTable writes rows as one aligned table, with a target column saying which of issue 7's
// targets hold.
func printTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BENCHMARK\tFIGURE\tTTX\tBASELINE\tRATIO\tTARGET")
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.cells("met", "MISSED"), "\t"))
	}
	return tw.Flush()
}

// printMarkdown writes rows as a Markdown table, for docs/performance.md.
func printMarkdown(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| benchmark | figure | ttx | baseline | ratio | target |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | --- |")
	for _, r := range rows {
		cells := r.cells("(met)", "(missed)")
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
}
