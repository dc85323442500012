package facilitator

import (
	"github.com/ttx-dev/ttx/engine"
)

// Action is something a caller asks of the server (design/protocol.md, "Who may do what"
// and the v2 "Precisions"). Policy says who may.
type Action string

// The actions of protocol.md.
const (
	ActWhoami        Action = "whoami"         // GET /api/whoami
	ActListScenarios Action = "list-scenarios" // GET /api/scenarios
	ActCreate        Action = "create"         // POST /api/exercises
	ActListAll       Action = "list-exercises" // GET /api/exercises
	ActSee           Action = "see"            // GET /api/exercises/:id: status, progress
	ActRun           Action = "run"            // the clock, speed, injects, trigger and hold
	ActClose         Action = "close"          // POST /api/exercises/:id/close (v2)
	ActMarkPlayed    Action = "mark-played"    // POST /api/exercises/:id/teams/:team/played (v2)
	ActMSEL          Action = "msel"           // GET /api/exercises/:id/msel (v2, interop.md)
	ActObserve       Action = "observe"        // POST /api/exercises/:id/observations
	ActEEG           Action = "eeg"            // GET /api/exercises/:id/eeg (v2): the evaluation guide, live
	ActFollow        Action = "follow"         // a WebSocket hello with a token: every event
	ActRespond       Action = "respond"        // a participant's act, choose, escalate, note
	ActReport        Action = "report"         // an exercise's report and charts
	ActListReviews   Action = "list-reviews"   // GET /api/review/exercises
	ActReviewPlan    Action = "review-plan"    // a plan's readiness and revisions

	// The room (issue 14).
	ActCodes        Action = "codes"         // GET /api/exercises/:id/codes: the join codes again, the handout
	ActReplaceToken Action = "replace-token" // POST /api/exercises/:id/facilitator-token
)

// Rule is who may take one action: Allows decides, for the principal and the target (an
// exercise id, a plan name, or "" when the action has none); Refusal is the 403 of the
// others, naming exactly who may, so that a refused caller learns which token to use and is
// never told that its own would do.
type Rule struct {
	Target  string // "exercise", "plan" or ""
	allows  func(m *Manager, p Principal, target string) bool
	Refusal *engine.Error
}

// Target kinds of a Rule.
const (
	TargetNone     = ""
	TargetExercise = "exercise"
	TargetPlan     = "plan"
)

// The principals a rule is made of.
func admin(_ *Manager, p Principal, _ string) bool { return p.Role == RoleAdmin }

func anyone(_ *Manager, p Principal, _ string) bool { return p.Role != "" }

func reviewer(_ *Manager, p Principal, _ string) bool { return p.Role == RoleReviewer }

// own is the holder of role's credential of the exercise id.
func own(role Role) func(*Manager, Principal, string) bool {
	return func(_ *Manager, p Principal, id string) bool { return p.Role == role && p.Exercise == id }
}

// planReviewer is the reviewer of an exercise of plan.
func planReviewer(m *Manager, p Principal, plan string) bool {
	if p.Role != RoleReviewer {
		return false
	}
	own, ok := m.FiledExercise(p.Exercise)
	return ok && own.Plan == plan
}

// reviewerOfEndedPlan is the reviewer of another exercise of the plan of exercise id, once
// id has ended: a continuity manager owns a plan, not one exercise.
func reviewerOfEndedPlan(m *Manager, p Principal, id string) bool {
	if p.Role != RoleReviewer {
		return false
	}
	x, ok := m.FiledExercise(id)
	return ok && x.Ended && planReviewer(m, p, x.Plan)
}

func anyOf(rules ...func(*Manager, Principal, string) bool) func(*Manager, Principal, string) bool {
	return func(m *Manager, p Principal, target string) bool {
		for _, r := range rules {
			if r(m, p, target) {
				return true
			}
		}
		return false
	}
}

func forbidden(sentence string) *engine.Error {
	return engine.Errorf(engine.EForbidden, "your token does not allow this: %s", sentence)
}

// Policy is who may do what: the one table the HTTP routes, the WebSocket hello and the
// role tests read.
var Policy = map[Action]Rule{
	ActWhoami:        {TargetNone, anyone, forbidden("it needs a token")},
	ActListScenarios: {TargetNone, admin, forbidden("only the admin token may")},
	ActCreate:        {TargetNone, admin, forbidden("only the admin token may")},
	ActListAll:       {TargetNone, admin, forbidden("only the admin token may")},
	ActSee: {TargetExercise, anyOf(admin, own(RoleFacilitator), own(RoleEvaluator)),
		forbidden("it needs this exercise's facilitator or evaluator token, or the admin token")},
	// The admin may open and run any exercise's console (issue 14).
	ActRun: {TargetExercise, anyOf(admin, own(RoleFacilitator)),
		forbidden("only this exercise's facilitator token or the admin token may run it")},
	ActClose: {TargetExercise, anyOf(admin, own(RoleFacilitator)),
		forbidden("only this exercise's facilitator token or the admin token may close it")},
	ActMarkPlayed: {TargetExercise, anyOf(admin, own(RoleFacilitator)),
		forbidden("only this exercise's facilitator token or the admin token may mark a team as played")},
	ActMSEL: {TargetExercise, anyOf(admin, own(RoleFacilitator)),
		forbidden("the MSEL needs this exercise's facilitator token or the admin token")},
	ActObserve: {TargetExercise, anyOf(admin, own(RoleFacilitator), own(RoleEvaluator)),
		forbidden("only this exercise's facilitator or evaluator token, or the admin token, may record observations")},
	ActCodes: {TargetExercise, anyOf(admin, own(RoleFacilitator)),
		forbidden("the join codes need this exercise's facilitator token or the admin token")},
	ActReplaceToken: {TargetExercise, admin,
		forbidden("only the admin token may replace a facilitator token")},
	ActEEG: {TargetExercise, anyOf(admin, own(RoleFacilitator), own(RoleEvaluator)),
		forbidden("the evaluation guide needs this exercise's facilitator or evaluator token, or the admin token")},
	ActFollow: {TargetExercise, anyOf(admin, own(RoleFacilitator), own(RoleEvaluator)),
		engine.Errorf(engine.EForbidden, "this token may not follow that exercise on the WebSocket: use the exercise's facilitator or evaluator token, or the admin token; participants send their join code")},
	ActRespond: {TargetExercise, own(RoleParticipant),
		engine.Errorf(engine.EForbidden, "facilitators follow the exercise here but do not act for a team; use the API to run it")},
	ActReport: {TargetExercise, anyOf(admin, own(RoleReviewer), own(RoleEvaluator), reviewerOfEndedPlan),
		forbidden("a report needs the exercise's reviewer or evaluator token, or the admin token; " +
			"the reviewer token of another exercise of the same plan may read it once the exercise has ended")},
	ActListReviews: {TargetNone, anyOf(admin, reviewer),
		forbidden("only a reviewer token or the admin token lists finished exercises")},
	ActReviewPlan: {TargetPlan, anyOf(admin, planReviewer),
		forbidden("a plan's readiness, revision and exercises need the reviewer token of one of its exercises or the admin token")},
}

// Allowed returns nil when p may take action on target (an exercise id, a plan name, or ""),
// else the action's 403. An action missing from Policy is refused.
func (m *Manager) Allowed(action Action, p Principal, target string) error {
	rule, ok := Policy[action]
	if !ok {
		return engine.Errorf(engine.EForbidden, "nobody may do this")
	}
	if !rule.allows(m, p, target) {
		return rule.Refusal
	}
	return nil
}

// Reviewable returns the ended exercises whose reports p may read and that it may find in
// the review list, oldest first, in memory or not: every ended exercise for the admin, those
// of its own exercise's plan for a reviewer, none for anyone else.
func (m *Manager) Reviewable(p Principal) []Filed {
	if m.Allowed(ActListReviews, p, "") != nil {
		return nil
	}
	var out []Filed
	for _, x := range m.Filed() {
		if x.Ended && m.Allowed(ActReviewPlan, p, x.Plan) == nil {
			out = append(out, x)
		}
	}
	return out
}
