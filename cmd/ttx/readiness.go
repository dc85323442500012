package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/ttx-dev/ttx/scoring"
)

// runReadiness is `ttx readiness PLAN`: the plan's readiness over its finished exercises
// (design/scoring.md, "Readiness over time"), counting live exercises in evaluation mode unless
// --include says otherwise.
func runReadiness(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttx readiness", flag.ContinueOnError)
	fs.SetOutput(stderr)
	include := fs.String("include", "", "also count rehearsals, training exercises or both: rehearsals,training")
	format := fs.String("format", "md", "json, md or svg")
	db := dbFlag(fs, "ttx.db")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ttx readiness PLAN [--include rehearsals,training] [--format json|md|svg] [--db ttx.db|postgres://…]")
		fs.PrintDefaults()
	}
	plans, code := parseInterleaved(fs, args)
	if code >= 0 {
		return code
	}
	if len(plans) != 1 {
		fmt.Fprintln(stderr, "ttx readiness: give exactly one plan name")
		fs.Usage()
		return 2
	}
	opts, err := scoring.ParseInclude(*include)
	if err != nil {
		fmt.Fprintf(stderr, "ttx readiness: %v\n", err)
		return 2
	}
	if _, ok := scoring.ReadinessFormats[*format]; !ok {
		fmt.Fprintf(stderr, "ttx readiness: unknown format %q: choose json, md or svg\n", *format)
		return 2
	}

	dbName := chooseDB(fs, *db, os.Getenv(envDB))
	store, err := openStore(context.Background(), dbName, true)
	if err != nil {
		fmt.Fprintf(stderr, "ttx readiness: %v\n", err)
		return 1
	}
	defer store.Close()
	ctx := context.Background()
	recs, err := store.Exercises(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "ttx readiness: list the exercises: %v\n", err)
		return 1
	}
	var reports []scoring.Report
	for _, rec := range recs {
		if rec.Plan != plans[0] {
			continue
		}
		r, err := storedReport(ctx, store, rec.ID)
		if err != nil {
			fmt.Fprintf(stderr, "ttx readiness: %v\n", err)
			return 1
		}
		reports = append(reports, r)
	}
	if len(reports) == 0 {
		fmt.Fprintf(stderr, "ttx readiness: no exercise of plan %q in %s\n", plans[0], showDB(dbName))
		return 1
	}
	if err := scoring.WriteReadiness(stdout, scoring.Readiness(plans[0], reports, opts), *format); err != nil {
		fmt.Fprintf(stderr, "ttx readiness: write: %v\n", err)
		return 1
	}
	return 0
}
