package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/ttx-dev/ttx/scenarios"
)

// runValidate is `ttx validate [PATH…]`: load the files and directories (or, with no path, the
// bundled library), print every diagnostic with its source, and exit 1 on any error.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttx validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ttx validate [PATH…]\n\n"+
			"Loads the scenario files and directories (walked for *.hcl) and prints every problem as\n"+
			"file:line:col: error: SUMMARY: DETAIL with the source line. With no PATH it checks the\n"+
			"bundled library. Exits 1 when there is any error, 0 otherwise (warnings included).")
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	var set *scenarios.Set
	var diags hcl.Diagnostics
	what := strings.Join(fs.Args(), " ")
	if fs.NArg() == 0 {
		set, diags = scenarios.LoadFS(scenarios.Library())
		what = "the bundled library"
	} else {
		set, diags = scenarios.Load(fs.Args()...)
	}
	writeDiagnostics(stderr, set.Files, diags)
	errs, warns := 0, 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs++
		} else {
			warns++
		}
	}
	fmt.Fprintf(stdout, "%s: %s, %s in %s (%s, %s, %s)\n", what,
		plural(errs, "error"), plural(warns, "warning"), plural(len(set.Files), "file"),
		plural(len(set.Plans), "plan"), plural(len(set.Scenarios), "scenario"), plural(len(set.Rehearsals), "rehearsal"))
	if errs > 0 {
		return 1
	}
	return 0
}

// writeDiagnostics prints each diagnostic as `file:line:col: error: SUMMARY: DETAIL`, followed
// by its source lines as hcl's diagnostic text writer shows them.
func writeDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) {
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Subject == nil {
			fmt.Fprintf(w, "%s: %s\n", sev, msg)
			continue
		}
		fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, sev, msg)
		fmt.Fprint(w, snippet(files, d))
	}
}

// snippet renders only the source part of hcl's text form of d: the writer is given the
// diagnostic without its summary and detail, and its header line is dropped, since the line
// above already says them.
func snippet(files map[string]*hcl.File, d *hcl.Diagnostic) string {
	bare := &hcl.Diagnostic{Severity: d.Severity, Subject: d.Subject, Context: d.Context}
	var buf bytes.Buffer
	if err := hcl.NewDiagnosticTextWriter(&buf, files, 0, false).WriteDiagnostic(bare); err != nil {
		return ""
	}
	_, rest, _ := strings.Cut(buf.String(), "\n\n")
	return rest
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
