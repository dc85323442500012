package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scenarios/msel"
)

// runMSEL is `ttx msel export|import`: a scenario to and from the MSEL spreadsheet
// (design/interop.md).
func runMSEL(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			mselUsage(stderr)
			return 0
		}
		mselUsage(stderr)
		return 2
	}
	if args[0] == "export" {
		return runMSELExport(args[1:], stdout, stderr)
	}
	return runMSELImport(args[1:], stdout, stderr)
}

func mselUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: ttx msel export [--format xlsx|csv] [--scenario NAME] [-o FILE] [PATH…]")
	fmt.Fprintln(w, "       ttx msel import FILE.xlsx|FILE.csv --plan NAME [--scenario NAME] [--duration D] [--title T] [--summary S] [--start-time RFC3339] [PATH…]")
	fmt.Fprintln(w, "\nPATHs hold the scenarios and plans (default: the bundled library).")
}

// loadPaths loads PATHs, or the bundled library without any, and prints its errors.
func loadPaths(paths []string, stderr io.Writer, cmd string) (*scenarios.Set, bool) {
	var set *scenarios.Set
	var diags hcl.Diagnostics
	if len(paths) == 0 {
		set, diags = scenarios.LoadFS(scenarios.Library())
	} else {
		set, diags = scenarios.Load(paths...)
	}
	if diags.HasErrors() {
		writeDiagnostics(stderr, set.Files, errsOnly(diags))
		fmt.Fprintf(stderr, "%s: the files have errors; `ttx validate` lists them all\n", cmd)
		return nil, false
	}
	return set, true
}

// errsOnly keeps only the errors of diags.
func errsOnly(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}

// runMSELExport is `ttx msel export`: the scenario's MSEL, to standard output or -o FILE.
func runMSELExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttx msel export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "xlsx", "xlsx or csv")
	name := fs.String("scenario", "", "the scenario to export, when PATHs hold more than one")
	out := fs.String("o", "", "write to this file instead of standard output")
	fs.Usage = func() { mselUsage(stderr); fs.PrintDefaults() }
	paths, code := parseInterleaved(fs, args)
	if code >= 0 {
		return code
	}
	if *format != "xlsx" && *format != "csv" {
		fmt.Fprintf(stderr, "ttx msel export: unknown format %q: choose xlsx or csv\n", *format)
		return 2
	}
	set, ok := loadPaths(paths, stderr, "ttx msel export")
	if !ok {
		return 1
	}
	sc, err := pickScenario(set, *name)
	if err != nil {
		fmt.Fprintf(stderr, "ttx msel export: %v\n", err)
		return 1
	}
	wb := msel.Export(sc, set.Files)
	var buf bytes.Buffer
	if *format == "csv" {
		err = msel.WriteCSV(&buf, wb)
	} else {
		err = msel.WriteXLSX(&buf, wb)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ttx msel export: %v\n", err)
		return 1
	}
	return writeOutput(*out, buf.Bytes(), stdout, stderr, "ttx msel export")
}

// pickScenario is the scenario named, or the only one of set.
func pickScenario(set *scenarios.Set, name string) (*scenarios.Scenario, error) {
	names := make([]string, 0, len(set.Scenarios))
	for n := range set.Scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	if name != "" {
		if sc := set.Scenarios[name]; sc != nil {
			return sc, nil
		}
		hint := ""
		if near := scenarios.Nearest(name, names); near != "" {
			hint = fmt.Sprintf("; did you mean %q?", near)
		}
		return nil, fmt.Errorf("no scenario %q%s (loaded: %s)", name, hint, strings.Join(names, ", "))
	}
	switch len(names) {
	case 0:
		return nil, fmt.Errorf("the files hold no scenario")
	case 1:
		return set.Scenarios[names[0]], nil
	}
	return nil, fmt.Errorf("the files hold %d scenarios (%s): choose one with --scenario NAME", len(names), strings.Join(names, ", "))
}

// writeOutput writes data to the file path, or to stdout when path is "".
func writeOutput(path string, data []byte, stdout, stderr io.Writer, cmd string) int {
	if path == "" {
		if _, err := stdout.Write(data); err != nil {
			fmt.Fprintf(stderr, "%s: write: %v\n", cmd, err)
			return 1
		}
		return 0
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// runMSELImport is `ttx msel import`: the scenario an MSEL describes, in canonical HCL on
// standard output, or every problem of the file on standard error and exit 1.
func runMSELImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttx msel import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plan := fs.String("plan", "", "the plan the scenario runs against (required)")
	name := fs.String("scenario", "", "the scenario's name (default: the Scenario sheet's, or the CSV's file name)")
	duration := fs.String("duration", "", "the scenario's duration, like 8h (required for a CSV)")
	title := fs.String("title", "", "the scenario's title")
	summary := fs.String("summary", "", "the scenario's summary")
	start := fs.String("start-time", "", "the simulated wall clock at T+0, RFC 3339")
	out := fs.String("o", "", "write to this file instead of standard output")
	fs.Usage = func() { mselUsage(stderr); fs.PrintDefaults() }
	rest, code := parseInterleaved(fs, args)
	if code >= 0 {
		return code
	}
	if len(rest) == 0 {
		fmt.Fprintln(stderr, "ttx msel import: give the MSEL file, FILE.xlsx or FILE.csv")
		fs.Usage()
		return 2
	}
	if *plan == "" {
		fmt.Fprintln(stderr, "ttx msel import: give the plan the scenario runs against with --plan NAME")
		return 2
	}
	opts := msel.Options{Plan: *plan, Scenario: *name, Title: *title, Summary: *summary}
	if *duration != "" {
		d, err := time.ParseDuration(*duration)
		if err != nil || d <= 0 {
			fmt.Fprintf(stderr, "ttx msel import: --duration %q is not a positive duration, like 8h\n", *duration)
			return 2
		}
		opts.Duration = d
	}
	if *start != "" {
		t, err := time.Parse(time.RFC3339, *start)
		if err != nil {
			fmt.Fprintf(stderr, "ttx msel import: --start-time %q is not an RFC 3339 time, like 2026-03-14T07:30:00Z\n", *start)
			return 2
		}
		opts.StartTime = t
	}
	file := rest[0]
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "ttx msel import: %v\n", err)
		return 1
	}
	set, ok := loadPaths(rest[1:], stderr, "ttx msel import")
	if !ok {
		return 1
	}
	opts.Set = set
	text, diags := msel.Import(file, data, opts)
	for _, d := range diags {
		fmt.Fprintln(stderr, d.String())
	}
	if diags.HasErrors() {
		fmt.Fprintf(stderr, "ttx msel import: %s: %s; nothing imported\n", file, plural(countErrors(diags), "error"))
		return 1
	}
	return writeOutput(*out, text, stdout, stderr, "ttx msel import")
}

func countErrors(diags msel.Diagnostics) int {
	n := 0
	for _, d := range diags {
		if !d.Warning {
			n++
		}
	}
	return n
}
