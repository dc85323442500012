package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ttx-dev/ttx/scoring"
)

// runRevise is `ttx revise --plan FILE EXERCISE…`: the next version of a plan proposed from
// the gaps of finished exercises of it (design/scoring.md, "Plan revisions"). It prints the
// diff and the changes; --write rewrites FILE.
func runRevise(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttx revise", flag.ContinueOnError)
	fs.SetOutput(stderr)
	planFile := fs.String("plan", "", "the HCL file that defines the plan the exercises ran (required)")
	write := fs.Bool("write", false, "rewrite the plan file with the revision")
	minExercises := fs.Int("min-exercises", scoring.DefaultMinExercises, "how many of the exercises must have scored an action before a rule changes it")
	db := dbFlag(fs, "ttx.db")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ttx revise --plan FILE EXERCISE… [--min-exercises N] [--write] [--db ttx.db|postgres://…]")
		fs.PrintDefaults()
	}
	ids, code := parseInterleaved(fs, args)
	if code >= 0 {
		return code
	}
	if *planFile == "" || len(ids) == 0 {
		fmt.Fprintln(stderr, "ttx revise: give the plan file with --plan and at least one finished exercise id")
		fs.Usage()
		return 2
	}
	src, err := os.ReadFile(*planFile)
	if err != nil {
		fmt.Fprintf(stderr, "ttx revise: read the plan: %v\n", err)
		return 1
	}
	store, err := openStore(context.Background(), chooseDB(fs, *db, os.Getenv(envDB)), true)
	if err != nil {
		fmt.Fprintf(stderr, "ttx revise: %v\n", err)
		return 1
	}
	defer store.Close()
	var reports []scoring.Report
	for _, id := range ids {
		r, err := storedReport(context.Background(), store, id)
		if err != nil {
			fmt.Fprintf(stderr, "ttx revise: %v\n", err)
			return 1
		}
		reports = append(reports, r)
	}
	if *minExercises < 1 {
		fmt.Fprintln(stderr, "ttx revise: --min-exercises must be at least 1")
		return 2
	}
	rv, err := scoring.Revise(filepath.ToSlash(*planFile), src, reports, scoring.ReviseOptions{MinExercises: *minExercises})
	if err != nil {
		fmt.Fprintf(stderr, "ttx revise: %v\n", err)
		return 1
	}
	printRevision(stdout, rv)
	if *write && rv.Changed() {
		info, err := os.Stat(*planFile)
		if err != nil {
			fmt.Fprintf(stderr, "ttx revise: %v\n", err)
			return 1
		}
		if err := writeFileAtomic(*planFile, rv.Source, info.Mode().Perm()); err != nil {
			fmt.Fprintf(stderr, "ttx revise: write the plan: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "\nwrote %s (version %s)\n", *planFile, rv.NewVersion)
	}
	return 0
}

func printRevision(w io.Writer, rv scoring.Revision) {
	if !rv.Changed() {
		fmt.Fprintf(w, "No change to plan %s (version %s) follows from exercises %v: the file is left as it is.\n", rv.Plan, rv.OldVersion, rv.Exercises)
	} else {
		fmt.Fprint(w, rv.Diff)
		fmt.Fprintf(w, "\nChanges to plan %s, version %s → %s:\n", rv.Plan, rv.OldVersion, rv.NewVersion)
		for _, c := range rv.Changes {
			where := c.Attribute
			if c.Action != "" {
				where = "action " + c.Action + " " + c.Attribute
			}
			fmt.Fprintf(w, "- %s: %s → %s\n  %s\n", where, c.Old, c.New, c.Reason)
		}
	}
	if len(rv.Recommendations) > 0 {
		fmt.Fprintln(w, "\nGaps that did not change the plan, with the corrective action each calls for:")
		for _, r := range rv.Recommendations {
			fmt.Fprintf(w, "- %s (%s, %s): %s\n  %s\n", r.Action, r.Rule, r.Element, r.Text, r.Why)
		}
	}
}

// writeFileAtomic replaces name with data through a temporary file in the same directory, so
// a crash leaves the old plan or the new one, never half of each.
func writeFileAtomic(name string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
