package scoring_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

const (
	m = time.Minute
	h = time.Hour
)

// testScenario is the plan and scenario of language.md, built by hand so that these tests
// depend on nothing but the model types.
func testScenario() *scenarios.Scenario {
	plan := &scenarios.Plan{
		Name: "acme-irp", Title: "Acme Health incident response plan", Version: "2.1",
		Teams: []*scenarios.Team{
			{Name: "service_desk", Title: "Service Desk", Tier: 1},
			{Name: "irt", Title: "Incident Response Team", Tier: 2},
			{Name: "cmt", Title: "Crisis Management Team", Tier: 4},
			{Name: "legal", Title: "Legal & Compliance", Tier: 4},
		},
		Severities: []*scenarios.Severity{
			{Name: "local", Title: "Local incident", Level: 1},
			{Name: "operational", Title: "Operational incident", Level: 2},
			{Name: "continuity", Title: "Business continuity event", Level: 3},
			{Name: "crisis", Title: "Enterprise crisis", Level: 4},
		},
		Actions: []*scenarios.Action{
			{Name: "log_report", Title: "Log the report and open an incident ticket", Owner: "service_desk",
				Phase: "detection", Capability: "incident_reporting", Due: 15 * m, Weight: 1},
			{Name: "escalate_to_irt", Title: "Escalate to the Incident Response Team", Owner: "service_desk",
				Phase: "detection", Capability: "escalation", Due: 30 * m, Weight: 1,
				After: []string{"log_report"}, EscalateTo: "irt"},
			{Name: "contain_hosts", Title: "Isolate the affected hosts from the network", Owner: "irt",
				Phase: "containment", Capability: "containment", Due: h, Weight: 1,
				After: []string{"escalate_to_irt"}},
			{Name: "invoke_bcp", Title: "Invoke the business continuity plan", Owner: "cmt",
				Phase: "recovery", Capability: "continuity", Due: h, Weight: 2, OnSeverity: "continuity"},
			{Name: "notify_regulator", Title: "Notify the data protection regulator", Owner: "legal",
				Phase: "post_incident", Capability: "regulatory_reporting", Due: 72 * h, Weight: 1,
				OnSeverity: "continuity", Fixed: true},
		},
	}
	return &scenarios.Scenario{
		Name: "hospital-ransomware", Title: "Ransomware on the wards",
		Summary:  "A nurse reports a strange screen; by lunchtime the hospital is on paper.",
		PlanName: "acme-irp", Plan: plan, Duration: 8 * h,
		StartTime: time.Date(2026, 3, 14, 7, 30, 0, 0, time.UTC),
		Injects: []*scenarios.Inject{
			{Name: "helpdesk-call", HasAt: true, To: []string{"service_desk"}, Channel: "phone",
				From: "Ward 3 charge nurse", Subject: "Screens showing a strange message",
				Triggers: []string{"log_report", "escalate_to_irt", "contain_hosts"}},
			{Name: "spreading", HasAt: true, At: 40 * m, To: []string{"service_desk", "irt"}, Channel: "ticket",
				Subject: "Pharmacy and radiology report the same screen", Severity: "operational", Order: 1},
			{Name: "demand", HasAt: true, At: 2 * h, To: []string{"cmt", "legal"}, Channel: "email",
				Subject: "Your files are encrypted", Order: 2,
				Decision: &scenarios.Decision{
					Name: "ransom", Prompt: "The attackers demand 40 BTC within 24 hours. What do you do?",
					Options: []scenarios.Option{
						{Key: "negotiate", Label: "Engage a negotiator"},
						{Key: "pay", Label: "Pay the ransom"},
						{Key: "refuse", Label: "Refuse and restore from backups"},
					},
					Expected: "refuse", Capability: "crisis_decisions", Phase: "containment", Weight: 2,
				}},
		},
	}
}

// eventLog builds an exercise log by hand: seqs from 1, wall times a fixed base plus the
// simulated time (as at speed 1).
type eventLog struct {
	events []engine.Event
}

var wallBase = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

func (l *eventLog) add(e engine.Event) *eventLog {
	e.Seq = int64(len(l.events) + 1)
	e.Wall = wallBase.Add(e.T)
	l.events = append(l.events, e)
	return l
}

func newLog() *eventLog {
	return (&eventLog{}).add(engine.Event{Kind: engine.KindExerciseStarted, Speed: 1})
}

func (l *eventLog) trig(t time.Duration, action, owner string, due time.Duration) *eventLog {
	return l.add(engine.Event{T: t, Kind: engine.KindActionTriggered, Action: action, Team: owner, Due: due})
}

func (l *eventLog) rec(t time.Duration, action, team string) *eventLog {
	return l.add(engine.Event{T: t, Kind: engine.KindActionRecorded, Action: action, Team: team, Name: "Alice"})
}

func (l *eventLog) deliver(t time.Duration, inject string, to ...string) *eventLog {
	return l.add(engine.Event{T: t, Kind: engine.KindInjectDelivered, Inject: inject, To: to})
}

func (l *eventLog) answer(t time.Duration, decision, team, option string) *eventLog {
	return l.add(engine.Event{T: t, Kind: engine.KindDecisionAnswered, Decision: decision, Team: team, Option: option})
}

func (l *eventLog) escalate(t time.Duration, from, to, text string) *eventLog {
	return l.add(engine.Event{T: t, Kind: engine.KindEscalation, Team: from, To: []string{to}, Text: text})
}

func (l *eventLog) end(t time.Duration) *eventLog {
	return l.add(engine.Event{T: t, Kind: engine.KindExerciseEnded, Reason: "duration reached"})
}

func mustScore(tb testing.TB, sc *scenarios.Scenario, l *eventLog) scoring.Report {
	tb.Helper()
	require.NotNil(tb, sc.Plan)
	return scoring.Score(scoring.Input{ID: "ex-1", Scenario: sc, Events: l.events})
}

func mustItem(tb testing.TB, r scoring.Report, kind, id, team string) scoring.Item {
	tb.Helper()
	for _, it := range r.Items {
		if it.Kind == kind && it.ID == id && it.Team == team {
			return it
		}
	}
	require.FailNowf(tb, "no such item", "%s %s of %s in %+v", kind, id, team, r.Items)
	return scoring.Item{}
}

func f(v float64) *float64 { return &v }
