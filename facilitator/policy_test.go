package facilitator_test

import (
	"context"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

// TestPolicyOfTheV2Actions: protocol.md v2's close is the facilitator's or the admin's, mark
// played the facilitator's; the evaluator (whose token creation hands out) does neither, and
// every action not in the table is refused.
func TestPolicyOfTheV2Actions(t *testing.T) {
	m := mustManager(t, engine.NewMemoryStore(), clockwork.NewFakeClock())
	x, err := m.Create(context.Background(), "s", 60)
	require.NoError(t, err)
	who := map[string]facilitator.Principal{}
	for name, token := range map[string]string{"admin": "the-admin", "facilitator": x.FacilitatorToken,
		"reviewer": x.ReviewerToken, "evaluator": x.EvaluatorToken} {
		p, err := m.Authenticate(token)
		require.NoError(t, err)
		who[name] = p
	}
	for action, allowed := range map[facilitator.Action][]string{
		facilitator.ActClose:      {"admin", "facilitator"},
		facilitator.ActMarkPlayed: {"facilitator"},
		facilitator.ActObserve:    {"facilitator", "evaluator"},
		facilitator.ActFollow:     {"admin", "facilitator", "evaluator"},
		facilitator.ActEEG:        {"admin", "facilitator", "evaluator"},
		facilitator.ActReport:     {"admin", "reviewer", "evaluator"},
		facilitator.ActRun:        {"facilitator"},
	} {
		for name, p := range who {
			err := m.Allowed(action, p, x.ID)
			if assert.Equal(t, contains(allowed, name), err == nil, "%s as %s", action, name) && err != nil {
				assert.Equal(t, engine.EForbidden, engine.ErrorCode(err))
			}
		}
	}
	assert.Error(t, m.Allowed("no-such-action", who["admin"], x.ID))
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
