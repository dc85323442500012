package scoring

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// FormatDOCX writes the report as a Word document in HSEEP's AAR/IP layout
// (design/interop.md): the cover, the exercise overview, the analysis of objectives and
// capabilities, (v2) the modules and discussions, Appendix A (the improvement plan) and the
// participants' feedback and observations, one function a section, every figure the JSON
// report's.
//
// The document is WordprocessingML written with archive/zip and encoding/xml: no Go DOCX
// library that is maintained, permissively licensed and served by the module proxy was found.
func FormatDOCX(w io.Writer, r Report) error {
	d := &wordDoc{title: "After-Action Report: " + exerciseName(r)}
	docxCover(d, r)
	docxOverview(d, r)
	docxAnalysis(d, r)
	docxDiscussion(d, r)
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

// docxOverview is the exercise overview: scope, mode, mission areas, the objectives and the
// capabilities exercised, the scenario, the plan's teams and (v2) those in play and played.
func docxOverview(d *wordDoc, r Report) {
	d.para("Heading1", run{text: "Exercise Overview"})
	x := r.Exercise
	teams := make([]string, len(x.Teams))
	for i, t := range x.Teams {
		teams[i] = fmt.Sprintf("%s (%s, tier %d)", orName(t.Title, t.Name), t.Name, t.Tier)
		if t.External {
			teams[i] += ", external"
		}
	}
	rows := [][]string{
		{"Exercise name", exerciseName(r)},
		{"Exercise dates", exerciseDates(r)},
		{"Scope", fmt.Sprintf("Tabletop exercise played on a simulated clock: planned %s, played %s (%s).", x.Duration, x.Elapsed, statusText(x.Status))},
		{"Mode", modeText(x)},
		{"Mission areas", strings.Join(missionAreas(r), ", ")},
	}
	if len(r.Objectives) > 0 {
		rows = append(rows, []string{"Objectives", strings.Join(objectiveLines(r), "\n")})
	}
	rows = append(rows,
		[]string{"Capabilities", strings.Join(capabilityTitles(sortedKeys(r.Score.ByCapability)), "\n")},
		[]string{"Scenario", orName(x.Summary, x.Scenario)},
		[]string{"Plan", planName(r) + ", version " + x.PlanVersion},
		[]string{"Plan teams", strings.Join(teams, "\n")},
		[]string{"Teams in play", teamLines(r, x.TeamsInPlay)},
		[]string{"Teams that played", teamLines(r, x.TeamsPlayed)},
	)
	if x.SimStart != nil {
		rows = append(rows, []string{"Simulated start", x.SimStart.Format(time.RFC1123)})
	}
	d.table([]string{"Item", "Detail"}, rows, []int{2600, 7000})
}

// modeText is the exercise's mode and kind as the overview says them: "Evaluation
// (rehearsal)".
func modeText(x ExerciseInfo) string {
	return fmt.Sprintf("%s (%s)", elementTitle(cmp.Or(x.Mode, engine.ModeTraining)), cmp.Or(x.Kind, engine.ExerciseLive))
}

// teamLines are teams by their titles, or "none".
func teamLines(r Report, names []string) string {
	return cmp.Or(r.teamTitles(names), "none")
}

// objectiveLines are the objectives with their capabilities: "Contain the outbreak:
// Containment, Crisis decisions".
func objectiveLines(r Report) []string {
	out := make([]string, len(r.Objectives))
	for i, o := range r.Objectives {
		out[i] = orName(o.Title, o.Name) + ": " + strings.Join(capabilityTitles(o.Capabilities), ", ")
	}
	return out
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

// missionAreas are the HSEEP mission areas the scored phases fall in, in the phases' order.
func missionAreas(r Report) []string {
	area := map[string]string{
		"preparation": "Protection", "detection": "Response", "containment": "Response",
		"eradication": "Response", "recovery": "Recovery", "post_incident": "Recovery",
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range scenarios.Phases {
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
		return NoCapabilityTitle
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

// docxAnalysis is the analysis of objectives and capabilities: the overall score, each
// objective's score and rating, each capability's score and rating with the evaluators' ratings
// beside it and their disagreement flagged, the score charts, each capability's strengths,
// areas for improvement and observations, and what was left out of the scores.
func docxAnalysis(d *wordDoc, r Report) {
	d.para("Heading1", run{text: "Analysis of Capabilities"})
	d.para("", run{text: "Overall score: ", bold: true}, run{text: overallText(r)})
	d.para("Caption", run{text: "Ratings: P performed without challenges (from 80), S with some challenges (from 66), M with major challenges (from 50), U unable to be performed (below 50)."})
	docxObjectives(d, r)
	caps := capabilitiesOf(r)
	rows := make([][]string, 0, len(caps))
	for _, c := range caps {
		rows = append(rows, []string{capabilityTitle(c), scoreCell(r.Score.ByCapability, c), orDash(r.Ratings.ByCapability[c]), evaluatorSummary(r, c), disagreementText(r, c)})
	}
	d.table([]string{"Capability", "Score", "Rating", "Evaluators' ratings", "Disagreement"}, rows, []int{3000, 1100, 1100, 2400, 2000})
	d.para("Caption", run{text: "Evaluators' ratings: how many observations rated the capability P, S, M and U, and their median; a disagreement is a median two bands or more from the automatic rating."})
	docxScoreChart(d, "Score by objective", r.Score.ByObjective, r.Ratings.ByObjective, r.objectiveTitle)
	docxScoreChart(d, "Score by capability", r.Score.ByCapability, r.Ratings.ByCapability, capabilityTitle)
	docxScoreChart(d, "Score by team", r.Score.ByTeam, r.Ratings.ByTeam, func(s string) string { return s })
	docxScoreChart(d, "Score by phase", r.Score.ByPhase, r.Ratings.ByPhase, func(s string) string { return s })
	for _, c := range caps {
		docxCapability(d, r, c)
	}
	docxNotScored(d, r)
}

// docxObjectives is the table of the scenario's objectives (v2): their capabilities, score and
// rating.
func docxObjectives(d *wordDoc, r Report) {
	if len(r.Objectives) == 0 {
		return
	}
	d.para("Heading2", run{text: "Objectives"})
	rows := make([][]string, len(r.Objectives))
	for i, o := range r.Objectives {
		rows[i] = []string{orName(o.Title, o.Name), strings.Join(capabilityTitles(o.Capabilities), "\n"),
			scoreCell(r.Score.ByObjective, o.Name), orDash(r.Ratings.ByObjective[o.Name])}
	}
	d.table([]string{"Objective", "Capabilities", "Score", "Rating"}, rows, []int{4200, 3000, 1200, 1200})
}

// objectiveTitle is an objective's title, else its name.
func (r Report) objectiveTitle(name string) string {
	for _, o := range r.Objectives {
		if o.Name == name {
			return orName(o.Title, o.Name)
		}
	}
	return name
}

// docxNotScored lists what the scores leave out: items not in play, (v2) items whose team did
// not play, items left open, and (v2) injects not reached.
func docxNotScored(d *wordDoc, r Report) {
	d.para("Heading2", run{text: "Not scored"})
	notPlayed := make([]string, len(r.NotPlayed))
	for i, np := range r.NotPlayed {
		notPlayed[i] = fmt.Sprintf("%s (%s)", r.itemName(np.Kind, np.ID), r.teamTitle(np.Team))
	}
	n := 0
	for _, l := range []struct {
		label string
		items []string
	}{
		{"Not in play (never triggered or put): ", r.NotInPlay},
		{"Not played (their team did not play): ", notPlayed},
		{"Open (the exercise stopped before their deadline): ", r.Open},
		{"Injects not reached (neither delivered nor skipped): ", r.NotReached},
	} {
		if len(l.items) > 0 {
			n++
			d.bullet(run{text: l.label, bold: true}, run{text: strings.Join(l.items, ", ")})
		}
	}
	if n == 0 {
		d.text("Every item of the plan was in play and scored, and every inject was reached.")
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
// (median P)".
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
	return strings.Join(parts, ", ") + " (median " + er.Median + ")"
}

// disagreementText flags capability c where scoring.md finds the evaluators' median two bands
// or more from the automatic rating, and is empty elsewhere.
func disagreementText(r Report, c string) string {
	er := r.EvaluatorRatings[c]
	if !er.Disagreement {
		return ""
	}
	auto := "none"
	if er.Automatic != nil {
		auto = *er.Automatic
	}
	return fmt.Sprintf("Disagreement: evaluators %s, automatic %s", er.Median, auto)
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
	if flag := disagreementText(r, c); flag != "" {
		d.para("", run{text: flag, bold: true})
	}
	var objectives []string
	for _, o := range r.Objectives {
		if slices.Contains(o.Capabilities, c) {
			objectives = append(objectives, orName(o.Title, o.Name))
		}
	}
	if len(objectives) > 0 {
		d.para("", run{text: "Objectives: ", bold: true}, run{text: strings.Join(objectives, "; ")})
	}
	var strengths, gaps, observations [][]run
	for _, s := range r.Strengths {
		if s.Capability == c {
			strengths = append(strengths, []run{{text: fmt.Sprintf("%s (%s): %s", s.Item, s.Team, s.Detail)}, {text: evidenceText(s.Evidence)}})
		}
	}
	for _, g := range r.Gaps {
		if g.Capability == c {
			gaps = append(gaps, []run{{text: fmt.Sprintf("%s: %s (%s): %s", gapName(g.Kind), g.Item, g.Team, g.Detail)}, {text: evidenceText(g.Evidence)}})
		}
	}
	for _, o := range r.Observations {
		if o.Capability == c {
			observations = append(observations, []run{{text: observationText(r, o)}})
		}
	}
	d.para("", run{text: "Strengths", bold: true})
	d.bulletsOr("None recorded.", strengths)
	d.para("", run{text: "Areas for improvement", bold: true})
	d.bulletsOr("None found.", gaps)
	d.para("", run{text: "Observations", bold: true})
	d.bulletsOr("None recorded.", observations)
}

// observationText is one observation as the analysis cites it: "T+1:50:00, S, evaluator on
// Incident Response Team: ok".
func observationText(r Report, o Observation) string {
	who := []string{HumanTime(time.Duration(o.T)), orDash(o.Rating)}
	if o.By != "" {
		who = append(who, o.By)
	}
	if o.Team != "" {
		who = append(who, "on "+r.teamTitle(o.Team))
	}
	return strings.Join(who, ", ") + ": " + o.Text
}

// evidenceText cites the events of the log that show a finding.
func evidenceText(seqs []int64) string {
	if len(seqs) == 0 {
		return ""
	}
	return " Evidence: events " + seqList(seqs) + "."
}

// docxDiscussion is the discussion part of a v2 exercise, when it had one: each module with its
// questions and every team's answers, the answers to the injects' questions, and the
// discussions (decisions put for discussion, not scored) with each team's answer.
func docxDiscussion(d *wordDoc, r Report) {
	if len(r.Modules) == 0 && len(r.Answers) == 0 && len(r.Discussions) == 0 {
		return
	}
	d.para("Heading1", run{text: "Modules and Discussions"})
	answerRows := func(q string, answers []Answer) [][]string {
		if len(answers) == 0 {
			return [][]string{{q, "—", "—", "No answer recorded."}}
		}
		rows := make([][]string, len(answers))
		for i, a := range answers {
			rows[i] = []string{q, r.teamTitle(a.Team), HumanTime(time.Duration(a.T)), a.Answer}
		}
		return rows
	}
	widths := []int{3400, 1800, 1100, 3300}
	for _, m := range r.Modules {
		d.para("Heading2", run{text: fmt.Sprintf("%s (from %s)", orName(m.Title, m.Name), HumanTime(time.Duration(m.At)))})
		if len(m.Questions) == 0 {
			d.text("The module put no questions.")
			continue
		}
		var rows [][]string
		for _, q := range m.Questions {
			rows = append(rows, answerRows(q.Text, q.Answers)...)
		}
		d.table([]string{"Question", "Team", "Time", "Answer"}, rows, widths)
	}
	if others := injectAnswers(r); len(others) > 0 {
		d.para("Heading2", run{text: "Answers to the injects' questions"})
		var rows [][]string
		for _, a := range others {
			rows = append(rows, answerRows(cmp.Or(a.QuestionText, a.Question), []Answer{a})...)
		}
		d.table([]string{"Inject's question", "Team", "Time", "Answer"}, rows, widths)
	}
	if len(r.Discussions) > 0 {
		d.para("Heading2", run{text: "Discussions"})
		var rows [][]string
		for _, dis := range r.Discussions {
			prompt := cmp.Or(dis.Prompt, dis.Decision)
			if len(dis.Answers) == 0 {
				rows = append(rows, []string{prompt, dis.Inject, "—", "No answer recorded."})
			}
			for _, t := range sortedKeys(dis.Answers) {
				rows = append(rows, []string{prompt, dis.Inject, r.teamTitle(t), dis.Answers[t]})
			}
		}
		d.table([]string{"Discussion", "Inject", "Team", "Answer"}, rows, []int{3800, 1800, 1800, 2200})
		d.para("Caption", run{text: "Decisions put for discussion, with neither an expected answer nor credit: answered and reported, never scored."})
	}
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
		rows[i] = []string{capabilityTitle(ca.Capability), ca.Area, ca.Action, elementTitle(ca.Element), r.teamTitle(ca.Responsible), priorities[i], "", ""}
	}
	if len(rows) == 0 {
		d.text("No areas for improvement were found: the plan was followed as written.")
		return
	}
	d.table([]string{"Capability", "Area for improvement", "Corrective action", "Element", "Responsible team", "Priority", "Start date", "Completion date"},
		rows, []int{1300, 2000, 2300, 1000, 1100, 800, 800, 900})
	d.para("Caption", run{text: "Rows in the order of the credit their items lost (weight × (1 − credit)), highest first. Priority: High for the first third, Medium for the second, Low for the rest."})
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

// docxFeedback is the feedback and observations: (v2) the participants' feedback forms, their
// ratings averaged per statement and their texts by team, then the evaluators' observations
// with their ratings and the teams' notes.
func docxFeedback(d *wordDoc, r Report) {
	d.para("Heading1", run{text: "Feedback and Observations"})
	docxParticipantFeedback(d, r)
	d.para("Heading2", run{text: "Observations"})
	if len(r.Observations) == 0 {
		d.text("No observations were recorded.")
	} else {
		rows := make([][]string, len(r.Observations))
		for i, o := range r.Observations {
			rows[i] = []string{HumanTime(time.Duration(o.T)), capabilityTitle(o.Capability), orDash(o.Rating), orDash(o.By), orDash(r.teamTitle(o.Team)), o.Text}
		}
		d.table([]string{"Time", "Capability", "Rating", "By", "Team", "Observation"}, rows, []int{1100, 1800, 700, 1100, 1500, 3400})
	}
	d.para("Heading2", run{text: "Team notes"})
	if len(r.Notes) == 0 {
		d.text("No notes were written.")
	} else {
		rows := make([][]string, len(r.Notes))
		for i, n := range r.Notes {
			rows[i] = []string{HumanTime(time.Duration(n.T)), r.teamTitle(n.Team), n.Text}
		}
		d.table([]string{"Time", "Team", "Note"}, rows, []int{1200, 2200, 6200})
	}
}

// docxParticipantFeedback is the participants' feedback: a table of each statement's average
// rating, then the forms' texts grouped by team, teams in the plan's order.
func docxParticipantFeedback(d *wordDoc, r Report) {
	d.para("Heading2", run{text: "Participant feedback"})
	if len(r.Feedback) == 0 {
		d.text("No participant feedback forms were recorded.")
		return
	}
	d.para("", run{text: fmt.Sprintf("%d feedback forms.", len(r.Feedback))})
	means := r.feedbackMeans()
	rows := make([][]string, len(means))
	for i, m := range means {
		rows[i] = []string{m.Text, fmt.Sprintf("%.1f", m.Mean), fmt.Sprint(m.Count)}
	}
	d.table([]string{"Statement", "Average rating", "Responses"}, rows, []int{6000, 1800, 1800})
	d.para("Caption", run{text: "Ratings from 1 (strongly disagree) to 5 (strongly agree), averaged over the forms that rated the statement."})
	for _, tf := range r.feedbackByTeam() {
		d.para("", run{text: r.teamTitle(tf.Team), bold: true})
		n := 0
		for _, f := range tf.Forms {
			for _, t := range []struct{ label, text string }{{"Strengths", f.Strengths}, {"Improvements", f.Improvements}, {"Comment", f.Comment}} {
				if t.text != "" {
					n++
					d.bullet(run{text: fmt.Sprintf("%s (%s): ", t.label, orDash(f.Name)), bold: true}, run{text: t.text})
				}
			}
		}
		if n == 0 {
			d.bullet(run{text: "Ratings only, no comments."})
		}
	}
}
