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

// Cataloguer is implemented by stores that can list every exercise without its sources or
// its log (engine/sqlite, MemoryStore): what a server needs at start-up to restore only the
// exercises that can still change and to answer the credentials of all of them.
type Cataloguer interface {
	// Catalog returns the exercises that have ended (ended true) or the others, oldest
	// first: each one's record without Sources, whether its log holds exercise_ended, and the
	// seq of its last event (0 for an empty log). A start-up asks for the others only.
	Catalog(ctx context.Context, ended bool) ([]CatalogEntry, error)
}

// CatalogEntry is one exercise as Cataloguer lists it.
type CatalogEntry struct {
	// Record is the exercise's record without Sources, and without Credentials and Teams
	// when the store is a CredentialIndex.
	Record  ExerciseRecord
	Ended   bool // the log holds KindExerciseEnded: the exercise is in its hot wash or closed
	LastSeq int64
}

// EndsExercise reports whether an event of kind ends an exercise: the one rule a store's
// catalogue reads to tell an ended exercise without folding its log.
func EndsExercise(kind string) bool { return kind == KindExerciseEnded }

// DerivedKeeper is implemented by stores that keep what is derived from an exercise's log
// (its report, charts and readiness row in each format), so that what cannot change is
// computed once and survives a restart. A row is keyed by exercise and name and says the seq
// of the last event it was computed from; a later put of the same name replaces it.
type DerivedKeeper interface {
	// Derived returns the row name of exerciseID; ok is false when none is kept.
	Derived(ctx context.Context, exerciseID, name string) (d Derived, ok bool, err error)
	// DerivedAll returns the row name of every exercise that has one.
	DerivedAll(ctx context.Context, name string) ([]Derived, error)
	// PutDerived keeps d, replacing the row of the same exercise and name.
	PutDerived(ctx context.Context, d Derived) error
}

// Derived is a value computed from an exercise's log up to Seq.
type Derived struct {
	ExerciseID string
	Name       string
	Seq        int64
	Body       []byte
}

// CredentialIndex is implemented by stores that index the credentials of every exercise
// (engine/sqlite, MemoryStore), so that a server answers the credential of an exercise it
// does not hold in memory by asking, and need not read every record's at start-up.
type CredentialIndex interface {
	// CredentialOf returns the exercise whose record's Credentials holds the value hash,
	// and its key there; ok is false when no exercise's does.
	CredentialOf(ctx context.Context, hash string) (exerciseID, key string, ok bool, err error)
}
