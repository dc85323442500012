package scoring

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// FormatMarkdown writes the report as a Markdown document (GitHub-flavoured tables). Free
// text from the scenario and the participants is escaped so that it reads as text.
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
	p("| | |\n| --- | --- |\n")
	p("| Exercise | %s |\n", mdCode(x.ID))
	p("| Scenario | %s |\n", mdCode(x.Scenario))
	p("| Plan | %s, version %s%s |\n", mdCode(x.Plan), mdText(orDash(x.PlanVersion)), titleSuffix(x.PlanTitle))
	var teams []string
	for _, t := range x.Teams {
		teams = append(teams, mdCode(t.Name)+titleSuffix(t.Title))
	}
	p("| Teams | %s |\n", strings.Join(teams, ", "))
	p("| Status | %s |\n", x.Status)
	p("| Started | %s |\n", wallString(x.StartedAt))
	p("| Ended | %s |\n", wallString(x.EndedAt))
	p("| Simulated duration | %s planned, %s played |\n\n", x.Duration, x.Elapsed)

	p("## Scores\n\n")
	if r.Score.Overall != nil {
		p("**Overall: %s (%s, %s)**\n\n", formatScore(*r.Score.Overall), *r.Ratings.Overall, ratingName(*r.Ratings.Overall))
	} else {
		p("**Overall: nothing was scored.**\n\n")
	}
	p("Ratings (HSEEP): P performed without challenges (80 and above), S some challenges (66), M major challenges (50), U unable to perform (below 50).\n\n")
	mdScores(bw, "By team", r.Score.ByTeam, r.Ratings.ByTeam)
	mdScores(bw, "By capability", r.Score.ByCapability, r.Ratings.ByCapability)
	mdScores(bw, "By phase", r.Score.ByPhase, r.Ratings.ByPhase)

	p("## Strengths\n\n")
	mdList(bw, "None: no item was done exactly as the plan expects.", r.Strengths, func(s Strength) string {
		return fmt.Sprintf("%s (%s): %s Events %s.", mdCode(s.Item), mdCode(s.Team), mdText(s.Detail), seqList(s.Evidence))
	})

	p("## Areas for improvement\n\n")
	mdList(bw, "No gaps.", r.Gaps, func(g Gap) string {
		return fmt.Sprintf("**%s** %s (%s): %s Events %s.", gapName(g.Kind), mdCode(g.Item), mdCode(g.Team), mdText(g.Detail), seqList(g.Evidence))
	})

	p("## Improvement plan\n\n")
	mdTable(bw, "Nothing to correct.", []string{"Capability", "Area for improvement", "Corrective action", "Element", "Responsible", "Due"},
		r.ImprovementPlan, func(c CorrectiveAction) []string {
			return []string{mdText(orDash(c.Capability)), mdText(c.Area), mdText(c.Action), c.Element, mdCode(c.Responsible), mdText(c.Due)}
		})

	p("## Observations\n\n")
	mdTable(bw, "No facilitator observations.", []string{"Seq", "Time", "Rating", "Capability", "Observation"},
		r.Observations, func(o Observation) []string {
			return []string{strconv.FormatInt(o.Seq, 10), o.T.String(), mdText(orDash(o.Rating)), mdText(orDash(o.Capability)), mdText(o.Text)}
		})
	p("## Notes\n\n")
	mdTable(bw, "No team notes.", []string{"Seq", "Time", "Team", "By", "Note"},
		r.Notes, func(n Note) []string {
			return []string{strconv.FormatInt(n.Seq, 10), n.T.String(), mdCode(n.Team), mdText(orDash(n.Name)), mdText(n.Text)}
		})

	p("## Items\n\n")
	p("| Kind | Item | Team | Status | Triggered | Deadline | Done | By | Answer | Credit | Weight | Gaps |\n")
	p("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, it := range r.Items {
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			it.Kind, mdCode(it.ID), mdCode(it.Team), it.Status, it.TriggeredAt, durString(it.Deadline), durString(it.DoneAt),
			mdText(orDash(it.By)), mdText(orDash(it.Answer)), creditString(it.Credit), formatWeight(it.Weight), orDash(strings.Join(it.Gaps, ", ")))
	}
	p("\n")
	p("## Not in play\n\n")
	if len(r.NotInPlay) == 0 {
		p("Every action of the plan was triggered.\n\n")
	} else {
		p("Never triggered, so not scored: %s.\n\n", codeList(r.NotInPlay))
	}
	p("## Open items\n\n")
	if len(r.Open) == 0 {
		p("None.\n\n")
	} else {
		p("Not done, and the exercise stopped before their deadline, so not scored: %s.\n\n", codeList(r.Open))
	}

	p("## Timeline\n\n")
	p("| Seq | Simulated | Wall | Event | What |\n| --- | --- | --- | --- | --- |\n")
	for _, te := range r.Timeline {
		p("| %d | %s | %s | %s | %s |\n", te.Seq, te.T, te.Wall.Format(time.RFC3339), te.Kind, mdText(te.Summary))
	}
	return bw.Flush()
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

// mdScores writes one table of scores with the report's ratings beside them, as the HTML
// page does.
func mdScores(w io.Writer, title string, scores map[string]float64, ratings map[string]string) {
	if len(scores) == 0 {
		return
	}
	fmt.Fprintf(w, "### %s\n\n| | Score | Rating |\n| --- | --- | --- |\n", title)
	for _, k := range sortedKeys(scores) {
		fmt.Fprintf(w, "| %s | %s | %s |\n", mdCode(k), formatScore(scores[k]), ratings[k])
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

func durString(d *Duration) string {
	if d == nil {
		return "—"
	}
	return d.String()
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
	}
	return kind
}
