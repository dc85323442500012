package web

import (
	"slices"

	"github.com/ttx-dev/ttx/engine"
)

// participantSees reports whether a participant of team may see e, in an exercise of mode
// whose teams in play are inPlay (protocol.md, v2 "Participants are not handed the answer
// key"). It holds on its own: a kind it does not name is never shown to a participant, and
// in evaluation mode no action_triggered is, whatever the engine's visibility says; within
// those bounds engine.Event.VisibleTo decides (the team's own feed).
func participantSees(e engine.Event, team, mode string, inPlay []string) bool {
	switch e.Kind {
	case engine.KindActionTriggered:
		// Evaluation mode hides which plan actions the scenario started and when they fall
		// due; training shows a team its own, as a learning aid.
		return mode == engine.ModeTraining && e.Team == team && e.VisibleTo(team)
	case engine.KindExerciseStarted, engine.KindClock, engine.KindSeverityChanged, engine.KindExerciseEnded,
		engine.KindInjectDelivered, engine.KindEscalation, engine.KindActionRecorded,
		engine.KindDecisionAnswered, engine.KindNote:
		return e.VisibleTo(team)
	case engine.KindExerciseClosed:
		return true
	case engine.KindDecisionDefaulted, engine.KindAnswerRecorded:
		return e.Team == team
	case engine.KindModuleStarted:
		return slices.Contains(inPlay, team)
	default:
		// inject_skipped, inject_held, inject_released, observation, team_joined,
		// team_marked_played, feedback_recorded and anything new: facilitators only.
		return false
	}
}
