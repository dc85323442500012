package msel

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

// v2Scenario is a scenario with every v2 field, built in Go since the v1 loader cannot read
// them yet.
func v2Scenario() *scenarios.Scenario {
	plan := &scenarios.Plan{
		Name: "acme-irp", Title: "Acme", Version: "2.1",
		Teams: []*scenarios.Team{
			{Name: "irt", Title: "Incident Response Team", Tier: 2},
			{Name: "cmt", Title: "Crisis Management Team", Tier: 4},
			{Name: "legal", Title: "Legal & Compliance", Tier: 4},
			{Name: "ico", Title: "Information Commissioner's Office", Tier: 4, External: true},
		},
		Severities: []*scenarios.Severity{{Name: "local", Title: "Local incident", Level: 1}, {Name: "crisis", Title: "Enterprise crisis", Level: 2}},
		Actions: []*scenarios.Action{
			{Name: "contain_hosts", Title: "Isolate the hosts", Owner: "irt", Phase: "containment", Capability: "containment", Due: time.Hour, Weight: 1, Critical: true},
			{Name: "notify_regulator", Title: "Notify the regulator", Owner: "legal", Phase: "post_incident", Capability: "regulatory_reporting", Due: 72 * time.Hour, Weight: 1, EscalateTo: "ico"},
		},
	}
	demand := &scenarios.Inject{
		Name: "demand", HasAt: true, At: 2 * time.Hour, To: []string{"cmt", "legal"}, Channel: "email", Subject: "Your files are encrypted", Order: 1,
		Decision: &scenarios.Decision{
			Name: "ransom", Prompt: "The attackers demand 40 BTC. What do you do?",
			Options:   []scenarios.Option{{Key: "refuse", Label: "Refuse and restore"}, {Key: "pay", Label: "Pay the ransom"}, {Key: "negotiate", Label: "Engage a negotiator"}},
			DecidedBy: []string{"cmt"}, Credit: map[string]float64{"refuse": 1, "negotiate": 0.5},
			Due: 30 * time.Minute, Default: "negotiate", Capability: "crisis_decisions", Phase: "containment", Weight: 2,
		},
	}
	return &scenarios.Scenario{
		Name: "v2", Title: "Every v2 field", Summary: "A scenario with objectives and modules.", PlanName: plan.Name, Plan: plan,
		Duration: 8 * time.Hour, StartTime: time.Date(2026, 3, 14, 7, 30, 0, 0, time.UTC),
		Objectives: []*scenarios.Objective{{Name: "contain", Title: "Contain the outbreak", Capabilities: []string{"containment", "crisis_decisions"}}},
		Modules: []*scenarios.Module{
			{Name: "detection", Title: "Module 1: a strange screen", At: 0, Questions: []scenarios.Question{{ID: "module.detection.1", Text: "Who decides this is an incident?"}}},
			{Name: "crisis", Title: "Module 2: the demand", At: 2 * time.Hour},
		},
		Injects: []*scenarios.Inject{
			{Name: "call", HasAt: true, At: 0, To: []string{"irt"}, Channel: "phone", Subject: "Red screens", Triggers: []string{"contain_hosts"},
				Notes: "Ward 3 has 12 PCs.", Order: 0},
			demand,
			{Name: "wallet", After: "ransom", AfterKind: scenarios.AfterDecision, Delay: 10 * time.Minute, To: []string{"cmt"}, Channel: "email", Subject: "Wallet address", Order: 2},
			{Name: "regulator-calls", HasAt: true, At: 6 * time.Hour, To: []string{"legal"}, Channel: "phone", Subject: "Anything to report?", Prompts: []string{"notify_regulator"}, Order: 3},
			{Name: "forensics-in", After: "contain_hosts", AfterKind: scenarios.AfterAction, Delay: 2 * time.Hour, To: []string{"irt"}, Channel: "email", Subject: "Images ready",
				Questions: []scenarios.Question{{ID: "inject.forensics-in.1", Text: "What was the first entry point?"}}, Order: 4},
		},
	}
}

func cellsByHeader(t *testing.T, wb Workbook, inject string) map[string]string {
	t.Helper()
	for _, row := range wb.MSEL[1:] {
		if row[1] == inject {
			out := map[string]string{}
			for i, h := range wb.MSEL[0] {
				out[h] = row[i]
			}
			return out
		}
	}
	t.Fatalf("no row for %s", inject)
	return nil
}

// TestExportV2 writes every v2 field into its column or the Scenario sheet.
func TestExportV2(t *testing.T) {
	wb := Export(v2Scenario(), nil)
	order := []string{}
	for _, row := range wb.MSEL[1:] {
		order = append(order, row[1])
	}
	assert.Equal(t, []string{"call", "demand", "forensics-in", "wallet", "regulator-calls"}, order,
		"in the order they come due, chained ones where their chain puts them (forensics-in 2h after the action call triggers)")

	demand := cellsByHeader(t, wb, "demand")
	assert.Equal(t, "crisis", demand[ColModule])
	assert.Equal(t, "ransom", demand[ColDecision])
	assert.Equal(t, "refuse: Refuse and restore\npay: Pay the ransom\nnegotiate: Engage a negotiator", demand[ColOptions])
	assert.Equal(t, "refuse: 1\nnegotiate: 0.5", demand[ColCredit])
	assert.Equal(t, "cmt", demand[ColDecidedBy])
	assert.Equal(t, "30m", demand[ColDecisionDue])
	assert.Equal(t, "negotiate", demand[ColDefault])
	assert.Equal(t, "2", demand[ColDecisionWt])
	assert.Equal(t, "contain (crisis_decisions)", demand[ColObjective])
	assert.Equal(t, "Sat 14 Mar 2026 09:30", demand[ColWallClock])

	wallet := cellsByHeader(t, wb, "wallet")
	assert.Equal(t, "decision.ransom", wallet[ColAfter])
	assert.Equal(t, "10m", wallet[ColDelay])
	assert.Empty(t, wallet[ColWallClock], "a decision's settling time is not known in advance")
	assert.Equal(t, "action.contain_hosts", cellsByHeader(t, wb, "forensics-in")[ColAfter])
	assert.Equal(t, "What was the first entry point?", cellsByHeader(t, wb, "forensics-in")[ColQuestions])
	assert.Equal(t, "notify_regulator", cellsByHeader(t, wb, "regulator-calls")[ColPrompts])
	assert.Equal(t, "Ward 3 has 12 PCs.", cellsByHeader(t, wb, "call")[ColNotes])

	assert.Contains(t, wb.Scenario, []string{"objective.contain.title", "Contain the outbreak"})
	assert.Contains(t, wb.Scenario, []string{"objective.contain.capabilities", "containment, crisis_decisions"})
	assert.Contains(t, wb.Scenario, []string{"module.detection.at", "0s"})
	assert.Contains(t, wb.Scenario, []string{"module.detection.question", "Who decides this is an incident?"})
	assert.Contains(t, wb.Scenario, []string{"module.crisis.at", "2h"})
	assert.Contains(t, wb.Plan, []string{"team", "ico", "Information Commissioner's Office", "tier 4", "", "", "", "external"})
}

// TestImportModules: a CSV's Module column makes its modules, the first at 0s and each later
// one at its first inject; in an XLSX a Module cell names one of the Scenario sheet's modules.
func TestImportModules(t *testing.T) {
	sc := v2Scenario()
	opts := Options{Set: &scenarios.Set{Plans: map[string]*scenarios.Plan{sc.PlanName: sc.Plan}}, Plan: sc.PlanName, Duration: sc.Duration}
	var csvBuf bytes.Buffer
	require.NoError(t, WriteCSV(&csvBuf, Export(sc, nil)))
	s, im := readDraft("v2.csv", csvBuf.Bytes(), opts)
	require.NotNil(t, s)
	require.False(t, im.r.diags.HasErrors(), "%s", im.r.diags.Error())
	require.Len(t, s.modules, 2)
	assert.Equal(t, "detection", s.modules[0].name)
	assert.Equal(t, time.Duration(0), s.modules[0].at)
	assert.Equal(t, "crisis", s.modules[1].name)
	assert.Equal(t, 2*time.Hour, s.modules[1].at, "at its first inject, demand")

	wb := Export(sc, nil)
	for _, row := range wb.MSEL[1:] {
		if row[1] == "demand" {
			row[2] = "crysis"
		}
	}
	var xlsx bytes.Buffer
	require.NoError(t, WriteXLSX(&xlsx, wb))
	_, im = readDraft("v2.xlsx", xlsx.Bytes(), opts)
	assert.Equal(t, `v2.xlsx: MSEL!C3: unknown module "crysis" (the Scenario sheet defines detection, crisis); did you mean "crisis"?`, im.r.diags.Error())
}

// TestImportTooManyRows refuses a sheet past maxRows before reading its rows.
func TestImportTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("Inject,Time,To,Channel\n")
	for i := 0; i <= maxRows; i++ {
		b.WriteString("x,T+0:00,irt,email\n")
	}
	sc := v2Scenario()
	text, diags := Import("big.csv", []byte(b.String()), Options{Set: &scenarios.Set{Plans: map[string]*scenarios.Plan{sc.PlanName: sc.Plan}}, Plan: sc.PlanName, Duration: time.Hour})
	assert.Nil(t, text)
	assert.Equal(t, "big.csv:5002: the sheet has 5001 rows; an MSEL holds at most 5000 injects", diags.Error())
}
