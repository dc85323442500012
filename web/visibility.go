package web

import (
	"github.com/ttx-dev/ttx/engine"
)

// participantSees reports whether a participant of team may see e in the exercise rec
// (protocol.md, v2 "Participants are not handed the answer key"). engine.Event.VisibleTo
// decides, within bounds the web keeps on its own: a kind not named here never reaches a
// participant, and in evaluation mode no action_triggered does, whatever the engine says.
func participantSees(e engine.Event, team string, rec engine.ExerciseRecord) bool {
	switch e.Kind {
	case engine.KindActionTriggered:
		// Evaluation mode hides which plan actions the scenario started and when they fall
		// due; training shows a team its own, as a learning aid. A record stored before v2
		// has no mode: it is training.
		if rec.Mode == engine.ModeEvaluation {
			return false
		}
	case engine.KindExerciseStarted, engine.KindClock, engine.KindSeverityChanged, engine.KindExerciseEnded,
		engine.KindInjectDelivered, engine.KindEscalation, engine.KindActionRecorded,
		engine.KindDecisionAnswered, engine.KindNote,
		engine.KindDecisionDefaulted, engine.KindModuleStarted, engine.KindAnswerRecorded:
	default:
		// inject_skipped, inject_held, inject_released, observation, team_joined,
		// team_marked_played, feedback_recorded, exercise_closed and anything new:
		// facilitators only.
		return false
	}
	return e.VisibleTo(team, rec)
}
