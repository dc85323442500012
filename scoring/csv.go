package scoring

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// CSV tables FormatCSV can write.
const (
	CSVItems    = "items"
	CSVTimeline = "timeline"
)

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
	default:
		return fmt.Errorf("unknown CSV table %q: choose %q or %q", table, CSVItems, CSVTimeline)
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
