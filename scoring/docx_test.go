package scoring_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
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
	tables := c.tables(first)
	if len(tables) == 0 {
		t.Fatalf("no table headed %q", first)
	}
	return tables[0]
}

// tables are the document's tables whose header row starts with first, in document order.
func (c docxContent) tables(first string) [][][]string {
	var out [][][]string
	for _, tb := range c.Tables {
		if len(tb) > 0 && len(tb[0]) > 0 && tb[0][0] == first {
			out = append(out, tb)
		}
	}
	return out
}

// section is the text of the paragraphs after the first heading of style that reads heading,
// up to the next heading of that style or a higher one.
func (c docxContent) section(style, heading string) string {
	var b strings.Builder
	in := false
	for _, p := range c.Paragraphs {
		isHeading := p[0] == "Heading 1" || (style == "Heading 2" && p[0] == "Heading 2")
		switch {
		case !in && p[0] == style && p[1] == heading:
			in = true
		case in && isHeading:
			return b.String()
		case in:
			b.WriteString(p[1] + "\n")
		}
	}
	return b.String()
}

// withHotWash adds to a rehearsal's log what a rehearsal cannot script: after the end, two
// evaluators' observations that rate the best scored capability U (a disagreement unless its
// automatic rating is M or U) and feedback forms from two participants of the first team that
// played and one of the second.
func withHotWash(t *testing.T, res engine.RehearsalResult, r scoring.Report) []engine.Event {
	t.Helper()
	events := slices.Clone(res.Events)
	last := events[len(events)-1]
	require.Equal(t, engine.KindExerciseEnded, last.Kind)
	add := func(e engine.Event) {
		e.Seq, e.T, e.Wall = int64(len(events)+1), last.T, last.Wall
		events = append(events, e)
	}
	best := ""
	for _, c := range sortedKeys(r.Score.ByCapability) {
		if best == "" || r.Score.ByCapability[c] > r.Score.ByCapability[best] {
			best = c
		}
	}
	require.NotEmpty(t, best)
	require.GreaterOrEqual(t, len(r.Exercise.TeamsPlayed), 2)
	first, second := r.Exercise.TeamsPlayed[0], r.Exercise.TeamsPlayed[1]
	add(engine.Event{Kind: engine.KindObservation, By: "evaluator", Team: first, Capability: best, Rating: "U", Text: "Nobody could say who owned this step."})
	add(engine.Event{Kind: engine.KindObservation, By: "facilitator", Capability: best, Rating: "U", Text: "Done from memory, not from the plan."})
	add(engine.Event{Kind: engine.KindFeedbackRecorded, Team: first, Name: "Priya", Feedback: &engine.Feedback{
		Ratings: map[string]int{"structured": 4, "realistic": 5, "decisions": 2}, Strengths: "The injects felt real.", Improvements: "More time for module 2."}})
	add(engine.Event{Kind: engine.KindFeedbackRecorded, Team: first, Name: "Sam", Feedback: &engine.Feedback{
		Ratings: map[string]int{"structured": 3, "realistic": 4}}})
	add(engine.Event{Kind: engine.KindFeedbackRecorded, Team: second, Name: "Jo", Feedback: &engine.Feedback{
		Ratings: map[string]int{"structured": 5, "right_people": 1}, Comment: "Legal was missing."}})
	return events
}

// v2Sections are the v2 parts of the Word AAR/IP that TestDOCXReport must find in at least one
// bundled rehearsal.
var v2Sections = []string{"objectives", "modules", "inject answers", "discussions", "not played", "not reached", "disagreement", "feedback"}

// TestDOCXReport reads the Word AAR/IP of every bundled rehearsal, with a hot wash of
// observations and feedback added to its log, with an independent reader and finds every
// section in HSEEP's order and every figure of the report: the overall score and rating, the
// mode and the teams in play and played, each objective's and capability's score and rating
// with the evaluators' ratings beside them and the disagreement flagged, the observations
// under their capabilities, the modules with every answer, the discussions, what was not
// played or reached, one improvement-plan row per corrective action in the plan's order with
// its priority, the feedback averaged per statement and its texts by team, and a chart picture
// per score.
func TestDOCXReport(t *testing.T) {
	set := mustLibrary(t)
	rehearsals := maps.Clone(set.Rehearsals)
	// A rehearsal played without one team (as a rehearsal's teams choose): its items are not
	// played, and the injects that wait for its actions are not reached.
	absent := *set.Rehearsals["water-strong"]
	absent.Name, absent.Steps, absent.Teams = "water-strong-without-ot-security", nil, nil
	for _, st := range set.Rehearsals["water-strong"].Steps {
		if st.Team != "ot_security" {
			absent.Steps = append(absent.Steps, st)
		}
	}
	for _, tm := range set.Scenarios[absent.ScenarioName].Plan.Teams {
		if !tm.External && tm.Name != "ot_security" {
			absent.Teams = append(absent.Teams, tm.Name)
		}
	}
	rehearsals[absent.Name] = &absent
	seen := map[string]bool{}
	for name, rh := range rehearsals {
		t.Run(name, func(t *testing.T) {
			sc := set.Scenarios[rh.ScenarioName]
			res, err := engine.Rehearse(context.Background(), sc, rh, nil)
			require.NoError(t, err)
			plain := scoring.Score(scoring.Input{ID: res.Exercise.ID, Scenario: sc, Events: res.Events})
			r := scoring.Score(scoring.Input{ID: res.Exercise.ID, Scenario: sc, Events: withHotWash(t, res, plain)})
			c := mustReadDOCX(t, r)
			headings := []string{"Exercise Overview", "Analysis of Capabilities", "Appendix A: Improvement Plan", "Feedback and Observations"}
			if len(r.Modules)+len(r.Answers)+len(r.Discussions) > 0 {
				headings = slices.Insert(headings, 2, "Modules and Discussions")
			}
			assert.Equal(t, headings, c.headings("Heading 1"))
			assert.Equal(t, []string{r.Exercise.ScenarioTitle}, c.headings("Title"))
			assert.Contains(t, c.Title, r.Exercise.ScenarioTitle)
			text := c.text()
			assert.Contains(t, text, "Plan: "+r.Exercise.PlanTitle+" ("+r.Exercise.Plan+"), version "+r.Exercise.PlanVersion)
			require.NotNil(t, r.Score.Overall)
			assert.Contains(t, text, "Overall score: "+formatScore(*r.Score.Overall)+" ("+*r.Ratings.Overall+": ")

			checkDOCXOverview(t, c, r)
			seen["objectives"] = checkDOCXObjectives(t, c, r) || seen["objectives"]
			seen["disagreement"] = checkDOCXCapabilities(t, c, r) || seen["disagreement"]
			checkDOCXCharts(t, c, r)
			for k, v := range checkDOCXDiscussion(t, c, r) {
				seen[k] = v || seen[k]
			}
			for k, v := range checkDOCXNotScored(t, c, r) {
				seen[k] = v || seen[k]
			}
			checkDOCXPlan(t, c, r)
			seen["feedback"] = checkDOCXFeedback(t, c, r) || seen["feedback"]
		})
	}
	for _, s := range v2Sections {
		assert.True(t, seen[s], "no bundled rehearsal's Word report has %s", s)
	}
}

// teamTitle is a team's title from the report's exercise.
func teamTitle(r scoring.Report, name string) string {
	for _, tm := range r.Exercise.Teams {
		if tm.Name == name && tm.Title != "" {
			return tm.Title
		}
	}
	return name
}

func teamTitles(r scoring.Report, names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = teamTitle(r, n)
	}
	return strings.Join(out, ", ")
}

// overviewRow is the Detail of the overview's row named item.
func overviewRow(t *testing.T, c docxContent, item string) string {
	t.Helper()
	for _, row := range c.table(t, "Item")[1:] {
		if row[0] == item {
			return row[1]
		}
	}
	t.Fatalf("the overview has no row %q", item)
	return ""
}

func checkDOCXOverview(t *testing.T, c docxContent, r scoring.Report) {
	t.Helper()
	x := r.Exercise
	require.NotEmpty(t, x.Mode)
	assert.Equal(t, strings.ToUpper(x.Mode[:1])+x.Mode[1:]+" ("+x.Kind+")", overviewRow(t, c, "Mode"))
	require.NotEmpty(t, x.TeamsInPlay)
	assert.Equal(t, teamTitles(r, x.TeamsInPlay), overviewRow(t, c, "Teams in play"))
	assert.Equal(t, teamTitles(r, x.TeamsPlayed), overviewRow(t, c, "Teams that played"))
	assert.Len(t, strings.Split(overviewRow(t, c, "Plan teams"), "\n"), len(x.Teams))
	if len(r.Objectives) > 0 {
		objectives := overviewRow(t, c, "Objectives")
		for _, o := range r.Objectives {
			assert.Contains(t, objectives, o.Title+": "+scoring.CapabilityTitle(o.Capabilities[0]))
		}
	}
}

// checkDOCXObjectives finds the objectives' table with each one's capabilities, score and
// rating, and reports whether the report has objectives.
func checkDOCXObjectives(t *testing.T, c docxContent, r scoring.Report) bool {
	t.Helper()
	if len(r.Objectives) == 0 {
		assert.Empty(t, c.tables("Objective"))
		return false
	}
	tb := c.table(t, "Objective")
	assert.Equal(t, []string{"Objective", "Capabilities", "Score", "Rating"}, tb[0])
	require.Len(t, tb, len(r.Objectives)+1)
	for i, o := range r.Objectives {
		row := tb[i+1]
		assert.Equal(t, o.Title, row[0])
		caps := make([]string, len(o.Capabilities))
		for j, cp := range o.Capabilities {
			caps[j] = scoring.CapabilityTitle(cp)
		}
		assert.Equal(t, strings.Join(caps, "\n"), row[1])
		v, ok := r.Score.ByObjective[o.Name]
		require.True(t, ok, "objective %s is scored", o.Name)
		assert.Equal(t, formatScore(v), row[2], o.Name)
		assert.Equal(t, r.Ratings.ByObjective[o.Name], row[3], o.Name)
	}
	return true
}

// checkDOCXCapabilities finds each capability's score, rating, evaluators' ratings and
// disagreement in the table and its observations under its heading, and reports whether a
// disagreement is flagged.
func checkDOCXCapabilities(t *testing.T, c docxContent, r scoring.Report) bool {
	t.Helper()
	tb := c.table(t, "Capability")
	assert.Equal(t, []string{"Capability", "Score", "Rating", "Evaluators' ratings", "Disagreement"}, tb[0])
	byTitle := map[string][]string{}
	for _, row := range tb[1:] {
		byTitle[row[0]] = row
	}
	for k, v := range r.Score.ByCapability {
		row, ok := byTitle[scoring.CapabilityTitle(k)]
		if assert.True(t, ok, "capability %s has a row", k) {
			assert.Equal(t, formatScore(v), row[1], k)
			assert.Equal(t, r.Ratings.ByCapability[k], row[2], k)
		}
	}
	require.NotEmpty(t, r.EvaluatorRatings, "the hot wash rated a capability")
	flagged := false
	for k, er := range r.EvaluatorRatings {
		row := byTitle[scoring.CapabilityTitle(k)]
		require.Len(t, row, 5, k)
		assert.Equal(t, fmt.Sprintf("U ×%d (median %s)", er.U, er.Median), row[3], k)
		assert.Equal(t, er.Disagreement, row[4] != "", k)
		if er.Disagreement {
			flagged = true
			assert.Equal(t, "Disagreement: evaluators "+er.Median+", automatic "+*er.Automatic, row[4])
			assert.Contains(t, c.section("Heading 2", scoring.CapabilityTitle(k)), "Disagreement: ")
		}
	}
	for _, o := range r.Observations {
		assert.Contains(t, c.section("Heading 2", scoring.CapabilityTitle(o.Capability)), o.Text, "observation %d under its capability", o.Seq)
	}
	return flagged
}

func checkDOCXCharts(t *testing.T, c docxContent, r scoring.Report) {
	t.Helper()
	charts := map[string]map[string]float64{"objective": r.Score.ByObjective, "capability": r.Score.ByCapability, "team": r.Score.ByTeam, "phase": r.Score.ByPhase}
	pictures := 0
	for group, scores := range charts {
		pictures += len(scores)
		if len(scores) == 0 {
			assert.Empty(t, c.tables(group))
			continue
		}
		tb := c.table(t, group)
		require.Len(t, tb, len(scores)+1, "chart by %s: a bar a row", group)
		for i, k := range sortedKeys(scores) {
			assert.Equal(t, formatScore(scores[k])+" "+scoring.Rating(scores[k]), tb[i+1][2], "%s %s", group, k)
		}
	}
	assert.Equal(t, pictures, c.Pictures, "a bar picture per score")
}

// checkDOCXDiscussion finds every module's questions with every answer, the answers to the
// injects' questions and each discussion's answers, and reports which of them it found.
func checkDOCXDiscussion(t *testing.T, c docxContent, r scoring.Report) map[string]bool {
	t.Helper()
	var want [][]string
	inModule := map[string]bool{}
	for _, m := range r.Modules {
		assert.Contains(t, c.headings("Heading 2"), fmt.Sprintf("%s (from %s)", m.Title, scoring.HumanTime(time.Duration(m.At))))
		for _, q := range m.Questions {
			inModule[q.ID] = true
			for _, a := range q.Answers {
				want = append(want, []string{q.Text, teamTitle(r, a.Team), scoring.HumanTime(time.Duration(a.T)), a.Answer})
			}
			if len(q.Answers) == 0 {
				want = append(want, []string{q.Text, "—", "—", "No answer recorded."})
			}
		}
	}
	var got [][]string
	for _, tb := range c.tables("Question") {
		got = append(got, tb[1:]...)
	}
	assert.Equal(t, want, got, "every module question with every answer")

	want = nil
	for _, a := range r.Answers {
		if !inModule[a.Question] {
			want = append(want, []string{a.QuestionText, teamTitle(r, a.Team), scoring.HumanTime(time.Duration(a.T)), a.Answer})
		}
	}
	got = nil
	for _, tb := range c.tables("Inject's question") {
		got = append(got, tb[1:]...)
	}
	assert.Equal(t, want, got, "the answers to the injects' questions")
	injectAnswers := len(want) > 0

	want = nil
	for _, d := range r.Discussions {
		for _, team := range sortedKeys(d.Answers) {
			want = append(want, []string{d.Prompt, d.Inject, teamTitle(r, team), d.Answers[team]})
		}
	}
	got = nil
	for _, tb := range c.tables("Discussion") {
		got = append(got, tb[1:]...)
	}
	assert.Equal(t, want, got, "each discussion with each team's answer")
	answered := 0
	for _, m := range r.Modules {
		for _, q := range m.Questions {
			answered += len(q.Answers)
		}
	}
	return map[string]bool{"modules": answered > 0, "inject answers": injectAnswers, "discussions": len(want) > 0}
}

// checkDOCXNotScored finds the items not in play, not played and open and the injects not
// reached, and reports which it found.
func checkDOCXNotScored(t *testing.T, c docxContent, r scoring.Report) map[string]bool {
	t.Helper()
	section := c.section("Heading 2", "Not scored")
	for _, id := range append(slices.Clone(r.NotInPlay), r.Open...) {
		assert.Contains(t, section, id)
	}
	for _, np := range r.NotPlayed {
		assert.Contains(t, section, "("+teamTitle(r, np.Team)+")", np.ID)
	}
	if len(r.NotReached) > 0 {
		assert.Contains(t, section, "Injects not reached (neither delivered nor skipped): "+strings.Join(r.NotReached, ", "))
	}
	return map[string]bool{"not played": len(r.NotPlayed) > 0, "not reached": len(r.NotReached) > 0}
}

// checkDOCXPlan finds one improvement-plan row per corrective action, in the plan's order (by
// credit lost), with its responsible team and its priority.
func checkDOCXPlan(t *testing.T, c docxContent, r scoring.Report) {
	t.Helper()
	if len(r.ImprovementPlan) == 0 {
		assert.Contains(t, c.text(), "No areas for improvement")
		return
	}
	var plan [][]string
	for _, tb := range c.tables("Capability") {
		if len(tb[0]) == 8 {
			plan = tb
		}
	}
	require.NotNil(t, plan)
	require.Equal(t, []string{"Capability", "Area for improvement", "Corrective action", "Element", "Responsible team", "Priority", "Start date", "Completion date"}, plan[0])
	require.Len(t, plan, len(r.ImprovementPlan)+1)
	priorities := scoring.ImprovementPriorities(r)
	for i, ca := range r.ImprovementPlan {
		row := plan[i+1]
		assert.Equal(t, ca.Area, row[1])
		assert.Equal(t, ca.Action, row[2])
		assert.Equal(t, teamTitle(r, ca.Responsible), row[4])
		assert.Equal(t, priorities[i], row[5])
		assert.Empty(t, row[6]+row[7], "the dates are left for the manager")
		if i > 0 {
			assert.GreaterOrEqual(t, r.ImprovementPlan[i-1].CreditLost, ca.CreditLost, "in the order of credit lost")
		}
	}
}

// checkDOCXFeedback finds each rated statement with its average and count, and every text of
// the forms under its team, and reports whether the report has feedback.
func checkDOCXFeedback(t *testing.T, c docxContent, r scoring.Report) bool {
	t.Helper()
	section := c.section("Heading 2", "Participant feedback")
	if len(r.Feedback) == 0 {
		assert.Contains(t, section, "No participant feedback forms")
		return false
	}
	assert.Contains(t, section, fmt.Sprintf("%d feedback forms.", len(r.Feedback)))
	sum, n := map[string]int{}, map[string]int{}
	for _, f := range r.Feedback {
		for k, v := range f.Ratings {
			sum[k] += v
			n[k]++
		}
	}
	tb := c.table(t, "Statement")
	assert.Equal(t, []string{"Statement", "Average rating", "Responses"}, tb[0])
	require.Len(t, tb, len(n)+1, "a row per rated statement")
	got := map[string][2]string{}
	for _, row := range tb[1:] {
		got[row[0]] = [2]string{row[1], row[2]}
	}
	statements := map[string]string{"structured": "The exercise was well structured and organised.", "realistic": "The scenario was realistic.",
		"right_people": "The right people took part.", "decisions": "The exercise let us make the significant decisions."}
	for k := range n {
		mean := math.Round(float64(sum[k])*10/float64(n[k])) / 10 // half away from zero, as every score
		assert.Equal(t, [2]string{fmt.Sprintf("%.1f", mean), fmt.Sprint(n[k])}, got[statements[k]], k)
	}
	for _, f := range r.Feedback {
		team := strings.Index(section, teamTitle(r, f.Team)+"\n")
		require.GreaterOrEqual(t, team, 0, "team %s", f.Team)
		for _, text := range []string{f.Strengths, f.Improvements, f.Comment} {
			if text != "" {
				at := strings.Index(section, text)
				assert.Greater(t, at, team, "%q under team %s", text, f.Team)
				assert.Contains(t, section[:at], f.Name)
			}
		}
	}
	obs := c.table(t, "Time")
	assert.Equal(t, []string{"Time", "Capability", "Rating", "By", "Team", "Observation"}, obs[0])
	assert.Len(t, obs, len(r.Observations)+1)
	return true
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

func sortedKeys[V any](m map[string]V) []string {
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
