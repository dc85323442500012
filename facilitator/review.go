package facilitator

import (
	"github.com/ttx-dev/ttx/engine"
)

// Reviewing reaches across exercises. protocol.md gives the reviewer role as "the exercise's
// reviewer token, or admin", and a continuity manager owns a plan, not one exercise: to find
// last quarter's exercises and a plan's readiness with only a reviewer token, the reviewer
// of exercise X may read every finished exercise of X's plan (its reports, the plan's
// readiness and revisions), besides X itself at any time. The admin may read everything.

// Ended reports whether exercise x has ended.
func (x *Listed) Ended() bool { return engine.HasEnded(x.Snapshot().Status) }

// ReviewsPlan reports whether p may read the readiness and revisions of plan: the admin for
// every plan, a reviewer for the plan of its own exercise.
func (m *Manager) ReviewsPlan(p Principal, plan string) bool {
	switch p.Role {
	case RoleAdmin:
		return true
	case RoleReviewer:
		own, err := m.Exercise(p.Exercise)
		return err == nil && own.PlanName == plan
	}
	return false
}

// MayReview reports whether p may read the report of exercise id: the admin; the reviewer of
// id; or the reviewer of another exercise of the same plan once id has ended.
func (m *Manager) MayReview(p Principal, id string) bool {
	if p.Reviews(id) {
		return true
	}
	if p.Role != RoleReviewer {
		return false
	}
	x, err := m.Exercise(id)
	if err != nil {
		return false
	}
	return m.ReviewsPlan(p, x.PlanName) && x.Ended()
}

// Reviewable returns the ended exercises whose reports p may read, oldest first: every ended
// exercise for the admin, those of its own exercise's plan for a reviewer, none for anyone
// else.
func (m *Manager) Reviewable(p Principal) []*Listed {
	var out []*Listed
	for _, x := range m.Exercises() {
		if m.ReviewsPlan(p, x.PlanName) && x.Ended() {
			out = append(out, x)
		}
	}
	return out
}
