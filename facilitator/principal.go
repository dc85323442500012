package facilitator

import (
	"github.com/ttx-dev/ttx/engine"
)

// Role is what a credential lets its holder do (design/protocol.md, "Who may do what").
type Role string

// The roles of protocol.md.
const (
	RoleAdmin       Role = "admin"       // the server's admin token: every exercise, read-only, and creating them
	RoleFacilitator Role = "facilitator" // an exercise's facilitator token: runs that exercise
	RoleReviewer    Role = "reviewer"    // an exercise's reviewer token: reads its report
	RoleEvaluator   Role = "evaluator"   // an exercise's evaluator token (v2): watches, observes, reads the report
	RoleParticipant Role = "participant" // a team's join code: acts for that team
)

// Principal is who a credential proves its holder to be.
type Principal struct {
	Role     Role
	Exercise string // the exercise of a facilitator, reviewer or participant; "" for admin
	Team     string // a participant's team
}

// errUnauthorized is the one answer to every wrong token or code, so that an answer never
// tells which exercises exist.
var errUnauthorized = engine.Errorf(engine.EUnauthorized,
	"the token or join code is not valid; check it with whoever started the exercise")

// Authenticate returns who token proves its holder to be: the admin, or the facilitator or
// reviewer of one exercise. Any other token is EUnauthorized.
func (m *Manager) Authenticate(token string) (Principal, error) {
	if token == "" {
		return Principal{}, errUnauthorized
	}
	h := hashSecret(kindToken, token)
	if m.adminHash != "" && sameHash(h, m.adminHash) {
		return Principal{Role: RoleAdmin}, nil
	}
	known := func() (Principal, bool) {
		m.mu.RLock()
		defer m.mu.RUnlock()
		p, ok := m.tokens[h]
		return p, ok
	}
	p, ok := known()
	if !ok {
		if p, ok = m.storedPrincipal(h, kindToken, known); !ok {
			return Principal{}, errUnauthorized
		}
	}
	return p, nil
}

// Join returns the exercise and team of a join code. The code is compared without regard to
// case, spaces or dashes. Any unknown code is EUnauthorized.
func (m *Manager) Join(code string) (exerciseID, team string, err error) {
	h := hashSecret(kindCode, NormalizeJoinCode(code))
	known := func() (Principal, bool) {
		m.mu.RLock()
		defer m.mu.RUnlock()
		p, ok := m.codes[h]
		return p, ok
	}
	p, ok := known()
	if !ok {
		if p, ok = m.storedPrincipal(h, kindCode, known); !ok {
			return "", "", errUnauthorized
		}
	}
	return p.Exercise, p.Team, nil
}
