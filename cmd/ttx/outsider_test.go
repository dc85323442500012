package main

// An outsider's acceptance tests of the language and the rehearsal, written from
// design/language.md and design/scoring.md alone, over files in testdata/outsider that no
// author of the loader wrote. Each expected problem is marked on its line in the file:
//
//	# want: WORD        one error on this line, its message naming WORD
//	# want(G): WORD     one error on one of the lines marked G (a problem with several
//	                    right places, such as a cycle)
//	# warn: WORD        one warning on this line

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const outsiderDir = "../../testdata/outsider"

// outsiderRun runs Main and returns its exit code and output.
func outsiderRun(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// outsiderDiag is one `file:line:col: severity: message` line of ttx validate.
type outsiderDiag struct {
	file     string
	line     int
	col      int
	severity string
	message  string
}

var outsiderDiagLine = regexp.MustCompile(`^(\S+?):(\d+):(\d+): (error|warning): (.*)$`)

func outsiderDiags(stderr string) []outsiderDiag {
	var out []outsiderDiag
	for _, l := range strings.Split(stderr, "\n") {
		m := outsiderDiagLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		out = append(out, outsiderDiag{file: filepath.Clean(m[1]), line: line, col: col, severity: m[4], message: m[5]})
	}
	return out
}

// outsiderMark is one expected problem: on one of lines, a diagnostic naming word.
type outsiderMark struct {
	file     string
	lines    []int
	word     string
	severity string
}

var outsiderMarkRE = regexp.MustCompile(`#\s*(want|warn)(?:\(([^)]+)\))?:\s*(\S+)\s*$`)

// mustOutsiderMarks reads the marks of file.
func mustOutsiderMarks(tb testing.TB, file string) []outsiderMark {
	tb.Helper()
	f, err := os.Open(file)
	require.NoError(tb, err)
	defer f.Close()
	var marks []outsiderMark
	groups := map[string]int{} // group -> index in marks
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		m := outsiderMarkRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		severity := "error"
		if m[1] == "warn" {
			severity = "warning"
		}
		if m[2] != "" {
			if i, ok := groups[m[2]]; ok {
				marks[i].lines = append(marks[i].lines, n)
				continue
			}
			groups[m[2]] = len(marks)
		}
		marks = append(marks, outsiderMark{file: filepath.Clean(file), lines: []int{n}, word: m[3], severity: severity})
	}
	require.NoError(tb, sc.Err())
	require.NotEmpty(tb, marks, "%s has no marks", file)
	return marks
}

// assertOutsiderMarks checks that diags are exactly one per mark, on a marked line, naming
// the mark's word; diagnostics of other severities than those marked are ignored only when
// ignore says so.
func assertOutsiderMarks(t *testing.T, marks []outsiderMark, diags []outsiderDiag, stderr string) {
	t.Helper()
	used := make([]bool, len(diags))
	for _, mk := range marks {
		var hits []int
		for i, d := range diags {
			if d.file == mk.file && d.severity == mk.severity && containsInt(mk.lines, d.line) {
				hits = append(hits, i)
			}
		}
		if !assert.Len(t, hits, 1, "%s:%v: want one %s naming %q, got %d\n%s", mk.file, mk.lines, mk.severity, mk.word, len(hits), stderr) {
			continue
		}
		d := diags[hits[0]]
		used[hits[0]] = true
		assert.Contains(t, strings.ToLower(d.message), strings.ToLower(mk.word), "%s:%d: the message should name %q", d.file, d.line, mk.word)
		assert.Positive(t, d.col, "%s:%d: a column", d.file, d.line)
		assert.True(t, strings.HasSuffix(strings.TrimSpace(d.message), ".") || strings.HasSuffix(strings.TrimSpace(d.message), "?"),
			"%s:%d: the message is a sentence: %q", d.file, d.line, d.message)
	}
	for i, d := range diags {
		if !used[i] {
			assert.Fail(t, "unexpected diagnostic", "%s:%d:%d: %s: %s", d.file, d.line, d.col, d.severity, d.message)
		}
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func outsiderPath(parts ...string) string {
	return filepath.Clean(filepath.Join(append([]string{outsiderDir}, parts...)...))
}

// TestOutsiderValidateValid: files written from the docs load with no diagnostic at all.
func TestOutsiderValidateValid(t *testing.T) {
	code, stdout, stderr := outsiderRun("validate", outsiderPath("valid"))
	assert.Equal(t, 0, code, stderr)
	assert.Empty(t, outsiderDiags(stderr), stderr)
	assert.Contains(t, stdout, "0 errors, 0 warnings in 3 files")
}

// outsiderInvalid lists each invalid file with the valid files it is checked against.
var outsiderInvalid = []struct {
	file string
	with []string
}{
	{"invalid/plan-names.hcl", nil},
	{"invalid/plan-refs.hcl", nil},
	{"invalid/plan-numbers.hcl", nil},
	{"invalid/plan-levels-down.hcl", nil},
	{"invalid/plan-phase-due.hcl", nil},
	{"invalid/plan-graph.hcl", nil},
	{"invalid/plan-shape.hcl", nil},
	{"invalid/syntax.hcl", nil},
	{"invalid/scenario-injects.hcl", []string{"valid/harbour-plan.hcl"}},
	{"invalid/scenario-when.hcl", []string{"valid/harbour-plan.hcl"}},
	{"invalid/scenario-values.hcl", []string{"valid/harbour-plan.hcl"}},
	{"invalid/scenario-plan.hcl", []string{"valid/harbour-plan.hcl"}},
	{"invalid/rehearsal.hcl", []string{"valid/harbour-plan.hcl", "valid/crane-hijack.hcl"}},
}

// TestOutsiderValidateInvalid: every rule of language.md broken somewhere; each problem is
// one positioned error on the right line, and nothing else is reported.
func TestOutsiderValidateInvalid(t *testing.T) {
	for _, tc := range outsiderInvalid {
		t.Run(tc.file, func(t *testing.T) {
			args := []string{"validate"}
			for _, w := range tc.with {
				args = append(args, outsiderPath(w))
			}
			file := outsiderPath(tc.file)
			args = append(args, file)
			code, _, stderr := outsiderRun(args...)
			assert.Equal(t, 1, code, stderr)
			// The v2 warnings of language.md about the shared valid plan (teams no inject is
			// sent to, actions never triggered) depend on the broken scenario checked with it,
			// and marks live in the file under test only.
			var diags []outsiderDiag
			for _, d := range outsiderDiags(stderr) {
				if d.file == file || d.severity == "error" {
					diags = append(diags, d)
				}
			}
			assertOutsiderMarks(t, mustOutsiderMarks(t, file), diags, stderr)
		})
	}
}

// TestOutsiderValidateAllAtOnce: every problem in a set of files is reported in one run.
func TestOutsiderValidateAllAtOnce(t *testing.T) {
	args := []string{"validate", outsiderPath("valid")}
	var marks []outsiderMark
	for _, tc := range outsiderInvalid {
		file := outsiderPath(tc.file)
		args = append(args, file)
		marks = append(marks, mustOutsiderMarks(t, file)...)
	}
	code, _, stderr := outsiderRun(args...)
	assert.Equal(t, 1, code)
	var errs []outsiderDiag
	for _, d := range outsiderDiags(stderr) {
		if d.severity == "error" {
			errs = append(errs, d)
		}
	}
	assertOutsiderMarks(t, marks, errs, stderr)
}

// TestOutsiderValidateMisfits: a rehearsal's inputs whose targets do not exist are warned
// about, not errors (language.md: an error in the report, not a crash), and rehearse
// reports each one.
func TestOutsiderValidateMisfits(t *testing.T) {
	file := outsiderPath("misfits", "misfits.hcl")
	plan, scenario := outsiderPath("valid", "harbour-plan.hcl"), outsiderPath("valid", "crane-hijack.hcl")
	code, _, stderr := outsiderRun("validate", plan, scenario, file)
	assert.Equal(t, 0, code, stderr)
	assertOutsiderMarks(t, mustOutsiderMarks(t, file), outsiderDiags(stderr), stderr)

	code, stdout, stderr := outsiderRun("rehearse", "--json", "--rehearsal", file, plan, scenario)
	require.Equal(t, 0, code, stderr)
	var report struct {
		InputErrors []struct {
			Pos   string `json:"pos"`
			Kind  string `json:"kind"`
			At    string `json:"at"`
			Error string `json:"error"`
		} `json:"input_errors"`
		Timeline []map[string]any `json:"timeline"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &report))
	var got []string
	for _, e := range report.InputErrors {
		assert.NotEmpty(t, e.Error)
		got = append(got, e.Kind+"@"+e.At)
	}
	// Five misfits; exec's answer at 1h, before the decision is put to it, is the sixth.
	assert.Equal(t, []string{"respond@5m0s", "respond@6m0s", "escalate@7m0s", "choose@1h0m0s", "choose@2h5m0s", "respond@9h0m0s"}, got)
	for _, e := range report.Timeline {
		assert.NotEqual(t, "action_recorded", e["kind"], "a misfit was recorded: %v", e)
		assert.NotEqual(t, "decision_answered", e["kind"], "a misfit was recorded: %v", e)
	}
}

// outsiderHCLFiles is every .hcl file under testdata/outsider.
func outsiderHCLFiles(tb testing.TB) []string {
	tb.Helper()
	var files []string
	require.NoError(tb, filepath.WalkDir(outsiderDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".hcl") {
			files = append(files, filepath.Clean(path))
		}
		return err
	}))
	sort.Strings(files)
	require.Greater(tb, len(files), 15)
	return files
}

// TestOutsiderFmt: ttx fmt -check agrees with hclwrite.Format (what terraform fmt runs) on
// every file, formatted or not, and ttx fmt writes exactly what hclwrite.Format gives.
func TestOutsiderFmt(t *testing.T) {
	var formatted, unformatted int
	for _, file := range outsiderHCLFiles(t) {
		t.Run(file, func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			code, stdout, stderr := outsiderRun("fmt", "-check", file)
			if strings.HasSuffix(file, "syntax.hcl") {
				assert.NotEqual(t, 0, code, "a file that does not parse cannot be formatted")
				assert.Contains(t, stderr, "syntax.hcl:5:")
				return
			}
			want := hclwrite.Format(src)
			if bytes.Equal(want, src) {
				formatted++
				assert.Equal(t, 0, code, "%s is canonical for hclwrite but not for ttx fmt: %s%s", file, stdout, stderr)
			} else {
				unformatted++
				assert.NotEqual(t, 0, code, "%s is not canonical for hclwrite but ttx fmt -check passes it", file)
				assert.Contains(t, stdout+stderr, file, "-check names the file that would change")
			}
			// Rewrite a copy and compare with hclwrite.
			tmp := filepath.Join(t.TempDir(), filepath.Base(file))
			require.NoError(t, os.WriteFile(tmp, src, 0o644))
			code, _, stderr = outsiderRun("fmt", tmp)
			require.Equal(t, 0, code, stderr)
			got, err := os.ReadFile(tmp)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got), "ttx fmt differs from hclwrite.Format")
		})
	}
	assert.Positive(t, formatted)
	assert.GreaterOrEqual(t, unformatted, 5)
}

// outsiderReport is the part of the report JSON that scoring.md fixes.
type outsiderReport struct {
	Exercise struct {
		Scenario    string `json:"scenario"`
		Plan        string `json:"plan"`
		PlanVersion string `json:"plan_version"`
	} `json:"exercise"`
	Score struct {
		Overall      float64            `json:"overall"`
		ByTeam       map[string]float64 `json:"by_team"`
		ByCapability map[string]float64 `json:"by_capability"`
		ByPhase      map[string]float64 `json:"by_phase"`
	} `json:"score"`
	Ratings struct {
		Overall      string            `json:"overall"`
		ByTeam       map[string]string `json:"by_team"`
		ByCapability map[string]string `json:"by_capability"`
		ByPhase      map[string]string `json:"by_phase"`
	} `json:"ratings"`
	Items []struct {
		Kind        string   `json:"kind"`
		ID          string   `json:"id"`
		Team        string   `json:"team"`
		TriggeredAt string   `json:"triggered_at"`
		Deadline    string   `json:"deadline"`
		DoneAt      string   `json:"done_at"`
		By          string   `json:"by"`
		Answer      string   `json:"answer"`
		Credit      *float64 `json:"credit"`
		Weight      float64  `json:"weight"`
		Gaps        []string `json:"gaps"`
	} `json:"items"`
	NotInPlay []string `json:"not_in_play"`
	Open      []string `json:"open"`
	Gaps      []struct {
		Item   string `json:"item"`
		Team   string `json:"team"`
		Kind   string `json:"kind"`
		Detail string `json:"detail"`
	} `json:"gaps"`
	Timeline []map[string]any `json:"timeline"`
}

func mustOutsiderRehearse(t *testing.T) ([]byte, outsiderReport) {
	t.Helper()
	code, stdout, stderr := outsiderRun("rehearse", "--json", "--rehearsal", outsiderPath("valid", "steady-hands.hcl"), outsiderPath("valid"))
	require.Equal(t, 0, code, stderr)
	var r outsiderReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	return []byte(stdout), r
}

// TestOutsiderRehearseIsByteIdentical: the same files give the same bytes every run.
func TestOutsiderRehearseIsByteIdentical(t *testing.T) {
	first, _ := mustOutsiderRehearse(t)
	second, _ := mustOutsiderRehearse(t)
	assert.Equal(t, string(first), string(second))
}

// outsiderTimeline is the hand-written timeline of steady-hands over crane-hijack, derived
// from language.md ("How an exercise plays"):
//   - 0s: the incident starts at the lowest level (minor), which triggers check_cctv
//     (on_severity minor); alarm is delivered and triggers its three actions.
//   - 30m: scada-alert comes due at the same moment soc isolates the gateway; injects fire
//     before responses stamped with that moment, so isolate_gateway is not yet done and the
//     inject is delivered; it raises severity to major, triggering brief_exec.
//   - 35m: ops' escalation to soc records page_soc (its escalate_to is soc).
//   - 50m: two inputs at one moment play in file order: the note, then soc's check_cctv.
//   - 1h: exec's answer to pay is refused (not yet put to exec); press and crane-stops
//     are both due, press first (file order): page_soc was late, so press is skipped, and
//     press-followup (after press) with it; crane-stops (30m after scada-alert) is delivered.
//   - 1h20m: soc's escalation to exec records brief_exec.
//   - 2h: ransom raises severity to continuity: restore_backups and notify_authority.
//   - 2h10m, 2h20m: it answers pay first, then exec; soc's answer at 2h30m is refused.
//   - 3h: regulator-call wants the first choice to be refuse; it was pay: skipped.
//   - 4h: late-news: severity.level 3 >= 3 and elapsed 14400 >= 14400: delivered.
//   - 5h: all-clear's severity (major) is lower: no change; isolate_gateway is already
//     triggered: no new trigger.
//   - 6h: the exercise ends at its duration.
//
// It is kept in testdata/outsider/steady-hands.timeline, one "T KIND NAMES…" line per event
// (an inject_delivered line ends with the decision it puts), so that the live run in
// web/outsider_test.go is checked against the same lines.
func outsiderTimeline(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(outsiderPath("steady-hands.timeline"))
	require.NoError(t, err)
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// outsiderLine renders a timeline event as "T KIND NAME TEAM".
func outsiderLine(e map[string]any) string {
	parts := []string{fmt.Sprint(e["t"]), fmt.Sprint(e["kind"])}
	for _, k := range []string{"inject", "action", "decision", "severity", "team"} {
		if v, ok := e[k]; ok && v != nil && v != "" {
			if m, ok := v.(map[string]any); ok {
				v = m["name"]
			}
			parts = append(parts, fmt.Sprint(v))
		}
	}
	return strings.Join(parts, " ")
}

// TestOutsiderRehearseTimeline: the timeline is what language.md implies, in order.
func TestOutsiderRehearseTimeline(t *testing.T) {
	_, r := mustOutsiderRehearse(t)
	var got []string
	var last float64
	for _, e := range r.Timeline {
		got = append(got, outsiderLine(e))
		seq, _ := e["seq"].(float64)
		assert.Greater(t, seq, last, "seq increases: %v", e)
		last = seq
		assert.NotEmpty(t, e["wall"], "every event has a wall time: %v", e)
	}
	assert.Equal(t, outsiderTimeline(t), got)
	assert.Equal(t, "crane-hijack", r.Exercise.Scenario)
	assert.Equal(t, "harbour-irp", r.Exercise.Plan)
	assert.Equal(t, "1.4", r.Exercise.PlanVersion)
}

// TestOutsiderRehearseScores: items, credits, gaps and scores computed by hand from
// scoring.md.
func TestOutsiderRehearseScores(t *testing.T) {
	_, r := mustOutsiderRehearse(t)

	type item struct {
		kind, id, team, triggered, deadline, doneAt, by, answer string
		credit                                                  float64
		weight                                                  float64
		gaps                                                    []string
	}
	want := []item{
		// owner ops never recorded it; soc did at 50m, on time: 1.0 halved.
		{"action", "check_cctv", "ops", "0s", "1h0m0s", "50m0s", "soc", "", 0.5, 1, []string{"wrong_owner"}},
		// 5m <= 10m.
		{"action", "open_ticket", "ops", "0s", "10m0s", "5m0s", "ops", "", 1, 1, []string{}},
		// 35m: past 20m, within 40m: 0.5 late; open_ticket (its after) was done at 5m.
		{"action", "page_soc", "ops", "0s", "20m0s", "35m0s", "ops", "", 0.5, 1, []string{"late"}},
		// 30m <= 30m: 1.0, but page_soc (its after) only at 35m: -0.25.
		{"action", "isolate_gateway", "soc", "0s", "30m0s", "30m0s", "soc", "", 0.75, 1, []string{"out_of_order"}},
		// triggered 30m, due 15m: deadline 45m, 2D 1h; 1h20m is later: 0.25 late.
		{"action", "brief_exec", "soc", "30m0s", "45m0s", "1h20m0s", "soc", "", 0.25, 1, []string{"late"}},
		// triggered 2h, deadline 4h, nobody by the end at 6h: missed, weight 2.
		{"action", "restore_backups", "it", "2h0m0s", "4h0m0s", "", "", "", 0, 2, []string{"missed"}},
		// one decision item per team in ransom's to.
		{"decision", "pay", "exec", "", "", "", "", "refuse", 1, 2, []string{}},
		{"decision", "pay", "it", "", "", "", "", "pay", 0, 2, []string{"wrong_choice"}},
	}
	scored := map[string]item{}
	for _, it := range r.Items {
		if it.Credit == nil {
			continue
		}
		gaps := it.Gaps
		if gaps == nil {
			gaps = []string{}
		}
		got := item{it.Kind, it.ID, it.Team, it.TriggeredAt, it.Deadline, it.DoneAt, it.By, it.Answer, *it.Credit, it.Weight, gaps}
		if it.Kind == "decision" {
			got.triggered, got.deadline, got.doneAt, got.by = "", "", "", ""
		}
		scored[it.Kind+"/"+it.ID+"/"+it.Team] = got
	}
	assert.Len(t, scored, len(want))
	for _, w := range want {
		assert.Equal(t, w, scored[w.kind+"/"+w.id+"/"+w.team], "%s %s of %s", w.kind, w.id, w.team)
	}
	assert.Equal(t, []string{"lessons_learned"}, r.NotInPlay, "never triggered")
	assert.Equal(t, []string{"notify_authority"}, r.Open, "triggered at 2h, deadline 26h, after the end at 6h")

	var gaps []string
	for _, g := range r.Gaps {
		gaps = append(gaps, g.Item+"/"+g.Team+"/"+g.Kind)
		assert.NotEmpty(t, g.Detail)
	}
	sort.Strings(gaps)
	assert.Equal(t, []string{
		"brief_exec/soc/late", "check_cctv/ops/wrong_owner", "isolate_gateway/soc/out_of_order",
		"page_soc/ops/late", "pay/it/wrong_choice", "restore_backups/it/missed",
	}, gaps)

	// Weighted means x 100, one decimal, half away from zero.
	// overall: (0.5+1+0.5+0.75+0.25+0*2+1*2+0*2) / (1+1+1+1+1+2+2+2) = 5/11 = 45.45…
	assert.Equal(t, 45.5, r.Score.Overall)
	assert.Equal(t, "U", r.Ratings.Overall)
	assert.Equal(t, map[string]float64{
		"ops":  66.7, // (0.5+1+0.5)/3
		"soc":  50,   // (0.75+0.25)/2
		"it":   0,    // restore 0x2, decision 0x2
		"exec": 100,  // decision 1x2; notify_authority open, not scored
	}, r.Score.ByTeam)
	assert.Equal(t, map[string]string{"ops": "S", "soc": "M", "it": "U", "exec": "P"}, r.Ratings.ByTeam)
	assert.Equal(t, map[string]float64{
		"reporting":   75,   // (0.5+1)/2
		"escalation":  37.5, // (0.5+0.25)/2
		"containment": 75,   // 0.75
		"recovery":    0,    // 0x2
		"decisions":   50,   // (1x2+0x2)/4
	}, r.Score.ByCapability, "regulatory (open) and review (not in play) are left out")
	assert.Equal(t, map[string]string{"reporting": "S", "escalation": "U", "containment": "S", "recovery": "U", "decisions": "M"}, r.Ratings.ByCapability)
	assert.Equal(t, map[string]float64{
		"preparation": 50,   // 0.5
		"detection":   75,   // (1+0.5)/2
		"containment": 50,   // (0.75+0.25)/2
		"recovery":    33.3, // (0x2 + 1x2 + 0x2)/6
	}, r.Score.ByPhase, "post_incident has only an open item: left out")
	assert.Equal(t, map[string]string{"preparation": "M", "detection": "S", "containment": "M", "recovery": "U"}, r.Ratings.ByPhase)
}

// TestOutsiderRehearseText: the readable form says the same as the JSON.
func TestOutsiderRehearseText(t *testing.T) {
	code, stdout, stderr := outsiderRun("rehearse", "--rehearsal", outsiderPath("valid", "steady-hands.hcl"), outsiderPath("valid"))
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"45.5", "press-followup", "regulator-call", "lessons_learned", "notify_authority", "steady-hands.hcl:31", "steady-hands.hcl:55"} {
		assert.Contains(t, stdout, want)
	}
}

// mustFerryExercises stores the rehearsals "first" and "second" of the ferry plan as
// exercises rehearsal-first and rehearsal-second in a new database, and copies the plan file
// beside it; it returns the database, the copy and the plan's text.
func mustFerryExercises(t *testing.T) (db, plan string, original []byte) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "ttx.db")
	src := outsiderPath("revise")
	for _, name := range []string{"first", "second"} {
		code, _, stderr := outsiderRun("rehearse", "--db", db, "--rehearsal", filepath.Join(src, "ferry-rehearsals.hcl"), "--name", name, src)
		require.Equal(t, 0, code, stderr)
	}
	original, err := os.ReadFile(filepath.Join(src, "ferry-plan.hcl"))
	require.NoError(t, err)
	plan = filepath.Join(dir, "ferry-plan.hcl")
	require.NoError(t, os.WriteFile(plan, original, 0o644))
	return db, plan, original
}

// TestOutsiderRevise: two stored rehearsals of the ferry plan, then revise as scoring.md says:
// a consistent wrong owner moves the action, a consistent lateness sets (v2) the median time
// rounded up to 5 minutes and at most twice the due, a fixed deadline is never relaxed, a
// miss is no edit; comments
// survive, the version is bumped, each change has its evidence above it, and the revised plan
// still validates.
func TestOutsiderRevise(t *testing.T) {
	db, plan, original := mustFerryExercises(t)

	// Without --write: a diff, the file untouched.
	code, stdout, stderr := outsiderRun("revise", "--plan", plan, "--db", db, "rehearsal-first", "rehearsal-second")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "--- ")
	assert.Contains(t, stdout, "+++ ")
	assert.Contains(t, stdout, `+    owner      = team.shore`)
	unchanged, err := os.ReadFile(plan)
	require.NoError(t, err)
	assert.Equal(t, string(original), string(unchanged), "revise without --write leaves the file alone")

	code, _, stderr = outsiderRun("revise", "--plan", plan, "--db", db, "--write", "rehearsal-first", "rehearsal-second")
	require.Equal(t, 0, code, stderr)
	revisedBytes, err := os.ReadFile(plan)
	require.NoError(t, err)
	revised := string(revisedBytes)

	// Attributes as the revised file has them, by action.
	attr := func(block, name string) string {
		i := strings.Index(revised, block)
		require.GreaterOrEqual(t, i, 0, "%s is gone", block)
		rest := revised[i:]
		end := strings.Index(rest, "\n  }")
		m := regexp.MustCompile(`(?m)^\s*` + name + `\s*=\s*(.*)$`).FindStringSubmatch(rest[:end])
		require.NotNil(t, m, "%s has no %s", block, name)
		return strings.TrimSpace(m[1])
	}
	assert.Equal(t, `"2.4"`, attr(`plan "ferry-irp"`, "version"))
	assert.Equal(t, `team.shore # the master's duty on paper`, attr(`action "log_position"`, "owner"), "always done by shore")
	assert.Equal(t, `"10m"`, attr(`action "log_position"`, "due"))
	assert.Equal(t, `"30m"`, attr(`action "muster"`, "due"), "(v2) the median of 22m and 37m, 29m30s, rounded up to 30m (v1 took the slowest: 40m)")
	assert.Equal(t, `"20m"`, attr(`action "report_coastguard"`, "due"), "a fixed deadline is never relaxed")
	assert.Equal(t, `team.shore`, attr(`action "report_coastguard"`, "owner"))
	assert.Equal(t, `"30m"`, attr(`action "brief_board"`, "due"), "a miss is no edit")
	for _, comment := range []string{
		"# Ferry operator's plan, written to be revised",
		"# Always done by shore in practice: revise should move it there.",
		"# Late too, but a legal deadline: revise must not relax it.",
	} {
		assert.Contains(t, revised, comment, "comments survive")
	}
	// A comment with the evidence right above each changed line.
	lines := strings.Split(revised, "\n")
	assert.Contains(t, revised, "due was \"15m\"; late in every exercise, median 29m30s", "muster's due has its evidence above it")
	for i, l := range lines {
		if strings.Contains(l, `team.shore # the master's`) || (strings.Contains(l, `due        = "30m"`) && strings.Contains(lines[i-1], "ttx revise")) || strings.Contains(l, `version = "2.4"`) {
			require.Positive(t, i)
			assert.Contains(t, lines[i-1], "#", "no comment above %q", l)
			assert.Contains(t, lines[i-1], "rehearsal-", "the comment above %q names the evidence", l)
		}
	}

	code, _, stderr = outsiderRun("validate", plan, outsiderPath("revise", "ferry-scenario.hcl"))
	assert.Equal(t, 0, code, "the revised plan validates: %s", stderr)
}

// TestOutsiderRehearseNight: a second scenario and rehearsal, timeline and scores by hand.
//   - 20m: blackout jumps from minor to continuity: brief_exec (on_severity major, at or
//     below continuity), restore_backups and notify_authority all trigger then.
//   - 25m: chain-1 fires; chain-2 is due at once after it but open_ticket was recorded
//     first by soc, not ops: skipped, and chain-3 after it.
//   - 30m: restore_backups is not recorded yet, so not on time: too-early skipped.
//   - 1h10m: restore_backups was recorded at 40m by its owner, before its deadline of
//     2h20m: check-on-time delivered.
//   - 1h30m: downgrade's severity is lower: no change.
//
// Scores: check_cctv missed (0, the exercise ended at 2h, past 1h); open_ticket: the record
// that counts is the owner's (ops at 12m), not soc's earlier one: 12m is past 10m, within
// 20m: 0.5 late, no wrong_owner; brief_exec missed (0); restore_backups 1.0, weight 2;
// notify_authority open (deadline 24h20m). Overall (0+0.5+0+2)/5 = 50.0.
func TestOutsiderRehearseNight(t *testing.T) {
	code, stdout, stderr := outsiderRun("rehearse", "--json", "--rehearsal", outsiderPath("night", "quiet-night.hcl"),
		outsiderPath("valid", "harbour-plan.hcl"), outsiderPath("night"))
	require.Equal(t, 0, code, stderr)
	var r outsiderReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	var got []string
	for _, e := range r.Timeline {
		got = append(got, outsiderLine(e))
	}
	// The three triggers at 20m may come in any order: language.md gives none.
	assert.Equal(t, []string{
		"0s exercise_started",
		"0s severity_changed minor",
		"0s action_triggered check_cctv ops",
		"0s inject_delivered tip-off",
		"0s action_triggered open_ticket ops",
		"10m0s action_recorded open_ticket soc",
		"12m0s action_recorded open_ticket ops",
		"20m0s inject_delivered blackout",
		"20m0s severity_changed continuity",
		"20m0s action_triggered brief_exec soc",
		"20m0s action_triggered notify_authority exec",
		"20m0s action_triggered restore_backups it",
		"25m0s inject_delivered chain-1",
		"25m0s inject_skipped chain-2",
		"25m0s inject_skipped chain-3",
		"30m0s inject_skipped too-early",
		"40m0s action_recorded restore_backups it",
		"1h0m0s inject_delivered whodunnit",
		"1h10m0s inject_delivered check-on-time",
		"1h30m0s inject_delivered downgrade",
		"2h0m0s exercise_ended",
	}, sortedWindow(got, 9, 12))

	assert.Equal(t, 50.0, r.Score.Overall)
	assert.Equal(t, "M", r.Ratings.Overall)
	assert.Equal(t, map[string]float64{"ops": 25, "soc": 0, "it": 100}, r.Score.ByTeam)
	assert.Equal(t, map[string]float64{"reporting": 25, "escalation": 0, "recovery": 100}, r.Score.ByCapability)
	assert.Equal(t, map[string]float64{"preparation": 0, "detection": 50, "containment": 0, "recovery": 100}, r.Score.ByPhase)
	var gaps []string
	for _, g := range r.Gaps {
		gaps = append(gaps, g.Item+"/"+g.Team+"/"+g.Kind)
	}
	sort.Strings(gaps)
	assert.Equal(t, []string{"brief_exec/soc/missed", "check_cctv/ops/missed", "open_ticket/ops/late"}, gaps)
	for _, it := range r.Items {
		if it.ID == "open_ticket" {
			assert.Equal(t, "ops", it.By, "the owner's record counts")
			assert.Equal(t, "12m0s", it.DoneAt)
		}
	}
	assert.Equal(t, []string{"notify_authority"}, r.Open)
	assert.ElementsMatch(t, []string{"page_soc", "isolate_gateway", "lessons_learned"}, r.NotInPlay)
}

// sortedWindow returns lines with lines[from:to] sorted (same-moment events in no set order).
func sortedWindow(lines []string, from, to int) []string {
	out := append([]string(nil), lines...)
	if to <= len(out) {
		sort.Strings(out[from:to])
	}
	return out
}

// TestOutsiderRehearseEdgeCases: the corners of scoring.md, by hand.
//   - isolate_gateway by soc at 15m, on time, but page_soc (its after) only at 50m: 0.75.
//   - page_soc (ops') by soc at 50m, past 2x20m: 0.25, halved for the wrong owner: 0.125,
//     open_ticket (its after) never recorded: -0.25, floored at 0.
//   - restore_backups by it at 1h, before ransom triggers it at 2h: on time, 1.0 (weight 2).
//   - brief_exec by soc's escalation to exec at 1h30m, before its trigger at 2h: 1.0.
//   - check_cctv by ops at 2h30m, past 2x1h: 0.25 late.
//   - open_ticket never recorded: 0 missed; pay unanswered by exec and it: 0 missed, weight 2.
//
// Overall (0.25+0+0+0.75+1+1x2+0x2+0x2)/11 = 4/11 = 36.36… = 36.4.
func TestOutsiderRehearseEdgeCases(t *testing.T) {
	code, stdout, stderr := outsiderRun("rehearse", "--json", "--rehearsal", outsiderPath("edge", "edge-cases.hcl"),
		outsiderPath("valid", "harbour-plan.hcl"), outsiderPath("valid", "crane-hijack.hcl"), outsiderPath("edge"))
	require.Equal(t, 0, code, stderr)
	var r outsiderReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))

	credits := map[string]float64{}
	gaps := map[string][]string{}
	for _, it := range r.Items {
		if it.Credit == nil {
			continue
		}
		key := it.ID + "/" + it.Team
		credits[key] = *it.Credit
		g := append([]string{}, it.Gaps...)
		sort.Strings(g)
		gaps[key] = g
	}
	assert.Equal(t, map[string]float64{
		"check_cctv/ops":      0.25,
		"open_ticket/ops":     0,
		"page_soc/ops":        0,
		"isolate_gateway/soc": 0.75,
		"brief_exec/soc":      1,
		"restore_backups/it":  1,
		"pay/exec":            0,
		"pay/it":              0,
	}, credits)
	assert.Equal(t, map[string][]string{
		"check_cctv/ops":      {"late"},
		"open_ticket/ops":     {"missed"},
		"page_soc/ops":        {"late", "out_of_order", "wrong_owner"},
		"isolate_gateway/soc": {"out_of_order"},
		"brief_exec/soc":      {},
		"restore_backups/it":  {},
		"pay/exec":            {"missed"},
		"pay/it":              {"missed"},
	}, gaps)

	assert.Equal(t, 36.4, r.Score.Overall)
	assert.Equal(t, map[string]float64{"ops": 8.3, "soc": 87.5, "it": 50, "exec": 0}, r.Score.ByTeam)
	assert.Equal(t, map[string]string{"ops": "U", "soc": "P", "it": "M", "exec": "U"}, r.Ratings.ByTeam)
	assert.Equal(t, map[string]float64{"reporting": 12.5, "escalation": 50, "containment": 75, "recovery": 100, "decisions": 0}, r.Score.ByCapability)
	assert.Equal(t, map[string]float64{"preparation": 25, "detection": 0, "containment": 87.5, "recovery": 33.3}, r.Score.ByPhase)

	var skipped []string
	for _, e := range r.Timeline {
		if e["kind"] == "inject_skipped" {
			skipped = append(skipped, fmt.Sprint(e["t"], " ", e["inject"]))
		}
	}
	// isolate_gateway done at 15m: scada-alert skipped, and crane-stops after it; page_soc
	// recorded by soc, not its owner: not on time, so press and press-followup; nobody chose.
	assert.Equal(t, []string{"30m0s scada-alert", "30m0s crane-stops", "1h0m0s press", "1h0m0s press-followup", "3h0m0s regulator-call"}, skipped)
}

// TestOutsiderRounding: one decimal, half away from zero (scoring.md), on scores whose
// second decimal is exactly 5: alpha (0.25+0+0+0)/4 = 6.25, beta (0.5+0.25+0+0)/4 = 18.75.
func TestOutsiderRounding(t *testing.T) {
	dir := outsiderPath("rounding")
	code, stdout, stderr := outsiderRun("rehearse", "--json", "--rehearsal", filepath.Join(dir, "round.hcl"), dir)
	require.Equal(t, 0, code, stderr)
	var r outsiderReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	assert.Equal(t, map[string]float64{"alpha": 6.3, "beta": 18.8}, r.Score.ByCapability)
	assert.Equal(t, 12.5, r.Score.Overall)
}
