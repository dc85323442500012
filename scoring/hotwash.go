package scoring

import (
	"cmp"
	"math"
	"slices"

	"github.com/ttx-dev/ttx/engine"
)

// What the human forms of a report (HTML, Markdown, CSV) show of the evaluation and the hot
// wash, computed once here from the report so that every form shows the same: the objectives
// with the evaluators' ratings beside the automatic ones, the observations under their
// capabilities, and the feedback forms averaged and listed by team.

// FeedbackStatementTexts are the statements of HSEEP's participant feedback form, by the key
// of engine.FeedbackStatements.
var FeedbackStatementTexts = map[string]string{
	"structured":    "The exercise was well structured and organised.",
	"realistic":     "The scenario was realistic.",
	"facilitated":   "The facilitation kept the exercise on target.",
	"right_people":  "The right people took part.",
	"understanding": "The exercise increased my understanding of our plan and resources.",
	"decisions":     "The exercise let us make the significant decisions.",
}

// objectiveLine is one line of the objectives' table: an objective (Capability "") with its
// score and rating, or one of its capabilities with its automatic score and rating and the
// evaluators' ratings of it.
type objectiveLine struct {
	Objective  string // the objective's name
	Capability string // "" on the objective's own line
	Title      string
	Score      *float64
	Rating     string
	Evaluators *EvaluatorRating
}

// objectiveLines are the objectives, each followed by its capabilities.
func (r Report) objectiveLines() []objectiveLine {
	var out []objectiveLine
	for _, o := range r.Objectives {
		line := objectiveLine{Objective: o.Name, Title: cmp.Or(o.Title, o.Name), Rating: r.Ratings.ByObjective[o.Name]}
		if v, ok := r.Score.ByObjective[o.Name]; ok {
			line.Score = &v
		}
		out = append(out, line)
		for _, c := range o.Capabilities {
			cl := objectiveLine{Objective: o.Name, Capability: c, Title: CapabilityTitle(c), Rating: r.Ratings.ByCapability[c]}
			if v, ok := r.Score.ByCapability[c]; ok {
				cl.Score = &v
			}
			if er, ok := r.EvaluatorRatings[c]; ok {
				cl.Evaluators = &er
			}
			out = append(out, cl)
		}
	}
	return out
}

// observationGroup is the observations of one capability ("" for those that name none).
type observationGroup struct {
	Capability   string
	Title        string
	Observations []Observation
}

// observationGroups are the observations under their capabilities: those of the objectives'
// capabilities first, in the objectives' order, then the others in the order first observed,
// then those that name no capability; each group in log order.
func (r Report) observationGroups() []observationGroup {
	var order []string
	add := func(c string) {
		if !slices.Contains(order, c) {
			order = append(order, c)
		}
	}
	for _, o := range r.Objectives {
		for _, c := range o.Capabilities {
			add(c)
		}
	}
	for _, o := range r.Observations {
		if o.Capability != "" {
			add(o.Capability)
		}
	}
	add("")
	var out []observationGroup
	for _, c := range order {
		g := observationGroup{Capability: c, Title: CapabilityTitle(c)}
		if c == "" {
			g.Title = NoCapabilityTitle
		}
		for _, o := range r.Observations {
			if o.Capability == c {
				g.Observations = append(g.Observations, o)
			}
		}
		if len(g.Observations) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// statementMean is the mean rating of one statement of the feedback form.
type statementMean struct {
	Statement string
	Text      string
	Mean      float64 // to one decimal
	Count     int     // the forms that rated it
}

// feedbackMeans are the feedback form's statements, in the form's order, each with the mean
// of its ratings; a statement nobody rated is left out.
func (r Report) feedbackMeans() []statementMean {
	var out []statementMean
	for _, k := range engine.FeedbackStatements {
		sum, n := 0, 0
		for _, f := range r.Feedback {
			if v, ok := f.Ratings[k]; ok {
				sum, n = sum+v, n+1
			}
		}
		if n > 0 {
			out = append(out, statementMean{Statement: k, Text: FeedbackStatementTexts[k],
				Mean: math.Round(float64(sum)*10/float64(n)) / 10, Count: n})
		}
	}
	return out
}

// teamFeedback is the feedback forms of one team.
type teamFeedback struct {
	Team  string
	Forms []FeedbackEntry
}

// feedbackByTeam are the feedback forms by team, the teams in plan order, each team's forms
// in log order.
func (r Report) feedbackByTeam() []teamFeedback {
	var out []teamFeedback
	seen := map[string]bool{}
	var order []string
	for _, t := range r.Exercise.Teams {
		order = append(order, t.Name)
	}
	for _, f := range r.Feedback {
		if !slices.Contains(order, f.Team) {
			order = append(order, f.Team)
		}
	}
	for _, team := range order {
		if seen[team] {
			continue
		}
		seen[team] = true
		tf := teamFeedback{Team: team}
		for _, f := range r.Feedback {
			if f.Team == team {
				tf.Forms = append(tf.Forms, f)
			}
		}
		if len(tf.Forms) > 0 {
			out = append(out, tf)
		}
	}
	return out
}
