package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/ttx-dev/ttx/scenarios"
)

// mustExportMSEL writes the bundled hospital-ransomware scenario's MSEL to dir/name through
// the command line and returns its path.
func mustExportMSEL(t *testing.T, dir, name, format string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	code, stdout, stderr := runMain("msel", "export", "--scenario", "hospital-ransomware", "--format", format, "-o", path)
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stdout)
	return path
}

// setCells changes cells of the MSEL sheet of the workbook at path: each key is a column
// header and an inject name ("To@ward7-call"), or a cell name ("A1").
func setCells(t *testing.T, path string, cells map[string]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	rows := mselRows(t, path)
	for key, v := range cells {
		ref := key
		if col, inject, ok := strings.Cut(key, "@"); ok {
			ref = cellOf(t, rows, col, inject)
		}
		require.NoError(t, f.SetCellStr("MSEL", ref, v))
	}
	require.NoError(t, f.Save())
}

// cellOf is the cell of column header in the row of inject.
func cellOf(t *testing.T, rows [][]string, header, inject string) string {
	t.Helper()
	r, c := rowColOf(t, rows, header, inject)
	name, err := excelize.CoordinatesToCellName(c+1, r+1)
	require.NoError(t, err)
	return name
}

// rowColOf is the row and column, from 0, of column header in the row of inject.
func rowColOf(t *testing.T, rows [][]string, header, inject string) (row, col int) {
	t.Helper()
	col = -1
	for i, h := range rows[0] {
		if h == header {
			col = i
		}
	}
	require.GreaterOrEqual(t, col, 0, "column %s", header)
	for r, row := range rows {
		if len(row) > 1 && row[1] == inject {
			return r, col
		}
	}
	t.Fatalf("no row for inject %s", inject)
	return 0, 0
}

// mselRows reads the MSEL sheet of the workbook, or the records of the CSV, at path.
func mselRows(t *testing.T, path string) [][]string {
	t.Helper()
	if filepath.Ext(path) == ".csv" {
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		return rows
	}
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("MSEL")
	require.NoError(t, err)
	return rows
}

// positions fills in what a diagnostic names from the exported MSEL at path and the bundled
// library, so that an edit of the library moves the expectation with it: {Header@inject} is
// that cell (MSEL!I2 in a workbook, record:field in a CSV), {row@inject} the inject's row and
// {plan} where the plan is defined (file:line:col).
func positions(t *testing.T, path, want string) string {
	t.Helper()
	rows := mselRows(t, path)
	set, diags := scenarios.LoadFS(scenarios.Library())
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	plan := set.Plans[mselPlan].DeclRange
	want = strings.ReplaceAll(want, "{plan}", fmt.Sprintf("%s:%d:%d", plan.Filename, plan.Start.Line, plan.Start.Column))
	return placeholder.ReplaceAllStringFunc(want, func(m string) string {
		header, inject, _ := strings.Cut(m[1:len(m)-1], "@")
		if header == "row" {
			r, _ := rowColOf(t, rows, rows[0][1], inject)
			return strconv.Itoa(r + 1)
		}
		if filepath.Ext(path) == ".csv" {
			r, c := rowColOf(t, rows, header, inject)
			return fmt.Sprintf("%d:%d", r+1, c+1)
		}
		return "MSEL!" + cellOf(t, rows, header, inject)
	})
}

var placeholder = regexp.MustCompile(`\{[^{}@]+@[^{}]+\}`)

// mselPlan is the plan of the bundled scenario the tests export.
const mselPlan = "st-aldrics-cyber-irp"

// TestMSELImportBad imports broken MSELs through the command line: each gets its positioned
// diagnostic on standard error, nothing on standard output, and exit 1.
func TestMSELImportBad(t *testing.T) {
	cases := []struct {
		name string
		file string
		make func(t *testing.T, path string)
		args []string
		want []string
	}{{
		name: "unknown team",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) { setCells(t, path, map[string]string{"To@ward7-call": "service_dsk"}) },
		want: []string{`msel.xlsx: {To@ward7-call}: unknown team "service_dsk"; did you mean "service_desk"?`},
	}, {
		name: "bad time",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) { setCells(t, path, map[string]string{"Time@edr-alert": "T+1:75"}) },
		want: []string{`msel.xlsx: {Time@edr-alert}: time "T+1:75" is not a time; write T+H:MM or T+H:MM:SS (T+1:30 is 1h30m), or a duration like 90m`},
	}, {
		name: "after naming nothing",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) {
			setCells(t, path, map[string]string{"After@epma-down": "inject.pharmacy-and-radiolgy"})
		},
		want: []string{`: after inject.pharmacy-and-radiolgy names no inject; did you mean "inject.pharmacy-and-radiology"?`},
	}, {
		name: "expected not an option",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) {
			setCells(t, path, map[string]string{"Expected@ransom-note": "refuze"})
		},
		want: []string{`: expected "refuze" is not an option of decision "ransom" (options: `, `did you mean "refuse"?`},
	}, {
		name: "a condition the loader refuses",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) {
			setCells(t, path, map[string]string{"Condition@pharmacy-and-radiology": "!action.isolate_hostz.done"})
		},
		want: []string{`msel.xlsx: {Condition@pharmacy-and-radiology}: Unknown action: Plan "st-aldrics-cyber-irp" ({plan}) has no action named "isolate_hostz"`, `Did you mean "isolate_hosts"?`},
	}, {
		name: "duplicate inject",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) {
			setCells(t, path, map[string]string{"Inject@edr-alert": "ward7-call"})
		},
		want: []string{`msel.xlsx: {Inject@edr-alert}: duplicate inject "ward7-call": row {row@ward7-call} has it already; rename one of them`},
	}, {
		name: "missing required column",
		file: "msel.csv",
		make: func(t *testing.T, path string) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), ",Channel,", ",Medium,", 1)), 0o644))
		},
		args: []string{"--duration", "18h"},
		want: []string{`msel.csv:1: missing required column "Channel"`, `msel.csv:1:10: warning: unknown column "Medium", ignored`},
	}, {
		name: "bad time in a CSV",
		file: "msel.csv",
		make: func(t *testing.T, path string) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), ",T+0:15,", ",quarter past,", 1)), 0o644))
		},
		args: []string{"--duration", "18h"},
		want: []string{`msel.csv:{Time@edr-alert}: time "quarter past" is not a time`},
	}, {
		name: "empty sheet",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) {
			f := excelize.NewFile()
			require.NoError(t, f.SetSheetName("Sheet1", "MSEL"))
			require.NoError(t, f.SaveAs(path))
		},
		args: []string{"--duration", "1h"},
		want: []string{`msel.xlsx: MSEL: the sheet is empty: an MSEL needs a header row`},
	}, {
		name: "not a spreadsheet",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("inject,to\nhello,world\n"), 0o644))
		},
		want: []string{`msel.xlsx: not an XLSX workbook (`},
	}, {
		name: "every problem in one run",
		file: "msel.xlsx",
		make: func(t *testing.T, path string) {
			setCells(t, path, map[string]string{"To@ward7-call": "service_dsk", "Time@edr-alert": "T+1:75", "Channel@epma-down": "phon"})
		},
		want: []string{`{To@ward7-call}: unknown team`, `{Time@edr-alert}: time "T+1:75"`, `: unknown channel "phon" (channels: email, phone, chat, news, social, ticket, sitrep); did you mean "phone"?`, `3 errors; nothing imported`},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			format := strings.TrimPrefix(filepath.Ext(tc.file), ".")
			path := mustExportMSEL(t, dir, tc.file, format)
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = positions(t, path, w) // before make changes the cells they name
			}
			tc.make(t, path)
			args := append([]string{"msel", "import", path, "--plan", mselPlan}, tc.args...)
			code, stdout, stderr := runMain(args...)
			assert.Equal(t, 1, code, stderr)
			assert.Empty(t, stdout, "nothing is printed as a scenario while an error remains")
			for _, w := range want {
				assert.Contains(t, stderr, w)
			}
		})
	}
}

// TestMSELRoundTripCLI exports a bundled scenario and imports it back through the command
// line: the import is the scenario in canonical layout, and it validates beside its plan.
func TestMSELRoundTripCLI(t *testing.T) {
	dir := t.TempDir()
	path := mustExportMSEL(t, dir, "msel.xlsx", "xlsx")
	out := filepath.Join(dir, "imported.hcl")
	code, _, stderr := runMain("msel", "import", path, "--plan", mselPlan, "--scenario", "imported", "-o", out)
	require.Equal(t, 0, code, stderr)
	text, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(text), `scenario "imported" {`)
	plan := filepath.Join(dir, "plan.hcl")
	src, err := os.ReadFile("../../scenarios/library/hospital-ransomware-plan.hcl")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(plan, src, 0o644))
	code, _, stderr = runMain("validate", plan, out)
	assert.Equal(t, 0, code, stderr)
	code, _, stderr = runMain("fmt", "-check", out)
	assert.Equal(t, 0, code, stderr)
}

// TestMSELExportNeedsScenario: with several scenarios loaded, export names them and exits 1.
func TestMSELExportNeedsScenario(t *testing.T) {
	code, stdout, stderr := runMain("msel", "export", "--format", "csv")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "choose one with --scenario NAME")
	assert.Contains(t, stderr, "hospital-ransomware")
}
