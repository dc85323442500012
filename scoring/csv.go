package scoring

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ttx-dev/ttx/engine"
)

// CSV tables FormatCSV can write.
const (
	CSVItems    = "items"
	CSVTimeline = "timeline"
	// (v2) The evaluation and the hot wash.
	CSVObjectives   = "objectives"   // one row per objective and per capability of it
	CSVObservations = "observations" // one row per observation
	CSVAnswers      = "answers"      // one row per answer to a discussion question
	CSVFeedback     = "feedback"     // one row per participant's feedback form
)

// CSVTables are the tables FormatCSV writes, in the order the pages offer them. Write's
// format for table T is "csv-T" ("csv" alone is CSVItems).
var CSVTables = []string{CSVItems, CSVTimeline, CSVObjectives, CSVObservations, CSVAnswers, CSVFeedback}

// FormatCSV writes one table of the report as CSV: CSVItems, one row per item, or
// CSVTimeline, one row per event. It keeps names and Go durations, for the scripts that read
// it, with title columns beside the names (scoring.md v2). Cells that a spreadsheet would run
// as a formula (starting with = + - @) are prefixed with a quote, since they hold
// participants' text.
func FormatCSV(w io.Writer, r Report, table string) error {
	cw := csv.NewWriter(w)
	switch table {
	case CSVItems, "":
		_ = cw.Write([]string{"kind", "id", "title", "team", "team_title", "capability", "capability_title", "phase", "status",
			"triggered_at", "deadline", "done_at", "by", "by_title", "answer", "defaulted", "expected", "credit", "weight", "gaps", "evidence"})
		for _, it := range r.Items {
			credit := ""
			if it.Credit != nil {
				credit = formatCredit(*it.Credit)
			}
			_ = cw.Write(safeCells(it.Kind, it.ID, it.Title, it.Team, r.teamTitle(it.Team), it.Capability, CapabilityTitle(it.Capability), it.Phase, it.Status,
				it.TriggeredAt.String(), optDur(it.Deadline), optDur(it.DoneAt), it.By, titleOrEmpty(it.By, r.teamTitle), it.Answer, strconv.FormatBool(it.Defaulted), it.Expected,
				credit, formatWeight(it.Weight), strings.Join(it.Gaps, ";"), seqCells(it.Evidence)))
		}
	case CSVTimeline:
		_ = cw.Write([]string{"seq", "t", "wall", "kind", "team", "team_title", "name", "inject", "action", "decision",
			"option", "to", "severity", "summary"})
		for _, te := range r.Timeline {
			_ = cw.Write(safeCells(strconv.FormatInt(te.Seq, 10), te.T.String(), te.Wall.Format(time.RFC3339Nano),
				te.Kind, te.Team, titleOrEmpty(te.Team, r.teamTitle), te.Name, te.Inject, te.Action, te.Decision, te.Option, strings.Join(te.To, ";"),
				te.Severity, te.Summary))
		}
	case CSVObjectives:
		csvObjectives(cw, r)
	case CSVObservations:
		_ = cw.Write([]string{"seq", "t", "wall", "capability", "capability_title", "rating", "by", "team", "team_title", "text"})
		for _, g := range r.observationGroups() {
			for _, o := range g.Observations {
				_ = cw.Write(safeCells(strconv.FormatInt(o.Seq, 10), o.T.String(), o.Wall.Format(time.RFC3339Nano), o.Capability,
					titleOrEmpty(o.Capability, CapabilityTitle), o.Rating, o.By, o.Team, titleOrEmpty(o.Team, r.teamTitle), o.Text))
			}
		}
	case CSVAnswers:
		_ = cw.Write([]string{"seq", "t", "module", "question", "question_text", "team", "team_title", "name", "answer"})
		module := map[string]string{}
		for _, m := range r.Modules {
			for _, q := range m.Questions {
				module[q.ID] = m.Name
			}
		}
		for _, a := range r.Answers {
			_ = cw.Write(safeCells(strconv.FormatInt(a.Seq, 10), a.T.String(), module[a.Question], a.Question, a.QuestionText,
				a.Team, r.teamTitle(a.Team), a.Name, a.Answer))
		}
	case CSVFeedback:
		csvFeedback(cw, r)
	default:
		quoted := make([]string, len(CSVTables))
		for i, t := range CSVTables {
			quoted[i] = strconv.Quote(t)
		}
		return fmt.Errorf("unknown CSV table %q: choose %s", table, strings.Join(quoted, ", "))
	}
	cw.Flush()
	return cw.Error()
}

func titleOrEmpty(name string, title func(string) string) string {
	if name == "" {
		return ""
	}
	return title(name)
}

func optDur(d *Duration) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func seqCells(seqs []int64) string {
	out := make([]string, len(seqs))
	for i, s := range seqs {
		out[i] = strconv.FormatInt(s, 10)
	}
	return strings.Join(out, ";")
}

func safeCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// csvObjectives writes the objectives' table: the objective's own row (capability empty),
// then a row per capability with the evaluators' ratings beside the automatic one.
func csvObjectives(cw *csv.Writer, r Report) {
	_ = cw.Write([]string{"objective", "objective_title", "capability", "capability_title", "score", "rating",
		"evaluators_median", "evaluators_P", "evaluators_S", "evaluators_M", "evaluators_U", "disagreement"})
	titles := map[string]string{}
	for _, o := range r.Objectives {
		titles[o.Name] = o.Title
	}
	for _, l := range r.objectiveLines() {
		score := ""
		if l.Score != nil {
			score = formatScore(*l.Score)
		}
		row := []string{l.Objective, titles[l.Objective], l.Capability, titleOrEmpty(l.Capability, CapabilityTitle), score, l.Rating}
		if er := l.Evaluators; er != nil {
			row = append(row, er.Median, strconv.Itoa(er.P), strconv.Itoa(er.S), strconv.Itoa(er.M), strconv.Itoa(er.U), strconv.FormatBool(er.Disagreement))
		} else {
			row = append(row, "", "", "", "", "", "")
		}
		_ = cw.Write(safeCells(row...))
	}
}

// csvFeedback writes one row per feedback form, by team, with a column per statement of the
// form, then a last row "mean" with each statement's mean.
func csvFeedback(cw *csv.Writer, r Report) {
	header := []string{"team", "team_title", "name"}
	header = append(header, engine.FeedbackStatements...)
	_ = cw.Write(append(header, "strengths", "improvements", "comment"))
	for _, tf := range r.feedbackByTeam() {
		for _, f := range tf.Forms {
			row := []string{f.Team, r.teamTitle(f.Team), f.Name}
			for _, k := range engine.FeedbackStatements {
				if v, ok := f.Ratings[k]; ok {
					row = append(row, strconv.Itoa(v))
				} else {
					row = append(row, "")
				}
			}
			_ = cw.Write(safeCells(append(row, f.Strengths, f.Improvements, f.Comment)...))
		}
	}
	if len(r.Feedback) == 0 {
		return
	}
	means := map[string]string{}
	for _, m := range r.feedbackMeans() {
		means[m.Statement] = strconv.FormatFloat(m.Mean, 'f', 1, 64)
	}
	row := []string{"", "", "mean"}
	for _, k := range engine.FeedbackStatements {
		row = append(row, means[k])
	}
	_ = cw.Write(append(row, "", "", ""))
}
