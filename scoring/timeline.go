package scoring

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// timelineEntry turns one event into a timeline entry with the names it concerns and a
// one-line summary a reader of the report understands without the log's vocabulary.
func (s *scoring) timelineEntry(e engine.Event) TimelineEntry {
	te := TimelineEntry{
		Seq: e.Seq, T: Duration(e.T), Wall: e.Wall.UTC(), Kind: e.Kind,
		Inject: e.Inject, Action: e.Action, Decision: e.Decision, Team: e.Team, Name: e.Name,
		To: e.To, Option: e.Option, Severity: e.Severity, Clock: e.Clock, Speed: e.Speed,
		Text: e.Text, Rating: e.Rating, Capability: e.Capability, Reason: e.Reason,
		Module: e.Module, Question: e.Question, Mode: e.Mode, By: e.By,
	}
	if e.Kind == engine.KindExerciseStarted && len(e.Teams) > 0 {
		te.To = e.Teams
	}
	if e.Kind == engine.KindActionTriggered {
		te.Due = durPtr(e.Due)
	}
	if e.AdHoc != nil {
		te.Subject = e.AdHoc.Subject
	} else if inj := s.injects[e.Inject]; inj != nil && e.Inject != "" {
		te.Subject = inj.Subject
		if te.Decision == "" && inj.Decision != nil {
			te.Decision = inj.Decision.Name
		}
	}
	te.Summary = s.summary(e, te.Subject)
	return te
}

func (s *scoring) summary(e engine.Event, subject string) string {
	to := strings.Join(e.To, ", ")
	switch e.Kind {
	case engine.KindExerciseStarted:
		mode := ""
		if e.Mode != "" {
			mode = " in " + e.Mode + " mode"
		}
		if e.Speed > 0 {
			return fmt.Sprintf("Exercise started%s at speed %s×", mode, speed(e.Speed))
		}
		return "Exercise started" + mode
	case engine.KindClock:
		switch e.Clock {
		case engine.ClockSpeed:
			return fmt.Sprintf("Clock speed set to %s×", speed(e.Speed))
		case engine.ClockAdvanced:
			return "Clock advanced to the next inject"
		case engine.ClockPaused:
			if e.Reason != "" {
				return "Clock paused: " + e.Reason
			}
			return "Clock paused"
		case engine.ClockResumed:
			return "Clock resumed"
		}
		return "Clock " + e.Clock
	case engine.KindInjectDelivered:
		if e.AdHoc != nil {
			return fmt.Sprintf("Ad-hoc inject to %s: %s", to, subject)
		}
		return fmt.Sprintf("Inject %s to %s: %s", e.Inject, to, subject)
	case engine.KindInjectSkipped:
		if e.Reason != "" {
			return fmt.Sprintf("Inject %s skipped: %s", e.Inject, e.Reason)
		}
		return fmt.Sprintf("Inject %s skipped", e.Inject)
	case engine.KindInjectHeld:
		return fmt.Sprintf("Inject %s held back by the facilitator", e.Inject)
	case engine.KindInjectReleased:
		return fmt.Sprintf("Inject %s released by the facilitator", e.Inject)
	case engine.KindInjectRescheduled:
		return fmt.Sprintf("Inject %s rescheduled by the facilitator to %s", e.Inject, e.Due)
	case engine.KindSeverityChanged:
		for _, sv := range s.plan.Severities {
			if sv.Name == e.Severity && sv.Title != "" {
				return fmt.Sprintf("Severity now %s (%s)", e.Severity, sv.Title)
			}
		}
		return "Severity now " + e.Severity
	case engine.KindActionTriggered:
		return fmt.Sprintf("Action %s triggered for %s, due within %s", e.Action, e.Team, scenarios.ShortDuration(e.Due))
	case engine.KindActionRecorded:
		return fmt.Sprintf("%s recorded action %s", e.Team, e.Action)
	case engine.KindDecisionAnswered:
		return fmt.Sprintf("%s answered decision %s: %s", e.Team, e.Decision, e.Option)
	case engine.KindEscalation:
		return fmt.Sprintf("%s escalated to %s: %s", e.Team, to, e.Text)
	case engine.KindNote:
		return fmt.Sprintf("Note from %s: %s", e.Team, e.Text)
	case engine.KindObservation:
		return fmt.Sprintf("Observation (%s%s): %s", e.Rating, capabilitySuffix(e.Capability), e.Text)
	case engine.KindExerciseEnded:
		if e.Reason != "" {
			return "Exercise ended: " + e.Reason
		}
		return "Exercise ended"
	case engine.KindDecisionDefaulted:
		return fmt.Sprintf("%s did not answer decision %s in time: its default %s was recorded", e.Team, e.Decision, e.Option)
	case engine.KindModuleStarted:
		return "Module started: " + e.Module
	case engine.KindAnswerRecorded:
		return fmt.Sprintf("%s answered question %s: %s", e.Team, e.Question, e.Text)
	case engine.KindTeamJoined:
		return fmt.Sprintf("%s joined", e.Team)
	case engine.KindTeamMarkedPlayed:
		return fmt.Sprintf("%s marked as played by the facilitator", e.Team)
	case engine.KindFeedbackRecorded:
		return fmt.Sprintf("Feedback from %s", e.Team)
	case engine.KindExerciseClosed:
		return "Exercise closed"
	}
	return e.Kind
}

func speed(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func capabilitySuffix(c string) string {
	if c == "" {
		return ""
	}
	return ", " + c
}
