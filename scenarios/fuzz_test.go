package scenarios_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/ttx-dev/ttx/scenarios"
)

// FuzzLoad feeds arbitrary bytes to the loader, beside a valid plan so that scenarios in the
// input resolve against it: no input may make it panic, and every diagnostic has a place.
func FuzzLoad(f *testing.F) {
	for _, glob := range []string{"testdata/valid/*/*.hcl", "testdata/invalid/*.hcl", "library/*.hcl"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	for _, small := range []string{
		`plan "p" {` + "\n" + `severity "s" { level = 1 }` + "\n}\n",
		`scenario "s" {` + "\n" + `plan = "acme-irp"` + "\n" + `duration = "1h"` + "\n}\n",
		`rehearsal "r" {` + "\n" + `scenario = "s"` + "\n}\n",
		"inject \"x\" {\n  after = inject.x\n}\n",
	} {
		f.Add([]byte(small))
	}
	plan, err := os.ReadFile("testdata/valid/v2/plan.hcl")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		set, diags := scenarios.LoadFS(fstest.MapFS{
			"fuzz.hcl": {Data: src},
			"plan.hcl": {Data: plan},
		}, "fuzz.hcl", "plan.hcl")
		if set == nil {
			t.Fatal("nil set")
		}
		for _, d := range diags {
			if d.Subject == nil {
				t.Fatalf("diagnostic without a place: %s: %s", d.Summary, d.Detail)
			}
		}
		if diags.HasErrors() {
			return
		}
		// A set that loads clean can be evaluated: every when gives a bool or an error.
		for _, s := range set.Scenarios {
			for _, in := range s.Injects {
				_, _ = s.EvalWhen(in, scenarios.Facts{})
			}
		}
	})
}

// FuzzWhen checks arbitrary when expressions: loading never panics, and an expression that
// loads clean evaluates over any facts to a bool or an error, the same one each time.
func FuzzWhen(f *testing.F) {
	for _, expr := range []string{
		"true", "!action.contain.done", `action.contain.by == "b"`, "inject.first.delivered",
		`decision.ransom.choice == "pay"`, "severity.level >= 2", "elapsed > 3600",
		`elapsed / severity.level > 1`, `[for x in [1]: x][0] == 1`, `{a = 1}.a == 1`,
		`action["contain"].on_time || !inject["demand"].delivered`, `length("x") > 0`,
	} {
		f.Add(expr, true, false, "b", true, "pay", 2, int64(time.Hour))
	}
	f.Fuzz(func(t *testing.T, expr string, done, onTime bool, by string, delivered bool, choice string, level int, elapsed int64) {
		s, in, diags := mustWhenScenario(t, expr)
		if diags.HasErrors() || s == nil {
			return
		}
		facts := scenarios.Facts{
			Actions:       map[string]scenarios.ActionFacts{"contain": {Done: done, OnTime: onTime, By: by}},
			Injects:       map[string]bool{"first": delivered, "demand": !delivered},
			Decisions:     map[string]string{"ransom": choice},
			SeverityLevel: level,
			Elapsed:       time.Duration(elapsed),
		}
		got1, err1 := s.EvalWhen(in, facts)
		got2, err2 := s.EvalWhen(in, facts)
		if got1 != got2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("%q: not deterministic: %v/%v then %v/%v", expr, got1, err1, got2, err2)
		}
	})
}

// FuzzFormat checks Format on arbitrary source that parses: it never panics, its output still
// parses, and formatting that output changes nothing.
func FuzzFormat(f *testing.F) {
	for _, glob := range []string{"testdata/format/*.hcl", "testdata/valid/*/*.hcl"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, diags := hclsyntax.ParseConfig(src, "in.hcl", hcl.InitialPos); diags.HasErrors() {
			return // ttx fmt refuses such files
		}
		out := scenarios.Format(src)
		if _, diags := hclsyntax.ParseConfig(out, "out.hcl", hcl.InitialPos); diags.HasErrors() {
			t.Fatalf("formatting broke the file:\n%s\n-- became --\n%s\n%s", src, out, diags.Error())
		}
		if again := scenarios.Format(out); string(again) != string(out) {
			t.Fatalf("not idempotent:\n%s\n-- then --\n%s", out, again)
		}
	})
}
