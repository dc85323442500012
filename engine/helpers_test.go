package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

var epoch = time.Date(2026, time.March, 14, 7, 30, 0, 0, time.UTC)

// testPlan is the plan of language.md.
func testPlan() *scenarios.Plan {
	return &scenarios.Plan{
		Name:    "acme-irp",
		Version: "2.1",
		Teams: []*scenarios.Team{
			{Name: "service_desk", Tier: 1},
			{Name: "irt", Tier: 2},
			{Name: "cmt", Tier: 4},
			{Name: "legal", Tier: 4},
		},
		Severities: []*scenarios.Severity{
			{Name: "local", Level: 1},
			{Name: "operational", Level: 2},
			{Name: "continuity", Level: 3},
			{Name: "crisis", Level: 4},
		},
		Actions: []*scenarios.Action{
			{Name: "log_report", Owner: "service_desk", Phase: "detection", Due: 15 * time.Minute, Weight: 1},
			{Name: "escalate_to_irt", Owner: "service_desk", Phase: "detection", Due: 30 * time.Minute, After: []string{"log_report"}, EscalateTo: "irt", Weight: 1},
			{Name: "contain_hosts", Owner: "irt", Phase: "containment", Due: time.Hour, After: []string{"escalate_to_irt"}, Weight: 1},
			{Name: "invoke_bcp", Owner: "cmt", Phase: "recovery", Due: time.Hour, OnSeverity: "continuity", Weight: 2},
			{Name: "notify_regulator", Owner: "legal", Phase: "post_incident", Due: 72 * time.Hour, OnSeverity: "continuity", Weight: 1, Fixed: true},
			{Name: "open_bridge", Owner: "irt", Phase: "detection", Due: 10 * time.Minute, OnSeverity: "local", Weight: 1},
		},
	}
}

// inj builds an inject; opts set the rest.
func inj(name string, opts ...func(*scenarios.Inject)) *scenarios.Inject {
	in := &scenarios.Inject{Name: name, Channel: "email", Subject: "Subject of " + name, To: []string{"irt"}}
	for _, o := range opts {
		o(in)
	}
	return in
}

func at(d time.Duration) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) { in.HasAt, in.At = true, d }
}

func after(name string, delay time.Duration) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) { in.HasAt, in.After, in.Delay = false, name, delay }
}

func to(teams ...string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) { in.To = teams }
}

func severity(name string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) { in.Severity = name }
}

func triggers(actions ...string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) { in.Triggers = actions }
}

func decision(name string, expected string, options ...string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) {
		d := &scenarios.Decision{Name: name, Expected: expected, Weight: 1, Phase: "containment"}
		for _, o := range options {
			d.Options = append(d.Options, scenarios.Option{Key: o, Label: strings.ToUpper(o)})
		}
		in.Decision = d
	}
}

// testScenario returns a scenario over testPlan with the injects given, in file order.
func testScenario(duration time.Duration, injects ...*scenarios.Inject) *scenarios.Scenario {
	for i, in := range injects {
		in.Order = i
	}
	return &scenarios.Scenario{
		Name:      "test",
		PlanName:  "acme-irp",
		Plan:      testPlan(),
		Duration:  duration,
		StartTime: epoch,
		Injects:   injects,
	}
}

// fixture is an exercise on a fake clock over a memory store.
type fixture struct {
	x     *engine.Exercise
	clock *clockwork.FakeClock
	store *engine.MemoryStore
	sc    *scenarios.Scenario
}

// mustExercise creates an exercise "x1" of sc at speed, not started.
func mustExercise(tb testing.TB, sc *scenarios.Scenario, speed float64) *fixture {
	tb.Helper()
	return mustExerciseRecord(tb, sc, engine.ExerciseRecord{Speed: speed})
}

// mustExerciseRecord creates an exercise "x1" of sc made from rec (its speed, mode and
// teams), not started.
func mustExerciseRecord(tb testing.TB, sc *scenarios.Scenario, rec engine.ExerciseRecord) *fixture {
	tb.Helper()
	store := engine.NewMemoryStore()
	clock := clockwork.NewFakeClockAt(epoch)
	rec.ID, rec.Scenario, rec.Plan, rec.CreatedAt = "x1", sc.Name, sc.PlanName, epoch
	require.NoError(tb, store.CreateExercise(context.Background(), rec))
	return &fixture{x: engine.New(rec, sc, clock, store), clock: clock, store: store, sc: sc}
}

func mustStart(tb testing.TB, sc *scenarios.Scenario, speed float64) *fixture {
	tb.Helper()
	f := mustExercise(tb, sc, speed)
	require.NoError(tb, f.x.Start(context.Background()))
	return f
}

// advance moves the real clock by real and ticks.
func (f *fixture) advance(tb testing.TB, real time.Duration) {
	tb.Helper()
	f.clock.Advance(real)
	require.NoError(tb, f.x.Tick(context.Background()))
}

// timeline renders events one a line: "T kind names", for comparing logs in tests.
func timeline(events []engine.Event) []string {
	lines := make([]string, 0, len(events))
	for _, e := range events {
		lines = append(lines, line(e))
	}
	return lines
}

func line(e engine.Event) string {
	s := fmt.Sprintf("%s %s", e.T, e.Kind)
	for _, v := range []string{e.Clock, e.Inject, e.Severity, e.Action, e.Team, e.Decision, e.Option, e.Module, e.Question} {
		if v != "" {
			s += " " + v
		}
	}
	if len(e.To) > 0 && e.Kind != engine.KindInjectDelivered {
		s += " ->" + strings.Join(e.To, ",")
	}
	if e.Kind == engine.KindActionTriggered {
		s += " due " + e.Due.String()
	}
	return s
}

func findInject(sc *scenarios.Scenario, name string) *scenarios.Inject {
	for _, in := range sc.Injects {
		if in.Name == name {
			return in
		}
	}
	return nil
}

// withExternal adds the external team "regulator" to sc's plan (v2).
func withExternal(sc *scenarios.Scenario) *scenarios.Scenario {
	sc.Plan.Teams = append(sc.Plan.Teams, &scenarios.Team{Name: "regulator", Tier: 3, External: true})
	return sc
}

// decidedBy sets the inject's decision's deciding teams, as the loader resolves them.
func decidedBy(teams ...string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) { in.Decision.DecidedBy = teams }
}

// dueIn sets the inject's decision's due and default.
func dueIn(d time.Duration, def string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) { in.Decision.Due, in.Decision.Default = d, def }
}

func afterDecision(name string, delay time.Duration) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) {
		in.HasAt, in.After, in.AfterKind, in.Delay = false, name, scenarios.AfterDecision, delay
	}
}

func afterAction(name string, delay time.Duration) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) {
		in.HasAt, in.After, in.AfterKind, in.Delay = false, name, scenarios.AfterAction, delay
	}
}

// questions puts questions on the inject, with the IDs the loader gives them.
func questions(texts ...string) func(*scenarios.Inject) {
	return func(in *scenarios.Inject) {
		for i, text := range texts {
			in.Questions = append(in.Questions, scenarios.Question{ID: fmt.Sprintf("inject.%s.%d", in.Name, i+1), Text: text})
		}
	}
}

// module returns a module starting at at with questions, with the IDs the loader gives them.
func module(name string, at time.Duration, texts ...string) *scenarios.Module {
	md := &scenarios.Module{Name: name, At: at}
	for i, text := range texts {
		md.Questions = append(md.Questions, scenarios.Question{ID: fmt.Sprintf("module.%s.%d", name, i+1), Text: text})
	}
	return md
}

// mustStartRecord starts an exercise of sc made from rec (its mode and teams) at speed 60.
func mustStartRecord(tb testing.TB, sc *scenarios.Scenario, rec engine.ExerciseRecord) *fixture {
	tb.Helper()
	rec.Speed = 60
	f := mustExerciseRecord(tb, sc, rec)
	require.NoError(tb, f.x.Start(context.Background()))
	return f
}

// afterStart returns the timeline of events after the start (the lines of start).
func afterStart(events []engine.Event) []string {
	return timeline(events)[len(start):]
}

// setSteps numbers steps in file order and gives each a line of r.hcl, from line 10.
func setSteps(steps []scenarios.Step) []scenarios.Step {
	for i := range steps {
		steps[i].Order = i
		steps[i].DeclRange = hcl.Range{Filename: "r.hcl", Start: hcl.Pos{Line: 10 + i}}
	}
	return steps
}

func answer(team, question string, t time.Duration) scenarios.Step {
	return scenarios.Step{Kind: scenarios.StepAnswer, Team: team, Question: question, Text: "we think so", At: t}
}

func note(team string, t time.Duration) scenarios.Step {
	return scenarios.Step{Kind: scenarios.StepNote, Team: team, Text: "noted", At: t}
}

func rehearsalErrors(res engine.RehearsalResult) []string {
	var got []string
	for _, e := range res.Errors {
		got = append(got, e.Error())
	}
	return got
}

// waitFor waits for done, failing the test after 10 s rather than hanging the suite.
func waitFor(tb testing.TB, done <-chan struct{}, what string) {
	tb.Helper()
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		tb.Fatalf("not within 10 s: %s", what)
	}
}

// goRun runs x's clock driver in a goroutine; the channel is closed when Run returns (wait for
// it with waitFor).
func goRun(ctx context.Context, x *engine.Exercise) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		x.Run(ctx)
	}()
	return done
}

// nextEvent returns the next event on events, failing the test once ctx (which carries the
// test's deadline) is done.
func nextEvent(tb testing.TB, ctx context.Context, events <-chan engine.Event) engine.Event {
	tb.Helper()
	select {
	case e := <-events:
		return e
	case <-ctx.Done():
		tb.Fatal("no event")
		return engine.Event{}
	}
}

// timelineCase is a table row of the rehearsal tests: an hour-long scenario of injects, the
// steps rehearsed on it (in file order), and the timeline they make after the start.
type timelineCase struct {
	name    string
	injects []*scenarios.Inject
	steps   []scenarios.Step
	want    []string // after start
}

// runTimelineCases rehearses each case as a subtest and checks that every step fits and the
// log is the case's timeline.
func runTimelineCases(t *testing.T, tests []timelineCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := testScenario(h, tt.injects...)
			for i := range tt.steps {
				tt.steps[i].Order = i
			}
			res, err := engine.Rehearse(context.Background(), sc, &scenarios.Rehearsal{Name: "r", Steps: tt.steps}, nil)
			require.NoError(t, err)
			assert.Empty(t, res.Errors)
			assert.Equal(t, append(append([]string(nil), start...), tt.want...), timeline(res.Events))
		})
	}
}
