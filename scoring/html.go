package scoring

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var reportHTML string

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"score":      formatScore,
	"credit":     creditString,
	"weight":     formatWeight,
	"dur":        durString,
	"wall":       wallString,
	"rfc3339":    func(t time.Time) string { return t.Format(time.RFC3339) },
	"ratingName": ratingName,
	"gapName":    gapName,
	"join":       strings.Join,
	"count":      count,
	"keys":       sortedKeys[float64],
	"deref":      func(s *string) string { return *s },
	"derefF":     func(f *float64) float64 { return *f },
	"groupArgs": func(title string, scores map[string]float64, ratings map[string]string) htmlGroup {
		return htmlGroup{title, scores, ratings}
	},
}).Parse(reportHTML))

// count returns n with the noun, pluralised with an s unless n is 1: "1 gap", "3 gaps".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// htmlPage is what the report template renders.
type htmlPage struct {
	Report
	Title           string
	TeamChart       template.HTML
	CapabilityChart template.HTML
	PhaseChart      template.HTML
	TimelineSVG     template.HTML
}

// htmlGroup is one table of scores (by team, capability or phase).
type htmlGroup struct {
	Title   string
	Scores  map[string]float64
	Ratings map[string]string
}

// FormatHTML writes the report as one self-contained HTML page, the one a continuity manager
// prints and hands to the board: summary, score charts, strengths, areas for improvement with
// their evidence, the improvement plan, observations and notes, items not in play and open,
// and the timeline. It loads nothing from the network; the charts are inline SVG built from
// escaped text, and every scenario and participant string goes through html/template.
func FormatHTML(w io.Writer, r Report) error {
	title := r.Exercise.ScenarioTitle
	if title == "" {
		title = r.Exercise.Scenario
	}
	page := htmlPage{
		Report:          r,
		Title:           title,
		TeamChart:       template.HTML(ScoreChart("Score by team", r.Score.ByTeam)),
		CapabilityChart: template.HTML(ScoreChart("Score by capability", r.Score.ByCapability)),
		PhaseChart:      template.HTML(ScoreChart("Score by phase", r.Score.ByPhase)),
		TimelineSVG:     template.HTML(TimelineChart(r)),
	}
	return reportTemplate.Execute(w, page)
}
