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
	"wall":       wallString,
	"rfc3339":    func(t time.Time) string { return t.Format(time.RFC3339) },
	"ratingName": ratingName,
	"gapName":    gapName,
	"join":       strings.Join,
	"count":      count,
	"keys":       sortedKeys[float64],
	"keysER":     sortedKeys[EvaluatorRating],
	"keysS":      sortedKeys[string],
	"deref":      func(s *string) string { return *s },
	"derefF":     func(f *float64) float64 { return *f },
	"capTitle":   CapabilityTitle,
	"at":         func(d Duration) string { return HumanTime(time.Duration(d)) },
	"atp":        optHumanTime,
	"span":       func(d Duration) string { return HumanDuration(time.Duration(d)) },
	"credit2":    formatCredit,
	"answer":     answerString,
	"mean":       func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"hotWash":    hotWashState,
	"groupArgs": func(title string, scores map[string]float64, ratings map[string]string, name func(string) string) htmlGroup {
		return htmlGroup{title, scores, ratings, name}
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
	Title string
	// InjectAnswers are the answers to questions put by injects rather than modules.
	InjectAnswers []Answer
	// The evaluation and the hot wash, as every human form shows them (hotwash.go).
	ObjectiveLines    []objectiveLine
	ObservationGroups []observationGroup
	FeedbackMeans     []statementMean
	FeedbackByTeam    []teamFeedback
	// TeamTitle names a team by its title, for the template's tables of scores.
	TeamTitle       func(string) string
	CapTitle        func(string) string
	TeamChart       template.HTML
	CapabilityChart template.HTML
	PhaseChart      template.HTML
	TimelineSVG     template.HTML
}

// htmlGroup is one table of scores (by team, capability or phase), each group named by Name.
type htmlGroup struct {
	Title   string
	Scores  map[string]float64
	Ratings map[string]string
	Name    func(string) string
}

// Team is a team's title, for the template.
func (p htmlPage) Team(name string) string { return p.teamTitle(name) }

// Teams are teams' titles, separated by commas, for the template.
func (p htmlPage) Teams(names []string) string { return p.teamTitles(names) }

// Item is an item's title, for the template.
func (p htmlPage) Item(kind, id string) string { return p.itemName(kind, id) }

// injectAnswers are the answers to questions no module put.
func injectAnswers(r Report) []Answer {
	inModule := map[string]bool{}
	for _, m := range r.Modules {
		for _, q := range m.Questions {
			inModule[q.ID] = true
		}
	}
	var out []Answer
	for _, a := range r.Answers {
		if !inModule[a.Question] {
			out = append(out, a)
		}
	}
	return out
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
		Report:            r,
		Title:             title,
		InjectAnswers:     injectAnswers(r),
		ObjectiveLines:    r.objectiveLines(),
		ObservationGroups: r.observationGroups(),
		FeedbackMeans:     r.feedbackMeans(),
		FeedbackByTeam:    r.feedbackByTeam(),
		TeamTitle:         r.teamTitle,
		CapTitle:          CapabilityTitle,
		TeamChart:         template.HTML(ReportCharts["team"](r)),
		CapabilityChart:   template.HTML(ReportCharts["capability"](r)),
		PhaseChart:        template.HTML(ReportCharts["phase"](r)),
		TimelineSVG:       template.HTML(ReportCharts["timeline"](r)),
	}
	return reportTemplate.Execute(w, page)
}
