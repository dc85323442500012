package engine

import "slices"

// VisibleTo reports whether a participant of team in the exercise rec may see e (protocol.md):
// the events addressed to its team or to everyone. inject_skipped, observation, inject_held and
// inject_released are for facilitators only; so are (v2) team_joined, team_marked_played,
// feedback_recorded and exercise_closed. (v2) In evaluation mode no action_triggered reaches a
// participant; in training mode a team sees its own. A module_started reaches every team in
// play (rec.Teams; every team when it is empty).
func (e Event) VisibleTo(team string, rec ExerciseRecord) bool {
	switch e.Kind {
	case KindExerciseStarted, KindClock, KindSeverityChanged, KindExerciseEnded:
		return true
	case KindInjectDelivered:
		return slices.Contains(e.To, team)
	case KindEscalation:
		return e.Team == team || slices.Contains(e.To, team)
	case KindActionTriggered:
		return rec.Mode != ModeEvaluation && e.Team == team
	case KindActionRecorded, KindDecisionAnswered, KindNote, KindDecisionDefaulted, KindAnswerRecorded:
		return e.Team == team
	case KindModuleStarted:
		return len(rec.Teams) == 0 || slices.Contains(rec.Teams, team)
	default:
		return false
	}
}
