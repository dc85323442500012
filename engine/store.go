package engine

import (
	"context"
	"time"
)

// Store keeps exercises and their append-only event logs. Append returns only once the
// events are durably committed; a caller acknowledges nothing before that.
type Store interface {
	CreateExercise(ctx context.Context, rec ExerciseRecord) error
	Exercises(ctx context.Context) ([]ExerciseRecord, error)
	Exercise(ctx context.Context, id string) (ExerciseRecord, error) // ENotFound when absent
	Append(ctx context.Context, exerciseID string, events []Event) error
	Events(ctx context.Context, exerciseID string) ([]Event, error) // in seq order
	Close() error
}

// ExerciseRecord is what is stored about an exercise besides its log.
type ExerciseRecord struct {
	ID       string
	Scenario string // scenario name
	Plan     string // plan name
	// Sources holds the HCL text of the files the scenario and its plan came from, by file
	// name, so that a restart replays exactly the scenario the exercise ran, whatever has
	// happened to the files since.
	Sources map[string]string
	// Credentials is opaque to the engine: the facilitator package's hashed tokens and join
	// codes.
	Credentials map[string]string
	Speed       float64 // the speed it was created with
	CreatedAt   time.Time
	// Mode (v2) is ModeEvaluation or ModeTraining; records stored before v2 read as training.
	Mode string
	// Teams (v2) are the teams in play, chosen at creation; every team of the plan that is
	// not external when none were chosen.
	Teams []string
	// Kind (v2) is ExerciseLive or ExerciseRehearsal.
	Kind string
}

// Kinds of exercise record (scoring.md v2): readiness counts live exercises only by default.
const (
	ExerciseLive      = "live"
	ExerciseRehearsal = "rehearsal"
)

// QueuedAppender is implemented by stores that batch appends into shared transactions
// (engine/sqlite). QueueAppend queues events for exerciseID and returns at once; the store
// calls done with the commit's result, from its writer, in the order the appends were queued.
// An Exercise queues under its lock and waits after releasing it, so that concurrent
// responses to one exercise share a transaction and still commit in seq order.
type QueuedAppender interface {
	QueueAppend(exerciseID string, events []Event, done func(error))
}

// CredentialsUpdater is implemented by stores that can replace an exercise's credentials
// (every store of ttx): the admin replacing a lost facilitator token. SetCredential sets the
// entry key of the record's Credentials to value; ENotFound when there is no such exercise.
type CredentialsUpdater interface {
	SetCredential(ctx context.Context, exerciseID, key, value string) error
}

// FailureForgetter is implemented by stores that refuse every append of an exercise after
// one failed (engine/sqlite, so that a log never gets a gap). ForgetFailure lets appends of
// exerciseID through again; the exercise calls it once nothing of it is in flight and it has
// read its log back, so that the next seq follows the last stored one.
type FailureForgetter interface {
	ForgetFailure(exerciseID string)
}
