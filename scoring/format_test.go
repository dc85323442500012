package scoring_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scoring"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const hostile = `<script>alert("x")</script> | =HYPERLINK("http://evil") *bold* [link](http://evil)`

// richReport is the log of TestWeightsAndGroups with an ad-hoc inject, a skipped inject, an
// escalation, a note and an observation, some carrying hostile text.
func richReport(tb testing.TB) scoring.Report {
	tb.Helper()
	l := newLog().
		deliver(0, "helpdesk-call", "service_desk").
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "escalate_to_irt", "service_desk", 30*m).
		trig(0, "contain_hosts", "irt", h).
		escalate(20*m, "service_desk", "irt", "Ward 3 looks like ransomware").
		add(engine.Event{T: 40 * m, Kind: engine.KindInjectSkipped, Inject: "spreading", Reason: "when was false"}).
		add(engine.Event{T: 45 * m, Kind: engine.KindNote, Team: "irt", Name: "Eve", Text: hostile}).
		rec(h+30*m, "contain_hosts", "irt").
		deliver(2*h, "demand", "cmt").
		answer(2*h+5*m, "ransom", "cmt", "pay").
		add(engine.Event{T: 2*h + 10*m, Kind: engine.KindObservation, Text: "CMT debated payment without legal advice", Capability: "crisis_decisions", Rating: "M"}).
		add(engine.Event{T: 2*h + 20*m, Kind: engine.KindInjectDelivered, To: []string{"irt"}, AdHoc: &engine.AdHocInject{Channel: "chat", Subject: "Are the backups <b>intact</b>?"}}).
		add(engine.Event{T: 3 * h, Kind: engine.KindSeverityChanged, Severity: "continuity"}).
		trig(3*h, "invoke_bcp", "cmt", h).
		trig(3*h, "notify_regulator", "legal", 72*h).
		rec(3*h+30*m, "invoke_bcp", "cmt").
		end(8 * h)
	return mustScore(tb, testScenario(), l)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./scoring -run %s -update to create it", t.Name())
	assert.Equal(t, string(want), string(got), "differs from %s; rerun with -update if the change is intended", path)
}

func TestFormats(t *testing.T) {
	r := richReport(t)
	formats := map[string]func(*bytes.Buffer) error{
		"report.json":  func(b *bytes.Buffer) error { return scoring.FormatJSON(b, r) },
		"report.md":    func(b *bytes.Buffer) error { return scoring.FormatMarkdown(b, r) },
		"report.html":  func(b *bytes.Buffer) error { return scoring.FormatHTML(b, r) },
		"items.csv":    func(b *bytes.Buffer) error { return scoring.FormatCSV(b, r, "items") },
		"timeline.csv": func(b *bytes.Buffer) error { return scoring.FormatCSV(b, r, "timeline") },
	}
	for name, format := range formats {
		t.Run(name, func(t *testing.T) {
			var a, b bytes.Buffer
			require.NoError(t, format(&a))
			require.NoError(t, format(&b))
			assert.Equal(t, a.Bytes(), b.Bytes(), "same report, same bytes")
			golden(t, name, a.Bytes())
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := richReport(t)
	var buf bytes.Buffer
	require.NoError(t, scoring.FormatJSON(&buf, r))
	var back scoring.Report
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, r, back)

	var keys map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(buf.Bytes(), &keys))
	for _, k := range []string{"exercise", "score", "ratings", "items", "not_in_play", "open", "gaps", "timeline"} {
		assert.Contains(t, keys, k)
	}
	var item map[string]any
	require.NoError(t, json.Unmarshal(mustJSON(t, r.Items[2]), &item))
	assert.Equal(t, map[string]any{
		"kind": "action", "id": "contain_hosts", "title": "Isolate the affected hosts from the network",
		"team": "irt", "capability": "containment", "phase": "containment", "status": "scored",
		"triggered_at": "0s", "deadline": "1h0m0s", "due": "1h0m0s", "done_at": "1h30m0s", "by": "irt",
		"credit": 0.5, "weight": 1.0, "gaps": []any{"late"}, "evidence": []any{5.0, 9.0},
	}, item)
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	return b
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, scoring.FormatHTML(&buf, richReport(t)))
	page := buf.String()
	assert.NotContains(t, page, "<script")
	assert.NotContains(t, page, "<b>intact</b>")
	assert.Contains(t, page, "&lt;script&gt;")
	// No external resources: the only URL is the SVG namespace.
	urls := regexp.MustCompile(`(?:src|href)\s*=\s*["']?https?:`).FindAllString(page, -1)
	assert.Empty(t, urls)
	assert.NotContains(t, page, "@import")
	assert.Contains(t, page, "@media print")
	assert.Equal(t, 4, strings.Count(page, "<svg"), "three score charts and the timeline")
	for _, section := range []string{"Summary and scores", "Strengths", "Areas for improvement", "Improvement plan",
		"Observations and notes", "Not in play", "Open items", "Timeline"} {
		assert.Contains(t, page, section)
	}
}

func TestCSVRejectsUnknownTable(t *testing.T) {
	err := scoring.FormatCSV(&bytes.Buffer{}, richReport(t), "scores")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"items"`)
}

// TestCSVNeutralisesFormulas: every cell of either table that a spreadsheet would run as a
// formula (starting with = + - @, a tab or a carriage return) comes out with a quote before
// it, and no cell of the output starts with one of those.
func TestCSVNeutralisesFormulas(t *testing.T) {
	dangerous := []string{`=HYPERLINK("http://evil")`, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"}
	r := richReport(t)
	require.NotEmpty(t, r.Items)
	require.NotEmpty(t, r.Timeline)
	r.Items[0].Title, r.Items[0].By, r.Items[0].Answer = dangerous[0], dangerous[1], dangerous[2]
	r.Items[0].Expected, r.Items[0].Team, r.Items[0].Capability = dangerous[3], dangerous[4], dangerous[5]
	r.Timeline[0].Summary, r.Timeline[0].Name, r.Timeline[0].Team = dangerous[0], dangerous[3], dangerous[1]
	for _, table := range []string{scoring.CSVItems, scoring.CSVTimeline} {
		var buf bytes.Buffer
		require.NoError(t, scoring.FormatCSV(&buf, r, table))
		rows, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err, table)
		var cells []string
		for _, row := range rows {
			cells = append(cells, row...)
		}
		for _, c := range cells {
			if c != "" {
				assert.NotContains(t, "=+-@\t\r", c[:1], "%s: cell %q would run as a formula", table, c)
			}
		}
		for _, d := range dangerous {
			if table == scoring.CSVTimeline && d != dangerous[0] && d != dangerous[3] && d != dangerous[1] {
				continue
			}
			assert.Contains(t, cells, "'"+d, "%s: %q is kept, behind a quote", table, d)
		}
	}
}

func TestWrite(t *testing.T) {
	r := richReport(t)
	for format, prefix := range map[string]string{
		"json": "{", "md": "# After-action report", "html": "<!DOCTYPE html>", "csv": "kind,id", "csv-timeline": "seq,t,wall",
	} {
		var buf bytes.Buffer
		require.NoError(t, scoring.Write(&buf, r, format), format)
		assert.True(t, strings.HasPrefix(buf.String(), prefix), format)
		assert.NotEmpty(t, scoring.ContentTypes[format], format)
	}
	err := scoring.Write(&bytes.Buffer{}, r, "pdf")
	require.Error(t, err)
	assert.Equal(t, engine.EInvalid, engine.ErrorCode(err))
	assert.Contains(t, err.Error(), "csv-timeline")
}

func TestMarkdownEscapesOnlyWhatWouldRender(t *testing.T) {
	r := richReport(t)
	r.Notes[0].Text = "service_desk _emphasis_ *bold* a|b"
	var buf bytes.Buffer
	require.NoError(t, scoring.FormatMarkdown(&buf, r))
	assert.Contains(t, buf.String(), `service_desk \_emphasis\_ \*bold\* a\|b`)
}

func TestMarkdownSaysWhenASectionIsEmpty(t *testing.T) {
	r := richReport(t)
	r.Strengths, r.Gaps, r.ImprovementPlan, r.Observations, r.Notes = nil, nil, nil, nil, nil
	var buf bytes.Buffer
	require.NoError(t, scoring.FormatMarkdown(&buf, r))
	md := buf.String()
	for _, want := range []string{
		"## Strengths\n\nNone: no item was done exactly as the plan expects.\n\n## Areas for improvement",
		"## Areas for improvement\n\nNo gaps.\n\n## Improvement plan",
		"## Improvement plan\n\nNothing to correct.\n\n## Observations",
		"## Observations\n\nNo facilitator observations.\n\n## Notes",
		"## Notes\n\nNo team notes.\n\n## Items",
	} {
		assert.Contains(t, md, want)
	}
	assert.NotContains(t, md, "| Seq | Time | Team |")
}
