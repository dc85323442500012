package scoring

import (
	"slices"

	"github.com/ttx-dev/ttx/engine"
)

// This file holds the v2 parts of the report that stand beside the automatic scores: the
// objectives, the modules and their discussion questions, the teams' answers, the
// participants' feedback and the evaluators' ratings.

// answerOf is the report's form of an answer_recorded event.
func (s *scoring) answerOf(e engine.Event) Answer {
	return Answer{Question: e.Question, QuestionText: s.texts[e.Question], Team: e.Team, Name: e.Name,
		Answer: e.Text, T: Duration(e.T), Seq: e.Seq}
}

func feedbackOf(e engine.Event) FeedbackEntry {
	fe := FeedbackEntry{Team: e.Team, Name: e.Name, Ratings: map[string]int{}}
	if fb := e.Feedback; fb != nil {
		for k, v := range fb.Ratings {
			fe.Ratings[k] = v
		}
		fe.Strengths, fe.Improvements, fe.Comment = fb.Strengths, fb.Improvements, fb.Comment
	}
	return fe
}

// objectives lists the scenario's objectives in file order.
func (s *scoring) objectives() []ObjectiveInfo {
	out := []ObjectiveInfo{}
	for _, o := range s.sc.Objectives {
		out = append(out, ObjectiveInfo{Name: o.Name, Title: o.Title, Capabilities: append([]string{}, o.Capabilities...)})
	}
	return out
}

// modules lists the scenario's modules with their questions and every answer to each.
func (s *scoring) modules() []ModuleInfo {
	out := []ModuleInfo{}
	for _, mod := range s.sc.Modules {
		mi := ModuleInfo{Name: mod.Name, Title: mod.Title, At: Duration(mod.At), Questions: []QuestionInfo{}}
		for _, q := range mod.Questions {
			mi.Questions = append(mi.Questions, QuestionInfo{ID: q.ID, Text: q.Text, Answers: append([]Answer{}, s.replies[q.ID]...)})
		}
		out = append(out, mi)
	}
	return out
}

// ratingsInOrder are the HSEEP ratings from the lowest: U < M < S < P.
var ratingsInOrder = []string{RatingU, RatingM, RatingS, RatingP}

// ratingRank is r's place in ratingsInOrder, and false for a text that is not a rating.
func ratingRank(r string) (int, bool) {
	i := slices.Index(ratingsInOrder, r)
	return i, i >= 0
}

// evaluatorRatings counts, for each capability an observation with a rating names, the
// ratings given, their median (the lower middle one of an even count) and whether it is two
// bands or more from the automatic rating (scoring.md, "Evaluators' ratings").
func evaluatorRatings(obs []Observation, automatic map[string]string) map[string]EvaluatorRating {
	counts := map[string]*[4]int{}
	for _, o := range obs {
		rank, ok := ratingRank(o.Rating)
		if o.Capability == "" || !ok {
			continue
		}
		if counts[o.Capability] == nil {
			counts[o.Capability] = &[4]int{}
		}
		counts[o.Capability][rank]++
	}
	out := map[string]EvaluatorRating{}
	for capability, c := range counts {
		er := EvaluatorRating{U: c[0], M: c[1], S: c[2], P: c[3]}
		n := c[0] + c[1] + c[2] + c[3]
		middle := (n - 1) / 2 // the lower middle one, counted from 0 in ascending order
		for rank, k := range c {
			if middle < k {
				er.Median = ratingsInOrder[rank]
				break
			}
			middle -= k
		}
		if a, ok := automatic[capability]; ok {
			er.Automatic = &a
			ra, _ := ratingRank(a)
			rm, _ := ratingRank(er.Median)
			d := ra - rm
			er.Disagreement = d >= 2 || d <= -2
		}
		out[capability] = er
	}
	return out
}
