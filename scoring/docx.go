package scoring

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// FormatDOCX writes the report as a Word document in HSEEP's AAR/IP layout
// (design/interop.md): the cover, the exercise overview, the analysis of capabilities,
// Appendix A (the improvement plan) and the feedback and observations, one function a
// section, every figure the JSON report's.
//
// The document is WordprocessingML written with archive/zip and encoding/xml: no Go DOCX
// library that is maintained, permissively licensed and served by the module proxy was found.
func FormatDOCX(w io.Writer, r Report) error {
	d := &wordDoc{title: "After-Action Report: " + exerciseName(r)}
	docxCover(d, r)
	docxOverview(d, r)
	docxAnalysis(d, r)
	docxImprovementPlan(d, r)
	docxFeedback(d, r)
	return d.write(w, documentTime(r))
}

// documentTime stamps the package: the exercise's end, else its start, so that one report
// always gives the same bytes.
func documentTime(r Report) time.Time {
	for _, t := range []*time.Time{r.Exercise.EndedAt, r.Exercise.StartedAt, r.Exercise.SimStart} {
		if t != nil && t.Year() >= 1980 {
			return *t
		}
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}

func exerciseName(r Report) string {
	if r.Exercise.ScenarioTitle != "" {
		return r.Exercise.ScenarioTitle
	}
	return r.Exercise.Scenario
}

// docxCover is the cover page: the exercise's name, its dates, the plan and its version.
func docxCover(d *wordDoc, r Report) {
	d.para("Title", run{text: exerciseName(r)})
	d.para("Subtitle", run{text: "After-Action Report / Improvement Plan"})
	d.para("")
	d.para("", run{text: "Exercise dates: ", bold: true}, run{text: exerciseDates(r)})
	d.para("", run{text: "Plan: ", bold: true}, run{text: planName(r) + ", version " + r.Exercise.PlanVersion})
	d.para("", run{text: "Scenario: ", bold: true}, run{text: r.Exercise.Scenario})
	d.para("", run{text: "Exercise: ", bold: true}, run{text: r.Exercise.ID})
	d.para("", run{text: "Overall score: ", bold: true}, run{text: overallText(r)})
	d.para("Caption", run{text: "This report follows the layout of the Homeland Security Exercise and Evaluation Program (HSEEP) After-Action Report / Improvement Plan. Scores and ratings are computed by ttx from the exercise's event log against the plan."})
	d.pageBreak()
}

func planName(r Report) string {
	if r.Exercise.PlanTitle != "" {
		return fmt.Sprintf("%s (%s)", r.Exercise.PlanTitle, r.Exercise.Plan)
	}
	return r.Exercise.Plan
}

// exerciseDates is when the exercise was played, from its start to its end, by the wall clock.
func exerciseDates(r Report) string {
	const day = "2 January 2006"
	s, e := r.Exercise.StartedAt, r.Exercise.EndedAt
	switch {
	case s == nil:
		return "not started"
	case e == nil:
		return s.UTC().Format(day) + " (in progress)"
	case s.UTC().Format(day) == e.UTC().Format(day):
		return s.UTC().Format(day)
	}
	return s.UTC().Format(day) + " to " + e.UTC().Format(day)
}

func overallText(r Report) string {
	if r.Score.Overall == nil || r.Ratings.Overall == nil {
		return "nothing scored"
	}
	return fmt.Sprintf("%s (%s: %s)", formatScore(*r.Score.Overall), *r.Ratings.Overall, ratingName(*r.Ratings.Overall))
}

// docxOverview is the exercise overview: scope, mission areas, the capabilities (and, with v2
// reports, objectives) exercised, the scenario and the teams in play.
func docxOverview(d *wordDoc, r Report) {
	d.para("Heading1", run{text: "Exercise Overview"})
	x := r.Exercise
	teams := make([]string, len(x.Teams))
	for i, t := range x.Teams {
		teams[i] = fmt.Sprintf("%s (%s, tier %d)", orName(t.Title, t.Name), t.Name, t.Tier)
	}
	rows := [][]string{
		{"Exercise name", exerciseName(r)},
		{"Exercise dates", exerciseDates(r)},
		{"Scope", fmt.Sprintf("Tabletop exercise played on a simulated clock: planned %s, played %s (%s).", x.Duration, x.Elapsed, statusText(x.Status))},
		{"Mission areas", strings.Join(missionAreas(r), ", ")},
		{"Capabilities", strings.Join(capabilityTitles(sortedKeys(r.Score.ByCapability)), "\n")},
		{"Scenario", orName(x.Summary, x.Scenario)},
		{"Plan", planName(r) + ", version " + x.PlanVersion},
		{"Teams in play", strings.Join(teams, "\n")},
	}
	if x.SimStart != nil {
		rows = append(rows, []string{"Simulated start", x.SimStart.Format(time.RFC1123)})
	}
	d.table([]string{"Item", "Detail"}, rows, []int{2600, 7000})
}

func orName(title, name string) string {
	if title != "" {
		return title
	}
	return name
}

func statusText(s string) string {
	if s == ExerciseEnded {
		return "ended"
	}
	return "in progress"
}

// missionAreas are the HSEEP mission areas the scored phases fall in.
func missionAreas(r Report) []string {
	area := map[string]string{
		"preparation": "Protection", "detection": "Response", "containment": "Response",
		"eradication": "Response", "recovery": "Recovery", "post_incident": "Recovery",
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range []string{"preparation", "detection", "containment", "eradication", "recovery", "post_incident"} {
		if _, ok := r.Score.ByPhase[p]; ok && !seen[area[p]] {
			seen[area[p]] = true
			out = append(out, area[p])
		}
	}
	if len(out) == 0 {
		return []string{"Response"}
	}
	return out
}

// capabilityTitle is CapabilityTitle, with a name for decisions that carry no capability.
func capabilityTitle(c string) string {
	if c == "" {
		return "(no capability)"
	}
	return CapabilityTitle(c)
}

func capabilityTitles(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = capabilityTitle(c)
	}
	return out
}

// docxAnalysis is the analysis of capabilities: the overall score, the score charts, and for
// each capability its score and rating, the evaluators' ratings, its strengths and its areas
// for improvement with their evidence.
func docxAnalysis(d *wordDoc, r Report) {
	d.para("Heading1", run{text: "Analysis of Capabilities"})
	d.para("", run{text: "Overall score: ", bold: true}, run{text: overallText(r)})
	d.para("Caption", run{text: "Ratings: P performed without challenges (from 80), S with some challenges (from 66), M with major challenges (from 50), U unable to be performed (below 50)."})
	caps := capabilitiesOf(r)
	rows := make([][]string, 0, len(caps))
	for _, c := range caps {
		rows = append(rows, []string{capabilityTitle(c), scoreCell(r.Score.ByCapability, c), r.Ratings.ByCapability[c], evaluatorSummary(r, c)})
	}
	d.table([]string{"Capability", "Score", "Rating", "Evaluators' ratings"}, rows, []int{3600, 1400, 1400, 3200})
	docxScoreChart(d, "Score by capability", r.Score.ByCapability, r.Ratings.ByCapability, capabilityTitle)
	docxScoreChart(d, "Score by team", r.Score.ByTeam, r.Ratings.ByTeam, func(s string) string { return s })
	docxScoreChart(d, "Score by phase", r.Score.ByPhase, r.Ratings.ByPhase, func(s string) string { return s })
	for _, c := range caps {
		docxCapability(d, r, c)
	}
}

// capabilitiesOf lists every capability the report speaks of: scored, observed or with a gap.
func capabilitiesOf(r Report) []string {
	seen := map[string]bool{}
	for c := range r.Score.ByCapability {
		seen[c] = true
	}
	for _, o := range r.Observations {
		if o.Capability != "" {
			seen[o.Capability] = true
		}
	}
	for _, g := range r.Gaps {
		seen[g.Capability] = true
	}
	return sortedKeys(seen)
}

func scoreCell(scores map[string]float64, k string) string {
	if v, ok := scores[k]; ok {
		return formatScore(v)
	}
	return "—"
}

// evaluatorSummary is the evaluators' ratings of capability c as a reader says them: "P ×2, S
// (median P)", and "disagrees with the automatic rating" where scoring.md flags it.
func evaluatorSummary(r Report, c string) string {
	er, ok := r.EvaluatorRatings[c]
	if !ok {
		return "—"
	}
	var parts []string
	for _, rc := range []struct {
		rating string
		n      int
	}{{RatingP, er.P}, {RatingS, er.S}, {RatingM, er.M}, {RatingU, er.U}} {
		switch {
		case rc.n == 1:
			parts = append(parts, rc.rating)
		case rc.n > 1:
			parts = append(parts, fmt.Sprintf("%s ×%d", rc.rating, rc.n))
		}
	}
	out := strings.Join(parts, ", ") + " (median " + er.Median + ")"
	if er.Disagreement {
		out += "; disagrees with the automatic rating"
	}
	return out
}

// docxScoreChart draws one group of scores as the HTML report's chart does: a bar a key, in
// its rating's colour, beside its label and its score and rating.
func docxScoreChart(d *wordDoc, title string, scores map[string]float64, ratings map[string]string, label func(string) string) {
	if len(scores) == 0 {
		return
	}
	d.para("Heading2", run{text: title})
	keys := sortedKeys(scores)
	rows := make([]chartRow, len(keys))
	for i, k := range keys {
		bar, w, h := scoreBarPNG(scores[k])
		rows[i] = chartRow{label: label(k), figure: formatScore(scores[k]) + " " + ratings[k], bar: bar, w: w, h: h}
	}
	d.chartTable([3]string{strings.TrimPrefix(title, "Score by "), "Score from 0 to 100", "Score and rating"}, rows)
	d.para("Caption", run{text: title + ": the dashed lines are the M (50), S (66) and P (80) bands."})
}

// docxCapability is one capability's analysis.
func docxCapability(d *wordDoc, r Report, c string) {
	d.para("Heading2", run{text: capabilityTitle(c)})
	if v, ok := r.Score.ByCapability[c]; ok {
		rt := r.Ratings.ByCapability[c]
		d.para("", run{text: "Score: ", bold: true}, run{text: fmt.Sprintf("%s (%s: %s)", formatScore(v), rt, ratingName(rt))})
	} else {
		d.para("", run{text: "Score: ", bold: true}, run{text: "not scored"})
	}
	d.para("", run{text: "Evaluators' ratings: ", bold: true}, run{text: evaluatorSummary(r, c)})
	d.para("", run{text: "Strengths", bold: true})
	n := 0
	for _, s := range r.Strengths {
		if s.Capability == c {
			n++
			d.bullet(run{text: fmt.Sprintf("%s (%s): %s", s.Item, s.Team, s.Detail)}, run{text: evidenceText(s.Evidence)})
		}
	}
	if n == 0 {
		d.bullet(run{text: "None recorded."})
	}
	d.para("", run{text: "Areas for improvement", bold: true})
	n = 0
	for _, g := range r.Gaps {
		if g.Capability == c {
			n++
			d.bullet(run{text: fmt.Sprintf("%s: %s (%s): %s", gapName(g.Kind), g.Item, g.Team, g.Detail)}, run{text: evidenceText(g.Evidence)})
		}
	}
	if n == 0 {
		d.bullet(run{text: "None found."})
	}
}

// evidenceText cites the events of the log that show a finding.
func evidenceText(seqs []int64) string {
	if len(seqs) == 0 {
		return ""
	}
	return " Evidence: events " + seqList(seqs) + "."
}

// Priorities of the improvement plan.
const (
	PriorityHigh   = "High"
	PriorityMedium = "Medium"
	PriorityLow    = "Low"
)

// docxImprovementPlan is Appendix A: one row per corrective action, its priority by its rank
// in credit lost, start and completion dates left for the manager.
func docxImprovementPlan(d *wordDoc, r Report) {
	d.pageBreak()
	d.para("Heading1", run{text: "Appendix A: Improvement Plan"})
	priorities := ImprovementPriorities(r)
	rows := make([][]string, len(r.ImprovementPlan))
	for i, ca := range r.ImprovementPlan {
		rows[i] = []string{capabilityTitle(ca.Capability), ca.Area, ca.Action, elementTitle(ca.Element), ca.Responsible, priorities[i], "", ""}
	}
	if len(rows) == 0 {
		d.text("No areas for improvement were found: the plan was followed as written.")
		return
	}
	d.table([]string{"Capability", "Area for improvement", "Corrective action", "Element", "Responsible team", "Priority", "Start date", "Completion date"},
		rows, []int{1300, 2000, 2300, 1000, 1100, 800, 800, 900})
	d.para("Caption", run{text: "Priority: the row's rank by the credit its items lost (weight × (1 − credit)): High for the first third, Medium for the second, Low for the rest."})
}

// ImprovementPriorities gives each row of r's improvement plan its priority (design/interop.md):
// its rank by the credit its items lost, which is the plan's own order, High for the first
// third, Medium for the second, Low for the rest.
func ImprovementPriorities(r Report) []string {
	n := len(r.ImprovementPlan)
	out := make([]string, n)
	for rank := range out { // the plan is ordered by credit lost already (scoring.md v2)
		switch {
		case rank*3 < n:
			out[rank] = PriorityHigh
		case rank*3 < 2*n:
			out[rank] = PriorityMedium
		default:
			out[rank] = PriorityLow
		}
	}
	return out
}

func elementTitle(e string) string {
	if e == "" {
		return ""
	}
	return strings.ToUpper(e[:1]) + e[1:]
}

// docxFeedback is the feedback and observations: the evaluators' observations with their
// ratings, the teams' notes, and the items that were not in play or left open.
func docxFeedback(d *wordDoc, r Report) {
	d.para("Heading1", run{text: "Feedback and Observations"})
	d.para("Heading2", run{text: "Observations"})
	if len(r.Observations) == 0 {
		d.text("No observations were recorded.")
	} else {
		rows := make([][]string, len(r.Observations))
		for i, o := range r.Observations {
			rows[i] = []string{"T+" + o.T.String(), capabilityTitle(o.Capability), o.Rating, o.Text}
		}
		d.table([]string{"Time", "Capability", "Rating", "Observation"}, rows, []int{1200, 2200, 900, 5300})
	}
	d.para("Heading2", run{text: "Team notes"})
	if len(r.Notes) == 0 {
		d.text("No notes were written.")
	} else {
		rows := make([][]string, len(r.Notes))
		for i, n := range r.Notes {
			rows[i] = []string{"T+" + n.T.String(), n.Team, n.Text}
		}
		d.table([]string{"Time", "Team", "Note"}, rows, []int{1200, 2200, 6200})
	}
	if len(r.NotInPlay) > 0 {
		d.para("", run{text: "Not in play: ", bold: true}, run{text: strings.Join(r.NotInPlay, ", ")})
	}
	if len(r.Open) > 0 {
		d.para("", run{text: "Open: ", bold: true}, run{text: strings.Join(r.Open, ", ")})
	}
}
