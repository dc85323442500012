package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

func TestRehearseSmoke(t *testing.T) {
	sc := testScenario(8*time.Hour,
		inj("helpdesk-call", at(0), to("service_desk"), triggers("log_report", "escalate_to_irt", "contain_hosts")),
		inj("spreading", at(40*time.Minute), to("service_desk", "irt"), severity("operational")),
		inj("reporter", after("spreading", time.Hour), to("cmt")),
		inj("demand", at(2*time.Hour), to("cmt"), decision("ransom", "refuse", "negotiate", "pay", "refuse"), severity("continuity")),
	)
	rh := &scenarios.Rehearsal{Name: "r", ScenarioName: "test", Steps: []scenarios.Step{
		{Kind: scenarios.StepRespond, Team: "service_desk", Action: "log_report", At: 5 * time.Minute, Order: 0},
		{Kind: scenarios.StepEscalate, Team: "service_desk", To: "irt", Text: "ransomware", At: 20 * time.Minute, Order: 1},
		{Kind: scenarios.StepChoose, Team: "cmt", Decision: "ransom", Option: "refuse", At: time.Hour, Order: 2},
		{Kind: scenarios.StepChoose, Team: "cmt", Decision: "ransom", Option: "refuse", At: 2*time.Hour + 15*time.Minute, Order: 3},
		{Kind: scenarios.StepNote, Team: "nobody", Text: "hi", At: 3 * time.Hour, Order: 4},
	}}
	res, err := engine.Rehearse(context.Background(), sc, rh, nil)
	require.NoError(t, err)
	for _, l := range timeline(res.Events) {
		t.Log(l)
	}
	for _, e := range res.Errors {
		t.Log(e.Error())
	}
	assert.Len(t, res.Errors, 2)
	assert.Equal(t, engine.StatusEnded, res.State.Status)
}
