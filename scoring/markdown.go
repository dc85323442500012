package scoring

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// FormatMarkdown writes the report as a Markdown document (GitHub-flavoured tables): teams,
// capabilities and actions by their titles, simulated times to the second. Free text from
// the scenario and the participants is escaped so that it reads as text.
func FormatMarkdown(w io.Writer, r Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	x := r.Exercise

	title := x.ScenarioTitle
	if title == "" {
		title = x.Scenario
	}
	p("# After-action report: %s\n\n", mdText(title))
	if x.Summary != "" {
		p("%s\n\n", mdText(x.Summary))
	}
	mdExercise(bw, r)
	mdScoreSection(bw, r)
	mdObjectives(bw, r)
	mdEvaluatorRatings(bw, r)

	p("## Strengths\n\n")
	mdList(bw, "None: no item was done exactly as the plan expects.", r.Strengths, func(s Strength) string {
		return fmt.Sprintf("%s (%s): %s Events %s.", mdText(r.itemName(s.ItemKind, s.Item)), mdText(r.teamTitle(s.Team)), mdText(s.Detail), seqList(s.Evidence))
	})

	p("## Areas for improvement\n\n")
	mdList(bw, "No gaps.", r.Gaps, func(g Gap) string {
		return fmt.Sprintf("**%s** %s (%s): %s Events %s.", gapName(g.Kind), mdText(r.itemName(g.ItemKind, g.Item)), mdText(r.teamTitle(g.Team)), mdText(g.Detail), seqList(g.Evidence))
	})

	p("## Improvement plan\n\n")
	if len(r.ImprovementPlan) > 0 {
		p("Ordered by the credit each gap lost (weight × (1 − credit)), highest first.\n\n")
	}
	mdTable(bw, "Nothing to correct.", []string{"Capability", "Area for improvement", "Corrective action", "Element", "Responsible", "Teams", "Credit lost", "Due"},
		r.ImprovementPlan, func(c CorrectiveAction) []string {
			return []string{mdText(orDash(CapabilityTitle(c.Capability))), mdText(c.Area), mdText(c.Action), c.Element,
				mdText(r.teamTitle(c.Responsible)), mdText(r.teamTitles(c.Teams)), formatCredit(c.CreditLost), mdText(c.Due)}
		})

	mdObservations(bw, r)
	p("## Notes\n\n")
	mdTable(bw, "No team notes.", []string{"Seq", "Time", "Team", "By", "Note"},
		r.Notes, func(n Note) []string {
			return []string{strconv.FormatInt(n.Seq, 10), HumanTime(time.Duration(n.T)), mdText(r.teamTitle(n.Team)), mdText(orDash(n.Name)), mdText(n.Text)}
		})
	mdDiscussion(bw, r)

	p("## Items\n\n")
	p("| Kind | Item | Team | Status | Triggered | Deadline | Done | By | Answer | Credit | Weight | Gaps |\n")
	p("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, it := range r.Items {
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			it.Kind, mdText(itemTitle(it)), mdText(r.teamTitle(it.Team)), it.Status, HumanTime(time.Duration(it.TriggeredAt)), optHumanTime(it.Deadline), optHumanTime(it.DoneAt),
			mdText(orDash(r.teamTitle(it.By))), mdText(answerString(it)), creditString(it.Credit), formatWeight(it.Weight), orDash(strings.Join(it.Gaps, ", ")))
	}
	p("\n")
	mdLeftOut(bw, r)

	p("## Timeline\n\n")
	p("| Seq | Simulated | Wall | Event | What |\n| --- | --- | --- | --- | --- |\n")
	for _, te := range r.Timeline {
		p("| %d | %s | %s | %s | %s |\n", te.Seq, HumanTime(time.Duration(te.T)), te.Wall.Format(time.RFC3339), te.Kind, mdText(te.Summary))
	}
	return bw.Flush()
}

// mdExercise writes the table that identifies the exercise.
func mdExercise(w io.Writer, r Report) {
	x := r.Exercise
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("| | |\n| --- | --- |\n")
	p("| Exercise | %s |\n", mdCode(x.ID))
	p("| Scenario | %s |\n", mdCode(x.Scenario))
	p("| Plan | %s, version %s%s |\n", mdCode(x.Plan), mdText(orDash(x.PlanVersion)), titleSuffix(x.PlanTitle))
	p("| Mode | %s (%s) |\n", mdText(orDash(x.Mode)), mdText(orDash(x.Kind)))
	p("| Teams in play | %s |\n", mdText(orDash(r.teamTitles(x.TeamsInPlay))))
	p("| Teams that played | %s |\n", mdText(orDash(r.teamTitles(x.TeamsPlayed))))
	p("| Status | %s |\n", x.Status)
	p("| Started | %s |\n", wallString(x.StartedAt))
	p("| Ended | %s |\n", wallString(x.EndedAt))
	p("| Hot wash | %s |\n", hotWashState(x))
	p("| Simulated duration | %s planned, %s played |\n\n", HumanDuration(time.Duration(x.Duration)), HumanDuration(time.Duration(x.Elapsed)))
}

// hotWashState says whether the report is final: the hot wash closed (when), open, or not
// yet begun.
func hotWashState(x ExerciseInfo) string {
	switch {
	case x.ClosedAt != nil:
		return "closed " + wallString(x.ClosedAt) + ": this report is final"
	case x.EndedAt != nil:
		return "open: observations, answers and feedback may still be added until the facilitator closes it"
	}
	return "not yet: the exercise is in progress"
}

// mdScoreSection writes the overall score and the tables by team, capability and phase.
func mdScoreSection(w io.Writer, r Report) {
	fmt.Fprintf(w, "## Scores\n\n")
	if r.Score.Overall != nil {
		fmt.Fprintf(w, "**Overall: %s (%s, %s)**\n\n", formatScore(*r.Score.Overall), *r.Ratings.Overall, ratingName(*r.Ratings.Overall))
	} else {
		fmt.Fprintf(w, "**Overall: nothing was scored.**\n\n")
	}
	fmt.Fprintf(w, "Ratings (HSEEP): P performed without challenges (80 and above), S some challenges (66), M major challenges (50), U unable to perform (below 50).\n\n")
	mdScores(w, "By team", r.Score.ByTeam, r.Ratings.ByTeam, r.teamTitle)
	mdScores(w, "By capability", r.Score.ByCapability, r.Ratings.ByCapability, CapabilityTitle)
	mdScores(w, "By phase", r.Score.ByPhase, r.Ratings.ByPhase, CapabilityTitle)
}

// mdObjectives writes the objectives with their scores and ratings, each followed by its
// capabilities with the automatic rating and the evaluators' beside it.
func mdObjectives(w io.Writer, r Report) {
	if len(r.Objectives) == 0 {
		return
	}
	fmt.Fprintf(w, "## Objectives\n\n")
	mdTable(w, "", []string{"Objective and its capabilities", "Score", "Rating", "Evaluators' median", "Evaluators' P · S · M · U"}, r.objectiveLines(), func(l objectiveLine) []string {
		title, score, median, counts := "**"+mdText(l.Title)+"**", "—", "", ""
		if l.Capability != "" {
			title, median, counts = "↳ "+mdText(l.Title), "—", "—"
		}
		if l.Score != nil {
			score = formatScore(*l.Score)
		}
		if er := l.Evaluators; er != nil {
			median, counts = er.Median, fmt.Sprintf("%d · %d · %d · %d", er.P, er.S, er.M, er.U)
			if er.Disagreement {
				median += " (disagreement)"
			}
		}
		return []string{title, score, orDash(l.Rating), median, counts}
	})
}

// mdObservations writes the evaluators' and facilitators' observations under their
// capabilities.
func mdObservations(w io.Writer, r Report) {
	fmt.Fprintf(w, "## Observations\n\n")
	groups := r.observationGroups()
	if len(groups) == 0 {
		fmt.Fprintf(w, "No facilitator observations.\n\n")
		return
	}
	for _, g := range groups {
		fmt.Fprintf(w, "### %s\n\n", mdText(g.Title))
		mdTable(w, "", []string{"Seq", "Time", "Rating", "By", "Team", "Observation"}, g.Observations, func(o Observation) []string {
			return []string{strconv.FormatInt(o.Seq, 10), HumanTime(time.Duration(o.T)), mdText(orDash(o.Rating)),
				mdText(orDash(o.By)), mdText(orDash(r.teamTitle(o.Team))), mdText(o.Text)}
		})
	}
}

// mdEvaluatorRatings writes the evaluators' ratings beside the automatic ones.
func mdEvaluatorRatings(w io.Writer, r Report) {
	if len(r.EvaluatorRatings) == 0 {
		return
	}
	fmt.Fprintf(w, "## Evaluators' ratings\n\n")
	fmt.Fprintf(w, "| Capability | P | S | M | U | Median | Automatic | |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, c := range sortedKeys(r.EvaluatorRatings) {
		er := r.EvaluatorRatings[c]
		auto, flag := "—", ""
		if er.Automatic != nil {
			auto = *er.Automatic
		}
		if er.Disagreement {
			flag = "**disagreement: two bands apart or more**"
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %s | %s | %s |\n", mdText(CapabilityTitle(c)), er.P, er.S, er.M, er.U, er.Median, auto, flag)
	}
	fmt.Fprintln(w)
}

// mdDiscussion writes the modules and their questions with every answer, the other
// questions' answers, the discussions (unscored decisions) and the participants' feedback.
func mdDiscussion(w io.Writer, r Report) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	inModule := map[string]bool{}
	if len(r.Modules) > 0 {
		p("## Modules\n\n")
		for _, m := range r.Modules {
			p("### %s (from %s)\n\n", mdText(cmp.Or(m.Title, m.Name)), HumanTime(time.Duration(m.At)))
			for _, q := range m.Questions {
				inModule[q.ID] = true
				p("- %s\n", mdText(q.Text))
				for _, a := range q.Answers {
					p("  - %s at %s: %s\n", mdText(r.teamTitle(a.Team)), HumanTime(time.Duration(a.T)), mdText(a.Answer))
				}
			}
			p("\n")
		}
	}
	var others []Answer
	for _, a := range r.Answers {
		if !inModule[a.Question] {
			others = append(others, a)
		}
	}
	if len(others) > 0 {
		p("## Answers to the injects' questions\n\n")
		mdTable(w, "", []string{"Time", "Team", "Question", "Answer"}, others, func(a Answer) []string {
			return []string{HumanTime(time.Duration(a.T)), mdText(r.teamTitle(a.Team)), mdText(cmp.Or(a.QuestionText, a.Question)), mdText(a.Answer)}
		})
	}
	if len(r.Discussions) > 0 {
		p("## Discussions\n\nDecisions put for discussion, not scored.\n\n")
		for _, d := range r.Discussions {
			p("- %s (%s)", mdText(cmp.Or(d.Prompt, d.Decision)), mdCode(d.Inject))
			var parts []string
			for _, t := range sortedKeys(d.Answers) {
				parts = append(parts, r.teamTitle(t)+": "+d.Answers[t])
			}
			p(": %s\n", mdText(orDash(strings.Join(parts, "; "))))
		}
		p("\n")
	}
	mdFeedback(w, r)
}

// mdFeedback writes the participants' feedback forms: each statement's mean rating, then
// the forms' texts by team.
func mdFeedback(w io.Writer, r Report) {
	if len(r.Feedback) == 0 {
		return
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("## Participants' feedback\n\n%d forms. Ratings from 1 (strongly disagree) to 5 (strongly agree), averaged.\n\n", len(r.Feedback))
	mdTable(w, "No statement was rated.", []string{"Statement", "Mean", "Forms"}, r.feedbackMeans(), func(m statementMean) []string {
		return []string{mdText(m.Text), fmt.Sprintf("%.1f", m.Mean), strconv.Itoa(m.Count)}
	})
	for _, tf := range r.feedbackByTeam() {
		p("### %s\n\n", mdText(r.teamTitle(tf.Team)))
		mdTable(w, "", []string{"Name", "Strengths", "Improvements", "Comment"}, tf.Forms, func(f FeedbackEntry) []string {
			return []string{mdText(orDash(f.Name)), mdText(orDash(f.Strengths)), mdText(orDash(f.Improvements)), mdText(orDash(f.Comment))}
		})
	}
}

// mdLeftOut writes what was not scored: not in play, not played, open, not reached.
func mdLeftOut(w io.Writer, r Report) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("## Not in play\n\n")
	if len(r.NotInPlay) == 0 {
		p("Every action of the plan was triggered.\n\n")
	} else {
		p("Never triggered or put, so not scored: %s.\n\n", codeList(r.NotInPlay))
	}
	if len(r.NotPlayed) > 0 {
		p("## Not played\n\nTheir team did not play, so not scored: ")
		parts := make([]string, len(r.NotPlayed))
		for i, np := range r.NotPlayed {
			parts[i] = fmt.Sprintf("%s (%s)", mdText(r.itemName(np.Kind, np.ID)), mdText(r.teamTitle(np.Team)))
		}
		p("%s.\n\n", strings.Join(parts, ", "))
	}
	p("## Open items\n\n")
	if len(r.Open) == 0 {
		p("None.\n\n")
	} else {
		p("Not done, and the exercise stopped before their deadline, so not scored: %s.\n\n", codeList(r.Open))
	}
	if len(r.NotReached) > 0 {
		p("## Injects not reached\n\nNeither delivered nor skipped: %s.\n\n", codeList(r.NotReached))
	}
}

// answerString is an item's answer, marked when it is the default recorded for the team.
func answerString(it Item) string {
	switch {
	case it.Answer == "":
		return "—"
	case it.Defaulted:
		return it.Answer + " (default)"
	}
	return it.Answer
}

// mdList writes a bulleted line for each item, then a blank line; without items it writes the
// sentence none instead.
func mdList[T any](w io.Writer, none string, items []T, line func(T) string) {
	if len(items) == 0 {
		fmt.Fprintf(w, "%s\n\n", none)
		return
	}
	for _, it := range items {
		fmt.Fprintf(w, "- %s\n", line(it))
	}
	fmt.Fprintln(w)
}

// mdTable writes a GitHub table with a row of cells for each item, then a blank line; without
// items it writes the sentence none instead.
func mdTable[T any](w io.Writer, none string, header []string, items []T, cells func(T) []string) {
	if len(items) == 0 {
		fmt.Fprintf(w, "%s\n\n", none)
		return
	}
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(header, " | "), strings.Repeat(" --- |", len(header)))
	for _, it := range items {
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells(it), " | "))
	}
	fmt.Fprintln(w)
}

// mdScores writes one table of scores, each group by its title, with the report's ratings
// beside them, as the HTML page does.
func mdScores(w io.Writer, title string, scores map[string]float64, ratings map[string]string, name func(string) string) {
	if len(scores) == 0 {
		return
	}
	fmt.Fprintf(w, "### %s\n\n| | Score | Rating |\n| --- | --- | --- |\n", title)
	for _, k := range sortedKeys(scores) {
		fmt.Fprintf(w, "| %s | %s | %s |\n", mdText(name(k)), formatScore(scores[k]), ratings[k])
	}
	fmt.Fprintln(w)
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`,
	`|`, `\|`, `#`, `\#`, "\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes free text for a Markdown paragraph or table cell. An underscore inside a
// word (service_desk) cannot start emphasis, so it stays as it is, for whoever reads the
// Markdown as plain text.
func mdText(s string) string {
	s = mdEscaper.Replace(s)
	if !strings.Contains(s, "_") {
		return s
	}
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if c == '_' && (i == 0 || i == len(r)-1 || !isWordRune(r[i-1]) || !isWordRune(r[i+1])) {
			b.WriteString(`\_`)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }

// mdCode writes an identifier (team, action, decision names are HCL identifiers, which hold no
// backtick) as a code span.
func mdCode(s string) string {
	if s == "" {
		return "—"
	}
	return "`" + strings.ReplaceAll(strings.ReplaceAll(s, "`", "'"), "|", `\|`) + "`"
}

func codeList(xs []string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = mdCode(x)
	}
	return strings.Join(out, ", ")
}

func titleSuffix(title string) string {
	if title == "" {
		return ""
	}
	return " (" + mdText(title) + ")"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func wallString(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.Format(time.RFC3339)
}

func creditString(c *float64) string {
	if c == nil {
		return "—"
	}
	return formatCredit(*c)
}

func formatWeight(w float64) string { return speed(w) }

func seqList(seqs []int64) string {
	out := make([]string, len(seqs))
	for i, s := range seqs {
		out[i] = fmt.Sprintf("#%d", s)
	}
	return strings.Join(out, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ratingName is the HSEEP meaning of a rating.
func ratingName(r string) string {
	switch r {
	case RatingP:
		return "performed without challenges"
	case RatingS:
		return "performed with some challenges"
	case RatingM:
		return "performed with major challenges"
	case RatingU:
		return "unable to be performed"
	}
	return r
}

// gapName is a gap kind as a reader says it.
func gapName(kind string) string {
	switch kind {
	case GapMissed:
		return "Missed"
	case GapLate:
		return "Late"
	case GapWrongOwner:
		return "Wrong owner"
	case GapOutOfOrder:
		return "Out of order"
	case GapWrongChoice:
		return "Wrong choice"
	case GapPrompted:
		return "Prompted"
	case GapPartial:
		return "Partial"
	}
	return kind
}
