package scoring_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scoring"
)

// readDOCX is python-docx's reading of a document (Debian's python3-docx, for /usr/bin/python3):
// its paragraphs with their styles, its tables' cells, and how many pictures it holds.
const readDOCX = `
import json, sys, docx
d = docx.Document(sys.argv[1])
print(json.dumps({
  "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
  "tables": [[[c.text for c in row.cells] for row in t.rows] for t in d.tables],
  "pictures": len(d.inline_shapes),
  "title": d.core_properties.title,
}))
`

type docxContent struct {
	Paragraphs [][2]string  `json:"paragraphs"`
	Tables     [][][]string `json:"tables"`
	Pictures   int          `json:"pictures"`
	Title      string       `json:"title"`
}

// mustReadDOCX writes r as DOCX and reads it back with python-docx.
func mustReadDOCX(t *testing.T, r scoring.Report) docxContent {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, scoring.Write(&buf, r, "docx"))
	path := filepath.Join(t.TempDir(), "aar.docx")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "/usr/bin/python3", "-c", readDOCX, path).CombinedOutput()
	require.NoError(t, err, "python-docx (apt-get install python3-docx): %s", out)
	var c docxContent
	require.NoError(t, json.Unmarshal(out, &c), "%s", out)
	return c
}

func (c docxContent) headings(style string) []string {
	var out []string
	for _, p := range c.Paragraphs {
		if p[0] == style {
			out = append(out, p[1])
		}
	}
	return out
}

func (c docxContent) text() string {
	var b strings.Builder
	for _, p := range c.Paragraphs {
		b.WriteString(p[1] + "\n")
	}
	return b.String()
}

// table is the document's table whose header row starts with first.
func (c docxContent) table(t *testing.T, first string) [][]string {
	t.Helper()
	for _, tb := range c.Tables {
		if len(tb) > 0 && len(tb[0]) > 0 && tb[0][0] == first {
			return tb
		}
	}
	t.Fatalf("no table headed %q", first)
	return nil
}

// TestDOCXReport reads the Word AAR/IP of every bundled rehearsal with an independent reader
// and finds every section in HSEEP's order, the overall score and rating, each capability's
// score and rating, one improvement-plan row per corrective action with its priority, and a
// chart picture per group of scores.
func TestDOCXReport(t *testing.T) {
	set := mustLibrary(t)
	for name := range set.Rehearsals {
		t.Run(name, func(t *testing.T) {
			r, _ := mustRehearse(t, set, name)
			c := mustReadDOCX(t, r)
			assert.Equal(t, []string{"Exercise Overview", "Analysis of Capabilities", "Appendix A: Improvement Plan", "Feedback and Observations"}, c.headings("Heading 1"))
			assert.Equal(t, []string{r.Exercise.ScenarioTitle}, c.headings("Title"))
			assert.Contains(t, c.Title, r.Exercise.ScenarioTitle)
			text := c.text()
			assert.Contains(t, text, "Plan: "+r.Exercise.PlanTitle+" ("+r.Exercise.Plan+"), version "+r.Exercise.PlanVersion)
			require.NotNil(t, r.Score.Overall)
			assert.Contains(t, text, "Overall score: "+formatScore(*r.Score.Overall)+" ("+*r.Ratings.Overall+": ")

			caps := c.table(t, "Capability")
			require.Len(t, caps, len(r.Score.ByCapability)+1, "a row per capability")
			for _, row := range caps[1:] {
				found := false
				for k, v := range r.Score.ByCapability {
					if strings.EqualFold(strings.ReplaceAll(k, "_", " "), row[0]) {
						found = true
						assert.Equal(t, formatScore(v), row[1], k)
						assert.Equal(t, r.Ratings.ByCapability[k], row[2], k)
					}
				}
				assert.True(t, found, "capability %q", row[0])
			}
			charts := map[string]map[string]float64{"capability": r.Score.ByCapability, "team": r.Score.ByTeam, "phase": r.Score.ByPhase}
			for group, scores := range charts {
				tb := c.table(t, group)
				require.Len(t, tb, len(scores)+1, "chart by %s: a bar a row", group)
				for i, k := range sortedKeys(scores) {
					assert.Equal(t, formatScore(scores[k])+" "+scoring.Rating(scores[k]), tb[i+1][2], "%s %s", group, k)
				}
			}
			assert.Equal(t, len(r.Score.ByCapability)+len(r.Score.ByTeam)+len(r.Score.ByPhase), c.Pictures, "a bar picture per score")

			if len(r.ImprovementPlan) == 0 {
				assert.Contains(t, text, "No areas for improvement")
				return
			}
			plan := c.table(t, "Capability")
			for _, tb := range c.Tables {
				if len(tb[0]) == 8 {
					plan = tb
				}
			}
			require.Equal(t, []string{"Capability", "Area for improvement", "Corrective action", "Element", "Responsible team", "Priority", "Start date", "Completion date"}, plan[0])
			require.Len(t, plan, len(r.ImprovementPlan)+1)
			priorities := scoring.ImprovementPriorities(r)
			for i, ca := range r.ImprovementPlan {
				row := plan[i+1]
				assert.Equal(t, ca.Area, row[1])
				assert.Equal(t, ca.Action, row[2])
				assert.Equal(t, ca.Responsible, row[4])
				assert.Equal(t, priorities[i], row[5])
				assert.Empty(t, row[6]+row[7], "the dates are left for the manager")
			}
		})
	}
}

// TestImprovementPriorities ranks the rows by credit lost, ties in plan order: the first third
// High, the second Medium, the rest Low.
func TestImprovementPriorities(t *testing.T) {
	r := scoring.Report{ImprovementPlan: []scoring.CorrectiveAction{
		{Item: "b", CreditLost: 2}, {Item: "d", CreditLost: 1.5}, {Item: "a", CreditLost: 0.5},
		{Item: "e", CreditLost: 0.25}, {Item: "c", CreditLost: 0.1}, {Item: "f"},
	}}
	assert.Equal(t, []string{"High", "High", "Medium", "Medium", "Low", "Low"}, scoring.ImprovementPriorities(r))
	r.ImprovementPlan = r.ImprovementPlan[:4]
	assert.Equal(t, []string{"High", "High", "Medium", "Low"}, scoring.ImprovementPriorities(r), "thirds of four rows")
}

// TestDOCXSameBytes: one report gives the same document every time.
func TestDOCXSameBytes(t *testing.T) {
	set := mustLibrary(t)
	r, _ := mustRehearse(t, set, "hospital-struggling")
	var a, b bytes.Buffer
	require.NoError(t, scoring.FormatDOCX(&a, r))
	require.NoError(t, scoring.FormatDOCX(&b, r))
	assert.Equal(t, a.Bytes(), b.Bytes())
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func formatScore(v float64) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
