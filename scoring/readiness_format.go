package scoring

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/ttx-dev/ttx/engine"
)

// ReadinessFormats are the forms WriteReadiness writes, with their media types.
var ReadinessFormats = map[string]string{
	"json": "application/json; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
	"svg":  "image/svg+xml",
}

// WriteReadiness writes a trend as "json" (the API's form), "md" (a table per exercise and
// the gaps that recurred or closed) or "svg" (ReadinessChart). An unknown format is an
// engine.EInvalid error that names the known ones.
func WriteReadiness(w io.Writer, t Trend, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(t)
	case "md", "markdown":
		return formatReadinessMarkdown(w, t)
	case "svg":
		_, err := io.WriteString(w, ReadinessChart(t)+"\n")
		return err
	}
	return engine.Errorf(engine.EInvalid, "format: unknown readiness format %q; choose json, md or svg", format)
}

func formatReadinessMarkdown(w io.Writer, t Trend) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# Readiness of %s\n\n%s\n\n", mdCode(t.Plan), mdText(leftOutSentence(t)))
	if len(t.Exercises) == 0 {
		p("No finished exercise is counted.\n")
		return bw.Flush()
	}
	header := "| # | Started | Scenario | Plan version | Overall | Rating |"
	rule := "| --- | --- | --- | --- | --- | --- |"
	for _, c := range t.Capabilities {
		header += " " + mdText(CapabilityTitle(c)) + " |"
		rule += " --- |"
	}
	p("%s Gaps |\n%s --- |\n", header, rule)
	for i, e := range t.Exercises {
		overall := "—"
		if e.Overall != nil {
			overall = formatScore(*e.Overall)
		}
		p("| %d | %s | %s | %s | %s | %s |", i+1, dateOf(e), mdText(pointName(e)), mdText(orDash(e.PlanVersion)), overall, orDash(e.Rating))
		for _, c := range t.Capabilities {
			if v, ok := e.ByCapability[c]; ok {
				p(" %s |", formatScore(v))
			} else {
				p(" — |")
			}
		}
		p(" %s |\n", strconv.Itoa(e.Gaps))
	}
	p("\n")
	for i, e := range t.Exercises {
		if i == 0 || len(e.PreviousGaps) == 0 {
			continue
		}
		p("## Gaps of exercise %d in exercise %d\n\n| Item | Team | Gap | Now |\n| --- | --- | --- | --- |\n", i, i+1)
		for _, g := range e.PreviousGaps {
			p("| %s | %s | %s | %s |\n", mdCode(g.Item), mdCode(g.Team), gapName(g.Kind), g.Status)
		}
		p("\n")
	}
	return bw.Flush()
}
