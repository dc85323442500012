package scenarios_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

func mustLoad(tb testing.TB, paths ...string) *scenarios.Set {
	tb.Helper()
	set, diags := scenarios.Load(paths...)
	require.Empty(tb, diags, "loading %v:\n%s", paths, describe(diags))
	return set
}

// TestLanguageExamples loads the version 1 examples of language.md, verbatim, and checks what
// they decode to. They keep their meaning in version 2, but for the order of options (v2: as
// written) and for the v2 warnings they get.
func TestLanguageExamples(t *testing.T) {
	set, diags := scenarios.Load("testdata/valid/v1")
	require.Len(t, set.Files, 3)
	assert.False(t, diags.HasErrors(), describe(diags))
	var warnings []string
	for _, d := range diags {
		warnings = append(warnings, fmt.Sprintf("%d:%d %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
	}
	assert.Equal(t, []string{
		"17:3 Team sent no inject",    // legal
		"68:3 Action never triggered", // invoke_bcp: continuity is never reached
		"78:3 Action never triggered", // notify_regulator
	}, warnings, describe(diags))

	plan := set.Plans["acme-irp"]
	require.NotNil(t, plan)
	assert.Equal(t, "Acme Health incident response plan", plan.Title)
	assert.Equal(t, "2.1", plan.Version)
	var teams []string
	for _, tm := range plan.Teams {
		teams = append(teams, tm.Name)
	}
	assert.Equal(t, []string{"service_desk", "irt", "cmt", "legal"}, teams)
	assert.Equal(t, 2, plan.Teams[1].Tier)
	assert.Equal(t, "Incident Response Team", plan.Teams[1].Title)
	require.Len(t, plan.Severities, 4)
	assert.Equal(t, "local", plan.Severities[0].Name)
	assert.Equal(t, 4, plan.Severities[3].Level)

	actions := map[string]*scenarios.Action{}
	for _, a := range plan.Actions {
		actions[a.Name] = a
	}
	esc := actions["escalate_to_irt"]
	require.NotNil(t, esc)
	assert.Equal(t, "service_desk", esc.Owner)
	assert.Equal(t, "detection", esc.Phase)
	assert.Equal(t, "escalation", esc.Capability)
	assert.Equal(t, 30*time.Minute, esc.Due)
	assert.Equal(t, []string{"log_report"}, esc.After)
	assert.Equal(t, "irt", esc.EscalateTo)
	assert.Equal(t, 1.0, esc.Weight)
	assert.Equal(t, 49, esc.DeclRange.Start.Line)
	assert.Equal(t, 54, esc.AttrRanges["due"].Start.Line)
	bcp := actions["invoke_bcp"]
	assert.Equal(t, "continuity", bcp.OnSeverity)
	assert.Equal(t, 2.0, bcp.Weight)
	assert.True(t, actions["notify_regulator"].Fixed)
	assert.False(t, bcp.Fixed)
	assert.Equal(t, 72*time.Hour, actions["notify_regulator"].Due)

	s := set.Scenarios["hospital-ransomware"]
	require.NotNil(t, s)
	assert.Same(t, plan, s.Plan)
	assert.Equal(t, "acme-irp", s.PlanName)
	assert.Equal(t, 8*time.Hour, s.Duration)
	assert.Equal(t, time.Date(2026, 3, 14, 7, 30, 0, 0, time.UTC), s.StartTime)
	require.Len(t, s.Injects, 4)
	call, spreading, reporter, demand := s.Injects[0], s.Injects[1], s.Injects[2], s.Injects[3]
	assert.True(t, call.HasAt)
	assert.Equal(t, time.Duration(0), call.At)
	assert.Equal(t, "phone", call.Channel)
	assert.Equal(t, "Ward 3 charge nurse", call.From)
	assert.Equal(t, "Two workstations on Ward 3 show a red screen asking for payment.\n", call.Body)
	assert.Equal(t, []string{"log_report", "escalate_to_irt", "contain_hosts"}, call.Triggers)
	assert.Nil(t, call.When)
	assert.Equal(t, 40*time.Minute, spreading.At)
	assert.Equal(t, []string{"service_desk", "irt"}, spreading.To)
	assert.Equal(t, "operational", spreading.Severity)
	assert.NotNil(t, spreading.When)
	assert.False(t, reporter.HasAt)
	assert.Equal(t, "spreading", reporter.After)
	assert.Equal(t, time.Hour, reporter.Delay)
	assert.Equal(t, 2, reporter.Order)
	assert.Equal(t, 31, reporter.AttrRanges["delay"].Start.Line)
	assert.Equal(t, 5, reporter.AttrRanges["delay"].Start.Column)
	assert.Equal(t, 5, s.AttrRanges["duration"].Start.Line)
	dec := demand.Decision
	require.NotNil(t, dec)
	assert.Equal(t, "ransom", dec.Name)
	assert.Equal(t, []scenarios.Option{
		{Key: "refuse", Label: "Refuse and restore from backups"},
		{Key: "pay", Label: "Pay the ransom"},
		{Key: "negotiate", Label: "Engage a negotiator"},
	}, dec.Options, "in the order written")
	assert.Equal(t, []string{"cmt"}, dec.DecidedBy, "by default, the recipients")
	assert.False(t, dec.IsDiscussion())
	assert.Equal(t, scenarios.AfterInject, reporter.AfterKind)
	assert.Equal(t, "refuse", dec.Expected)
	assert.Equal(t, "crisis_decisions", dec.Capability)
	assert.Equal(t, "containment", dec.Phase)
	assert.Equal(t, 2.0, dec.Weight)

	r := set.Rehearsals["slow-containment"]
	require.NotNil(t, r)
	assert.Equal(t, "hospital-ransomware", r.ScenarioName)
	require.Len(t, r.Steps, 5)
	assert.Equal(t, scenarios.Step{Kind: scenarios.StepEscalate, Team: "service_desk", To: "irt",
		Text: "Ward 3 looks like ransomware", At: 20 * time.Minute, Order: 1,
		DeclRange: r.Steps[1].DeclRange, AttrRanges: r.Steps[1].AttrRanges}, r.Steps[1])
	assert.Equal(t, 9, r.Steps[1].DeclRange.Start.Line)
	assert.Equal(t, 13, r.Steps[1].AttrRanges["at"].Start.Line)
	assert.Equal(t, "ransom", r.Steps[3].Decision)
	assert.Equal(t, "refuse", r.Steps[3].Option)
	assert.Equal(t, []string{"service_desk", "irt", "cmt", "legal"}, r.Teams, "by default, every team")
}

// TestStepsSortedByTime checks that a rehearsal's steps play in order of at, then file order.
func TestStepsSortedByTime(t *testing.T) {
	fsys := fstest.MapFS{
		"plan.hcl":     {Data: mustRead(t, "testdata/valid/v2/plan.hcl")},
		"scenario.hcl": {Data: mustRead(t, "testdata/valid/v2/scenario.hcl")},
		"r.hcl": {Data: []byte(`rehearsal "r" {
  scenario = "hospital-ransomware"
  note {
    team = "cmt"
    text = "third"
    at   = "1h"
  }
  note {
    team = "cmt"
    text = "first"
    at   = "5m"
  }
  note {
    team = "irt"
    text = "second"
    at   = "1h"
  }
}
`)},
	}
	set, diags := scenarios.LoadFS(fsys)
	require.Empty(t, diags, describe(diags))
	var texts []string
	for _, st := range set.Rehearsals["r"].Steps {
		texts = append(texts, st.Text)
	}
	assert.Equal(t, []string{"first", "third", "second"}, texts)
}

// TestPlanInAnotherFile checks that a scenario resolves a plan loaded from another file, and
// that diagnostics name the file each problem is in.
func TestPlanInAnotherFile(t *testing.T) {
	fsys := fstest.MapFS{
		"a/plan.hcl": {Data: mustRead(t, "testdata/valid/v2/plan.hcl")},
		"b/scenario.hcl": {Data: []byte(`scenario "s" {
  plan     = "acme-irp"
  duration = "1h"
  inject "x" {
    at      = "0s"
    to      = [team.irt, team.nobody]
    channel = "chat"
  }
}
`)},
	}
	set, diags := scenarios.LoadFS(fsys, "b", "a")
	diags = errorsOf(diags) // and warnings of the plan's teams and actions that s leaves out
	require.Len(t, diags, 1, describe(diags))
	assert.Equal(t, "b/scenario.hcl", diags[0].Subject.Filename)
	assert.Equal(t, 6, diags[0].Subject.Start.Line)
	assert.Equal(t, "Unknown team", diags[0].Summary)
	assert.Contains(t, diags[0].Detail, "a/plan.hcl:1:1")
	assert.Same(t, set.Plans["acme-irp"], set.Scenarios["s"].Plan)
	assert.Len(t, set.Files, 2)
}

// TestAllProblemsInOneRun checks that problems in several files and blocks are all reported,
// in file order.
func TestAllProblemsInOneRun(t *testing.T) {
	set, diags := scenarios.Load("testdata/invalid/plan_unknown_owner.hcl", "testdata/invalid/inject_channel.hcl",
		"testdata/invalid/plan_invalid_phase.hcl")
	require.NotNil(t, set)
	// All three define plan "p": the later ones, in the order given, are duplicates.
	var got []string
	for _, d := range errorsOf(diags) {
		got = append(got, d.Subject.Filename+" "+d.Summary)
	}
	assert.Equal(t, []string{
		"testdata/invalid/inject_channel.hcl Duplicate plan",
		"testdata/invalid/inject_channel.hcl Invalid channel",
		"testdata/invalid/plan_invalid_phase.hcl Duplicate plan",
		"testdata/invalid/plan_invalid_phase.hcl Invalid phase",
		"testdata/invalid/plan_unknown_owner.hcl Unknown team",
	}, got)
}

func TestMissingPath(t *testing.T) {
	_, diags := scenarios.Load("testdata/no-such-dir")
	require.Len(t, diags, 1)
	assert.Equal(t, hcl.DiagError, diags[0].Severity)
	assert.Contains(t, diags[0].Summary, "testdata/no-such-dir")
	_, diags = scenarios.LoadFS(fstest.MapFS{}, "nothing.hcl")
	require.Len(t, diags, 1)
	assert.True(t, diags.HasErrors())
	_, diags = scenarios.LoadFS(fstest.MapFS{"docs/README.md": {}}, "docs")
	require.Len(t, diags, 1)
	assert.Equal(t, hcl.DiagWarning, diags[0].Severity)
	assert.Equal(t, "No scenario files in docs", diags[0].Summary)
}

// TestLibrary checks that the bundled library loads with no error and holds plan and scenario
// pairs.
func TestLibrary(t *testing.T) {
	set, diags := scenarios.LoadFS(scenarios.Library())
	require.False(t, diags.HasErrors(), describe(diags))
	assert.NotEmpty(t, set.Scenarios)
	for name, s := range set.Scenarios {
		assert.NotNil(t, s.Plan, "scenario %s", name)
	}
	for name := range set.Files {
		assert.True(t, strings.HasSuffix(name, ".hcl"), name)
	}
}

// errorsOf keeps the errors of diags, leaving out warnings.
func errorsOf(diags hcl.Diagnostics) hcl.Diagnostics {
	var errs hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs = append(errs, d)
		}
	}
	return errs
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	return b
}

// TestFindFilesSkipsFixtures checks that walking a directory skips testdata and hidden
// directories below it, but not a testdata directory named on purpose.
func TestFindFilesSkipsFixtures(t *testing.T) {
	files, diags := scenarios.FindFiles(".")
	require.Empty(t, diags)
	require.NotEmpty(t, files)
	for _, f := range files {
		assert.True(t, strings.HasPrefix(f, "library/"), f)
	}
	files, diags = scenarios.FindFiles("testdata/valid/v2", "testdata/valid/v2/plan.hcl")
	require.Empty(t, diags)
	assert.Equal(t, []string{"testdata/valid/v2/plan.hcl", "testdata/valid/v2/rehearsal.hcl", "testdata/valid/v2/scenario.hcl"}, files)

	set, diags := scenarios.LoadFS(fstest.MapFS{
		"a.hcl":              {Data: []byte(`plan "p" {` + "\n" + `team "t" { tier = 1 }` + "\n" + `severity "s" { level = 1 }` + "\n}\n")},
		"testdata/bad.hcl":   {Data: []byte("broken {")},
		".hidden/bad.hcl":    {Data: []byte("broken {")},
		"sub/testdata/x.hcl": {Data: []byte("broken {")},
	})
	require.Empty(t, diags, describe(diags))
	assert.Len(t, set.Files, 1)
}

// TestLanguageExamplesV2 loads the version 2 examples of language.md (with one severity more,
// so that every plan action is triggered) and checks every v2 addition they decode to.
func TestLanguageExamplesV2(t *testing.T) {
	set := mustLoad(t, "testdata/valid/v2")
	plan := set.Plans["acme-irp"]
	require.NotNil(t, plan)
	teams := map[string]*scenarios.Team{}
	for _, tm := range plan.Teams {
		teams[tm.Name] = tm
	}
	assert.True(t, teams["ico"].External)
	assert.False(t, teams["legal"].External)
	actions := map[string]*scenarios.Action{}
	for _, a := range plan.Actions {
		actions[a.Name] = a
	}
	assert.True(t, actions["contain_hosts"].Critical)
	assert.False(t, actions["notify_regulator"].Critical)
	assert.Equal(t, "ico", actions["notify_regulator"].EscalateTo)

	s := set.Scenarios["hospital-ransomware"]
	require.NotNil(t, s)
	require.Len(t, s.Objectives, 1)
	assert.Equal(t, "contain", s.Objectives[0].Name)
	assert.Equal(t, "Contain the outbreak within the plan's deadlines", s.Objectives[0].Title)
	assert.Equal(t, []string{"containment", "escalation"}, s.Objectives[0].Capabilities)
	require.Len(t, s.Modules, 2)
	assert.Equal(t, "detection", s.Modules[0].Name)
	assert.Equal(t, time.Duration(0), s.Modules[0].At)
	assert.Equal(t, []scenarios.Question{{ID: "module.detection.1",
		Text: "Who in your team decides that this is a security incident?"}}, s.Modules[0].Questions)
	assert.Equal(t, "crisis", s.Modules[1].Name)
	assert.Equal(t, 2*time.Hour, s.Modules[1].At)
	assert.Empty(t, s.Modules[1].Questions)

	injects := map[string]*scenarios.Inject{}
	for _, in := range s.Injects {
		injects[in.Name] = in
	}
	assert.Equal(t, "If asked: Ward 3 has 12 PCs, all on the clinical VLAN.", injects["helpdesk-call"].Notes)
	assert.Equal(t, []string{"notify_regulator"}, injects["regulator-calls"].Prompts)
	assert.Equal(t, []scenarios.Question{{ID: "inject.forensics-in.1",
		Text: "What do the images tell you about the first entry point?"}}, injects["forensics-in"].Questions)
	for name, want := range map[string][2]string{
		"reporter":       {"spreading", scenarios.AfterInject},
		"payment-wallet": {"ransom", scenarios.AfterDecision},
		"forensics-in":   {"contain_hosts", scenarios.AfterAction},
		"demand":         {"", ""},
	} {
		assert.Equal(t, want, [2]string{injects[name].After, injects[name].AfterKind}, name)
	}
	assert.Equal(t, 2*time.Hour, injects["forensics-in"].Delay)

	dec := injects["demand"].Decision
	require.NotNil(t, dec)
	assert.Equal(t, []scenarios.Option{
		{Key: "refuse", Label: "Refuse and restore from backups"},
		{Key: "pay", Label: "Pay the ransom"},
		{Key: "negotiate", Label: "Engage a negotiator"},
	}, dec.Options, "in the order written, not sorted")
	assert.Equal(t, []string{"cmt"}, dec.DecidedBy)
	assert.Equal(t, map[string]float64{"refuse": 1, "negotiate": 0.5}, dec.Credit)
	assert.Empty(t, dec.Expected)
	assert.Equal(t, 30*time.Minute, dec.Due)
	assert.Equal(t, "negotiate", dec.Default)
	assert.False(t, dec.IsDiscussion())
	assert.Equal(t, 0.5, dec.OptionCredit("negotiate"))
	assert.Equal(t, 0.0, dec.OptionCredit("pay"))

	r := set.Rehearsals["slow-containment"]
	require.NotNil(t, r)
	assert.Equal(t, []string{"service_desk", "irt", "cmt", "legal"}, r.Teams)
	var answers []scenarios.Step
	for _, st := range r.Steps {
		if st.Kind == scenarios.StepAnswer {
			answers = append(answers, st)
		}
	}
	require.Len(t, answers, 2)
	assert.Equal(t, "module.detection.1", answers[0].Question)
	assert.Equal(t, "service_desk", answers[0].Team)
	assert.Equal(t, 10*time.Minute, answers[0].At)
	assert.Equal(t, "inject.forensics-in.1", answers[1].Question)
	assert.Equal(t, "Phishing e-mail to the ward clerk, 09:12", answers[1].Text)
}

// v2Plan is a plan with an external team, for the v2 tests below.
const v2Plan = `plan "p" {
  team "desk" { tier = 1 }
  team "ico" {
    tier     = 4
    external = true
  }
  team "cmt" { tier = 4 }
  severity "low" { level = 1 }
  action "x" {
    owner       = team.desk
    phase       = "detection"
    due         = "1h"
    on_severity = severity.low
  }
}
`

// TestV2Defaults checks what v2 fills in when it is not written: a decision is decided by the
// recipients that are not external, in the order of to, options keep their written order,
// questions are numbered from 1 in each place, and a rehearsal is played by every team that
// is not external.
func TestV2Defaults(t *testing.T) {
	set, diags := scenarios.LoadFS(fstest.MapFS{"s.hcl": {Data: []byte(v2Plan + `
scenario "s" {
  plan     = "p"
  duration = "2h"
  module "one" {
    at        = "0s"
    questions = ["first?", "second?"]
  }
  inject "ask" {
    at        = "0s"
    to        = [team.cmt, team.ico, team.desk]
    channel   = "email"
    questions = ["a?", "b?", "c?"]
    decision "d" {
      prompt   = "?"
      options  = { zulu = "Z", alpha = "A", mike = "M" }
      expected = "alpha"
    }
  }
  inject "later" {
    after   = inject.ask
    to      = [team.cmt]
    channel = "chat"
  }
}
rehearsal "r" {
  scenario = "s"
}
`)}})
	require.Empty(t, diags, describe(diags))
	s := set.Scenarios["s"]
	ask := s.Injects[0]
	assert.Equal(t, []string{"cmt", "desk"}, ask.Decision.DecidedBy)
	assert.Equal(t, []string{"zulu", "alpha", "mike"},
		[]string{ask.Decision.Options[0].Key, ask.Decision.Options[1].Key, ask.Decision.Options[2].Key})
	assert.Equal(t, []scenarios.Question{{ID: "inject.ask.1", Text: "a?"}, {ID: "inject.ask.2", Text: "b?"},
		{ID: "inject.ask.3", Text: "c?"}}, ask.Questions)
	assert.Equal(t, []scenarios.Question{{ID: "module.one.1", Text: "first?"}, {ID: "module.one.2", Text: "second?"}},
		s.Modules[0].Questions)
	assert.Equal(t, scenarios.AfterInject, s.Injects[1].AfterKind, "a v1 after = inject.X")
	assert.Equal(t, "ask", s.Injects[1].After)
	assert.Equal(t, []string{"desk", "cmt"}, set.Rehearsals["r"].Teams)
}

func TestSafeName(t *testing.T) {
	for name, want := range map[string]bool{
		"acme-irp": true, "hospital_ransomware.v2": true, "A1": true, "9lives": true,
		"": false, ".hidden": false, "-flag": false, "two words": false, "équipe": false,
		"a/b": false, "a\nb": false, "x:y": false,
	} {
		assert.Equal(t, want, scenarios.SafeName(name), "%q", name)
	}
}

// TestLanguageDocExamples loads the plan, scenario and rehearsal of docs/design/language.md as
// written there: they load without error, and with the warnings the v2 rules give them (the
// scenario never reaches the continuity level that two of the plan's actions wait for).
func TestLanguageDocExamples(t *testing.T) {
	doc := string(mustRead(t, "../docs/design/language.md"))
	var blocks []string
	for _, part := range strings.Split(doc, "```hcl\n")[1:] {
		block, _, found := strings.Cut(part, "```")
		require.True(t, found)
		blocks = append(blocks, block)
	}
	require.GreaterOrEqual(t, len(blocks), 3)
	_, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":      {Data: []byte(blocks[0])},
		"scenario.hcl":  {Data: []byte(blocks[1])},
		"rehearsal.hcl": {Data: []byte(blocks[2])},
	})
	require.False(t, diags.HasErrors(), describe(diags))
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s:%d %s", d.Subject.Filename, d.Subject.Start.Line, d.Summary))
	}
	assert.Equal(t, []string{"plan.hcl:74 Action never triggered", "plan.hcl:84 Action never triggered"}, got, describe(diags))
}
