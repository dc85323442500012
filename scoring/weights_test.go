package scoring_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecimalWeights: weights are decimals, not whole numbers: with log_report (weight 1.3)
// on time and escalate_to_irt (weight 0.7) missed, the overall score is 1.3 / 2.0 = 65.0,
// which neither rounding the weights (50.0) nor swapping them (35.0) gives.
func TestDecimalWeights(t *testing.T) {
	sc := testScenario()
	for _, a := range sc.Plan.Actions {
		switch a.Name {
		case "log_report":
			a.Weight = 1.3
		case "escalate_to_irt":
			a.Weight = 0.7
		}
	}
	r := mustScore(t, sc, newLog().
		trig(0, "log_report", "service_desk", 15*m).
		trig(0, "escalate_to_irt", "service_desk", 30*m).
		rec(10*m, "log_report", "service_desk").
		end(8*h))
	require.NotNil(t, r.Score.Overall)
	assert.Equal(t, 65.0, *r.Score.Overall)
	assert.Equal(t, 1.3, mustItem(t, r, "action", "log_report", "service_desk").Weight)
	assert.Equal(t, 0.7, mustItem(t, r, "action", "escalate_to_irt", "service_desk").Weight)
}
