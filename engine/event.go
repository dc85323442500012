// Package engine plays one exercise on a simulated clock (design/language.md, "How an
// exercise plays"): scheduling injects, recording responses, an append-only event log whose
// fold is the exercise's state, persistence and recovery, and the headless rehearsal.
//
// Every change to an exercise is an Event; its state is FoldEvents of its log, and the live
// Exercise applies each event through the same fold. An event is returned or published only
// after the Store has committed it.
//
// Recovery: Restore rebuilds an exercise from its stored log. An exercise that was running
// when the process stopped comes back paused, at the simulated time of its last event, with a
// clock event {Clock: "paused", Reason: "server restarted"} appended; no deadline runs on
// while the server is down, and the facilitator resumes when the teams are back.
package engine

import "time"

// Event kinds. The names are those of the WebSocket protocol (design/protocol.md) and of the
// report's timeline (design/scoring.md).
const (
	KindExerciseStarted  = "exercise_started"
	KindClock            = "clock" // Clock says which: paused, resumed, speed, advanced
	KindInjectDelivered  = "inject_delivered"
	KindInjectSkipped    = "inject_skipped" // facilitators only
	KindSeverityChanged  = "severity_changed"
	KindActionTriggered  = "action_triggered" // an action's deadline starts (extension of protocol.md)
	KindActionRecorded   = "action_recorded"
	KindDecisionAnswered = "decision_answered"
	KindEscalation       = "escalation"
	KindNote             = "note"
	KindObservation      = "observation" // facilitators only
	KindExerciseEnded    = "exercise_ended"
	KindInjectHeld       = "inject_held"     // facilitators only (extension of protocol.md)
	KindInjectReleased   = "inject_released" // facilitators only (extension of protocol.md)

	// Version 2 (protocol.md, "Version 2 additions").
	KindDecisionDefaulted = "decision_defaulted" // a deciding team's default at the decision's due
	KindModuleStarted     = "module_started"     // a module's start, with its questions
	KindAnswerRecorded    = "answer_recorded"    // a team's free-text answer to a question
	KindTeamJoined        = "team_joined"        // a team's first participant said hello
	KindTeamMarkedPlayed  = "team_marked_played" // the facilitator says a team played
	KindFeedbackRecorded  = "feedback_recorded"  // a participant's feedback form (hot wash)
	KindExerciseClosed    = "exercise_closed"    // the hot wash is over; nothing more is taken
)

// Modes of an exercise (protocol.md v2). Exercises stored before v2 count as ModeTraining.
const (
	ModeEvaluation = "evaluation"
	ModeTraining   = "training"
)

// Clock changes carried by a KindClock event.
const (
	ClockPaused   = "paused"
	ClockResumed  = "resumed"
	ClockSpeed    = "speed"
	ClockAdvanced = "advanced"
)

// Event is one entry of an exercise's log. Seq numbers start at 1 and have no gaps; T is the
// simulated time since the start, Wall the real time it was recorded. Only the fields that
// its Kind uses are set.
type Event struct {
	Seq  int64         `json:"seq"`
	T    time.Duration `json:"t"`
	Wall time.Time     `json:"wall"`
	Kind string        `json:"kind"`

	Team       string        `json:"team,omitempty"`       // the acting team; for action_triggered the owner
	Name       string        `json:"name,omitempty"`       // the participant's display name
	Ref        string        `json:"ref,omitempty"`        // the client's ref, for recording a retry once
	Inject     string        `json:"inject,omitempty"`     // inject_delivered, inject_skipped
	AdHoc      *AdHocInject  `json:"adhoc,omitempty"`      // inject_delivered of an ad-hoc inject
	To         []string      `json:"to,omitempty"`         // inject_delivered: its teams; escalation: the one team
	Action     string        `json:"action,omitempty"`     // action_triggered, action_recorded
	Due        time.Duration `json:"due,omitempty"`        // action_triggered: deadline offset from T
	Decision   string        `json:"decision,omitempty"`   // decision_answered
	Option     string        `json:"option,omitempty"`     // decision_answered
	Text       string        `json:"text,omitempty"`       // escalation, note, observation
	Severity   string        `json:"severity,omitempty"`   // severity_changed: the new level's name
	Clock      string        `json:"clock,omitempty"`      // clock
	Speed      float64       `json:"speed,omitempty"`      // exercise_started, clock speed
	Rating     string        `json:"rating,omitempty"`     // observation: P, S, M or U
	Capability string        `json:"capability,omitempty"` // observation
	Reason     string        `json:"reason,omitempty"`     // inject_skipped, exercise_ended

	// Version 2.
	Mode        string    `json:"mode,omitempty"`        // exercise_started: evaluation or training
	Teams       []string  `json:"teams,omitempty"`       // exercise_started: the teams in play
	Module      string    `json:"module,omitempty"`      // module_started
	Question    string    `json:"question,omitempty"`    // answer_recorded: the question's ID
	By          string    `json:"by,omitempty"`          // observation: the role that recorded it
	Participant string    `json:"participant,omitempty"` // the participant's id (protocol.md v2)
	Issued      string    `json:"issued,omitempty"`      // the id handed to a participant whose hello had none (Response.Issued)
	Feedback    *Feedback `json:"feedback,omitempty"`    // feedback_recorded
}

// Feedback is one participant's HSEEP participant feedback form: 1–5 ratings of the form's
// statements (structured, realistic, facilitated, right_people, understanding, decisions), any
// of which may be left out, and free texts.
type Feedback struct {
	Ratings      map[string]int `json:"ratings,omitempty"`
	Strengths    string         `json:"strengths,omitempty"`
	Improvements string         `json:"improvements,omitempty"`
	Comment      string         `json:"comment,omitempty"`
}

// AdHocInject is the content of an inject the facilitator wrote during the exercise.
type AdHocInject struct {
	Channel string `json:"channel"`
	From    string `json:"from,omitempty"`
	Subject string `json:"subject"`
	Body    string `json:"body,omitempty"`
}
