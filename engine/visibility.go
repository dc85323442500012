package engine

import "slices"

// VisibleTo reports whether a participant of team may see e (protocol.md): the events
// addressed to its team or to everyone. inject_skipped, observation, inject_held and
// inject_released are for facilitators only.
func (e Event) VisibleTo(team string) bool {
	switch e.Kind {
	case KindExerciseStarted, KindClock, KindSeverityChanged, KindExerciseEnded:
		return true
	case KindInjectDelivered:
		return slices.Contains(e.To, team)
	case KindEscalation:
		return e.Team == team || slices.Contains(e.To, team)
	case KindActionTriggered, KindActionRecorded, KindDecisionAnswered, KindNote:
		return e.Team == team
	default:
		return false
	}
}
