package scoring

import (
	"encoding/json"
	"fmt"
	"time"
)

// Item kinds.
const (
	KindAction   = "action"
	KindDecision = "decision"
)

// Item statuses: a scored item counts in the scores; an open item (no record yet, and the
// exercise ended or the log stops before its deadline) is listed and not scored.
const (
	StatusScored = "scored"
	StatusOpen   = "open"
)

// Gap kinds (design/scoring.md).
const (
	GapMissed      = "missed"
	GapLate        = "late"
	GapWrongOwner  = "wrong_owner"
	GapOutOfOrder  = "out_of_order"
	GapWrongChoice = "wrong_choice"
	GapPrompted    = "prompted" // (v2) done only after an inject told the team to
	GapPartial     = "partial"  // (v2) an option with a credit below 1
)

// GapOrder is the order of gap kinds in an item's gaps and in the improvement plan.
var GapOrder = []string{GapMissed, GapLate, GapWrongOwner, GapPrompted, GapOutOfOrder, GapPartial, GapWrongChoice}

// Exercise statuses as the report states them.
const (
	ExerciseEnded      = "ended"
	ExerciseInProgress = "in_progress"
)

// Improvement-plan elements (HSEEP's POETE).
const (
	ElementPlanning     = "planning"
	ElementOrganisation = "organisation"
	ElementEquipment    = "equipment"
	ElementTraining     = "training"
	ElementExercise     = "exercise"
)

// Report is the after-action report and improvement plan (AAR/IP) of one exercise. Its JSON
// form is the reference (design/scoring.md); the Markdown, HTML and CSV forms are views of it.
// A Report round-trips through JSON, so stored reports can feed Readiness and Revise.
type Report struct {
	Exercise        ExerciseInfo       `json:"exercise"`
	Score           Scores             `json:"score"`
	Ratings         Ratings            `json:"ratings"`
	Items           []Item             `json:"items"`
	NotInPlay       []string           `json:"not_in_play"`
	Open            []string           `json:"open"`
	Gaps            []Gap              `json:"gaps"`
	Strengths       []Strength         `json:"strengths"`
	ImprovementPlan []CorrectiveAction `json:"improvement_plan"`
	Observations    []Observation      `json:"observations"`
	Notes           []Note             `json:"notes"`
	Timeline        []TimelineEntry    `json:"timeline"`

	// Version 2.

	// NotPlayed are the items whose team did not play (scoring.md, "Items").
	NotPlayed []NotPlayedItem `json:"not_played"`
	// Discussions are the unscored decisions delivered, with each team's answer.
	Discussions []Discussion `json:"discussions"`
	// Answers are the teams' free-text answers to discussion questions, in log order.
	Answers []Answer `json:"answers"`
	// Objectives are the scenario's, in file order; their scores are Score.ByObjective.
	Objectives []ObjectiveInfo `json:"objectives"`
	// Modules are the scenario's, with their questions and every team's answers.
	Modules []ModuleInfo `json:"modules"`
	// Feedback holds the participants' feedback forms, in log order.
	Feedback []FeedbackEntry `json:"feedback"`
	// NotReached are the scenario's injects neither delivered nor skipped by the end (empty
	// while the exercise runs).
	NotReached []string `json:"not_reached"`
	// EvaluatorRatings are the observations' ratings by capability, beside the automatic one.
	EvaluatorRatings map[string]EvaluatorRating `json:"evaluator_ratings"`
}

// NotPlayedItem is an item whose team did not play, listed and not scored.
type NotPlayedItem struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Team string `json:"team"`
}

// Discussion is a decision with neither expected nor credit: answered, never scored.
type Discussion struct {
	Decision string `json:"decision"`
	Inject   string `json:"inject"`
	Prompt   string `json:"prompt,omitempty"`
	// Answers holds each team's first answer, by team.
	Answers map[string]string `json:"answers"`
}

// Answer is a team's free-text answer to a discussion question.
type Answer struct {
	Question     string   `json:"question"`
	QuestionText string   `json:"question_text"`
	Team         string   `json:"team"`
	Name         string   `json:"name,omitempty"`
	Answer       string   `json:"answer"`
	T            Duration `json:"t"`
	Seq          int64    `json:"seq"`
}

// ObjectiveInfo is one of the scenario's objectives.
type ObjectiveInfo struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Capabilities []string `json:"capabilities"`
}

// ModuleInfo is one of the scenario's modules.
type ModuleInfo struct {
	Name      string         `json:"name"`
	Title     string         `json:"title"`
	At        Duration       `json:"at"`
	Questions []QuestionInfo `json:"questions"`
}

// QuestionInfo is a discussion question with the answers given to it.
type QuestionInfo struct {
	ID      string   `json:"id"`
	Text    string   `json:"text"`
	Answers []Answer `json:"answers"`
}

// FeedbackEntry is one participant's feedback form.
type FeedbackEntry struct {
	Team         string         `json:"team"`
	Name         string         `json:"name"`
	Ratings      map[string]int `json:"ratings"`
	Strengths    string         `json:"strengths"`
	Improvements string         `json:"improvements"`
	Comment      string         `json:"comment"`
}

// EvaluatorRating is the evaluators' ratings of one capability: how many of each, their
// median (ordered U < M < S < P, the lower middle one of an even count), the automatic rating
// (nil when the capability has no score) and whether the two are two bands apart or more.
type EvaluatorRating struct {
	P            int     `json:"P"`
	S            int     `json:"S"`
	M            int     `json:"M"`
	U            int     `json:"U"`
	Median       string  `json:"median"`
	Automatic    *string `json:"automatic"`
	Disagreement bool    `json:"disagreement"`
}

// ExerciseInfo identifies the exercise a report is about.
type ExerciseInfo struct {
	ID            string     `json:"id"`
	Scenario      string     `json:"scenario"`
	ScenarioTitle string     `json:"scenario_title,omitempty"`
	Summary       string     `json:"summary,omitempty"`
	Plan          string     `json:"plan"`
	PlanTitle     string     `json:"plan_title,omitempty"`
	PlanVersion   string     `json:"plan_version"`
	Teams         []TeamInfo `json:"teams"`
	// Status is ExerciseEnded once the log holds exercise_ended, else ExerciseInProgress.
	Status string `json:"status"`
	// StartedAt and EndedAt are the wall times of exercise_started and exercise_ended.
	StartedAt *time.Time `json:"started_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	// ClosedAt (v2) is the wall time of exercise_closed: the hot wash is over and the report
	// final. Between the end and the close, observations, answers and feedback may still come.
	ClosedAt *time.Time `json:"closed_at,omitempty"`
	// Duration is the scenario's planned simulated duration; Elapsed the simulated time the
	// exercise reached (its end, or the last event of a log that has not ended).
	Duration Duration `json:"duration"`
	Elapsed  Duration `json:"elapsed"`
	// SimStart is the scenario's start_time: the simulated wall clock at T+0, when given.
	SimStart *time.Time `json:"sim_start,omitempty"`
	// Mode (v2) is engine.ModeEvaluation or engine.ModeTraining; an exercise stored before v2
	// is training.
	Mode string `json:"mode"`
	// Kind (v2) is engine.ExerciseLive or engine.ExerciseRehearsal.
	Kind string `json:"kind"`
	// TeamsInPlay (v2) are the teams chosen to play; TeamsPlayed those of them that played.
	TeamsInPlay []string `json:"teams_in_play"`
	TeamsPlayed []string `json:"teams_played"`
}

// TeamInfo is one team of the plan.
type TeamInfo struct {
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	Tier     int    `json:"tier"`
	External bool   `json:"external,omitempty"`
}

// Scores are weighted means of credits ×100, rounded to one decimal half away from zero.
// Overall is nil when nothing was scored; a group with no scored item is absent.
type Scores struct {
	Overall      *float64           `json:"overall"`
	ByTeam       map[string]float64 `json:"by_team"`
	ByCapability map[string]float64 `json:"by_capability"`
	ByPhase      map[string]float64 `json:"by_phase"`
	// ByObjective (v2): each objective's weighted mean over the items of its capabilities.
	ByObjective map[string]float64 `json:"by_objective"`
}

// Ratings are the HSEEP performance ratings (P, S, M, U) of the Scores, key for key.
type Ratings struct {
	Overall      *string           `json:"overall"`
	ByTeam       map[string]string `json:"by_team"`
	ByCapability map[string]string `json:"by_capability"`
	ByPhase      map[string]string `json:"by_phase"`
	ByObjective  map[string]string `json:"by_objective"`
}

// Item is one scored or open thing the plan expected: an action item or a decision item.
type Item struct {
	Kind       string `json:"kind"` // KindAction or KindDecision
	ID         string `json:"id"`   // the action's or the decision's name
	Title      string `json:"title,omitempty"`
	Team       string `json:"team"` // action: the owner; decision: the team it was put to
	Capability string `json:"capability,omitempty"`
	Phase      string `json:"phase,omitempty"`
	Status     string `json:"status"` // StatusScored or StatusOpen
	// TriggeredAt is when the action was triggered or the decision delivered.
	TriggeredAt Duration `json:"triggered_at"`
	// Deadline is T + due (actions, and decisions with a due).
	Deadline *Duration `json:"deadline,omitempty"`
	// Due is the deadline offset from the trigger (actions, and decisions with a due).
	Due *Duration `json:"due,omitempty"`
	// DoneAt and By are the time and team of the record that counts, or of the answer.
	DoneAt   *Duration `json:"done_at,omitempty"`
	By       string    `json:"by,omitempty"`
	Answer   string    `json:"answer,omitempty"`   // decisions
	Expected string    `json:"expected,omitempty"` // decisions
	// Defaulted (v2) says the answer is the decision's default, recorded at its due.
	Defaulted bool `json:"defaulted,omitempty"`
	// Credit is nil for an open item.
	Credit *float64 `json:"credit"`
	Weight float64  `json:"weight"`
	Gaps   []string `json:"gaps"`
	// Evidence holds the seqs of the events that show the item's outcome.
	Evidence []int64 `json:"evidence"`
}

// Scored reports whether the item counts in the scores.
func (it Item) Scored() bool { return it.Status == StatusScored && it.Credit != nil }

// Gap is one departure from the plan, an area for improvement.
type Gap struct {
	Item       string  `json:"item"`
	ItemKind   string  `json:"item_kind"`
	Team       string  `json:"team"`
	Kind       string  `json:"kind"`
	Capability string  `json:"capability,omitempty"`
	Phase      string  `json:"phase,omitempty"`
	Detail     string  `json:"detail"`
	Evidence   []int64 `json:"evidence"`
}

// Strength is an item done exactly as the plan expects (credit 1.0).
type Strength struct {
	Item       string  `json:"item"`
	ItemKind   string  `json:"item_kind"`
	Team       string  `json:"team"`
	Capability string  `json:"capability,omitempty"`
	Detail     string  `json:"detail"`
	Evidence   []int64 `json:"evidence"`
}

// CorrectiveAction is one line of the improvement plan: what to do about one gap.
type CorrectiveAction struct {
	Item     string `json:"item"`
	ItemKind string `json:"item_kind"`
	Gap      string `json:"gap"` // the gap kind
	// Teams (v2) are the teams whose items have the gap: one for an action, every deciding
	// team with it for a decision; Responsible is the first.
	Teams []string `json:"teams"`
	// CreditLost (v2) is Σ weight × (1 − credit) over those items; the plan is ordered by it.
	CreditLost float64 `json:"credit_lost"`
	Capability string  `json:"capability,omitempty"`
	Area       string  `json:"area"`   // the area for improvement
	Action     string  `json:"action"` // the corrective action
	Element    string  `json:"element"`
	// Responsible is the team responsible; Due is left empty for the manager to set.
	Responsible string `json:"responsible"`
	Due         string `json:"due"`
}

// Observation is a facilitator's (evaluator's) observation with its HSEEP rating.
type Observation struct {
	Seq        int64     `json:"seq"`
	T          Duration  `json:"t"`
	Wall       time.Time `json:"wall"`
	Text       string    `json:"text"`
	Capability string    `json:"capability,omitempty"`
	Rating     string    `json:"rating,omitempty"`
	By         string    `json:"by,omitempty"`   // (v2) the role that recorded it
	Team       string    `json:"team,omitempty"` // (v2) the team it is about, if any
}

// Note is a note a team wrote during the exercise.
type Note struct {
	Seq  int64     `json:"seq"`
	T    Duration  `json:"t"`
	Wall time.Time `json:"wall"`
	Team string    `json:"team"`
	Name string    `json:"name,omitempty"`
	Text string    `json:"text"`
}

// TimelineEntry is one event of the exercise's log, with the names it concerns and a
// one-line summary.
type TimelineEntry struct {
	Seq        int64     `json:"seq"`
	T          Duration  `json:"t"`
	Wall       time.Time `json:"wall"`
	Kind       string    `json:"kind"`
	Inject     string    `json:"inject,omitempty"`
	Action     string    `json:"action,omitempty"`
	Decision   string    `json:"decision,omitempty"`
	Team       string    `json:"team,omitempty"`
	Name       string    `json:"name,omitempty"`
	To         []string  `json:"to,omitempty"`
	Option     string    `json:"option,omitempty"`
	Severity   string    `json:"severity,omitempty"`
	Clock      string    `json:"clock,omitempty"`
	Speed      float64   `json:"speed,omitempty"`
	Due        *Duration `json:"due,omitempty"`
	Subject    string    `json:"subject,omitempty"`
	Text       string    `json:"text,omitempty"`
	Rating     string    `json:"rating,omitempty"`
	Capability string    `json:"capability,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Module     string    `json:"module,omitempty"`   // (v2) module_started
	Question   string    `json:"question,omitempty"` // (v2) answer_recorded
	Mode       string    `json:"mode,omitempty"`     // (v2) exercise_started
	By         string    `json:"by,omitempty"`       // (v2) observation
	Summary    string    `json:"summary"`
}

// Duration is simulated time, written in JSON as a Go duration string ("1h10m0s").
type Duration time.Duration

// String returns the Go duration string.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes the duration as a Go duration string, rounded to the millisecond.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).Round(time.Millisecond).String())
}

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string like \"1h10m0s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

func durPtr(d time.Duration) *Duration {
	v := Duration(d)
	return &v
}
