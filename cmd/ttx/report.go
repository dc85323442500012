package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scoring"
)

// runReport is `ttx report EXERCISE`: the after-action report of a stored exercise, scored
// from its log against the scenario and plan it ran (as stored with it).
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttx report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "md", "md, html, json, csv or docx")
	table := fs.String("table", scoring.CSVItems, "with --format csv: items (one row per item), timeline (one row per event), objectives, observations, answers or feedback")
	db := dbFlag(fs, "ttx.db")
	out := fs.String("o", "", "write to this file instead of standard output")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ttx report EXERCISE [--format md|html|json|csv|docx] [--table items|timeline|objectives|observations|answers|feedback] [-o FILE] [--db ttx.db|postgres://…]")
		fs.PrintDefaults()
	}
	ids, code := parseInterleaved(fs, args)
	if code >= 0 {
		return code
	}
	if len(ids) != 1 {
		fmt.Fprintln(stderr, "ttx report: give exactly one exercise id")
		fs.Usage()
		return 2
	}
	switch *format {
	case "md", "markdown", "html", "json", "docx":
	case "csv":
		switch {
		case *table == scoring.CSVItems:
		case slices.Contains(scoring.CSVTables, *table):
			*format = "csv-" + *table
		default:
			fmt.Fprintf(stderr, "ttx report: unknown table %q: choose %s\n", *table, strings.Join(scoring.CSVTables, ", "))
			return 2
		}
	default:
		fmt.Fprintf(stderr, "ttx report: unknown format %q: choose md, html, json, csv or docx\n", *format)
		return 2
	}

	store, err := openStore(context.Background(), chooseDB(fs, *db, os.Getenv(envDB)), true)
	if err != nil {
		fmt.Fprintf(stderr, "ttx report: %v\n", err)
		return 1
	}
	defer store.Close()
	r, err := storedReport(context.Background(), store, ids[0])
	if err != nil {
		fmt.Fprintf(stderr, "ttx report: %v\n", err)
		return 1
	}
	var buf bytes.Buffer
	if err := scoring.Write(&buf, r, *format); err != nil {
		fmt.Fprintf(stderr, "ttx report: write: %v\n", err)
		return 1
	}
	return writeOutput(*out, buf.Bytes(), stdout, stderr, "ttx report")
}

// storedReport scores exercise id from store: its log against the scenario stored with it.
func storedReport(ctx context.Context, store engine.Store, id string) (scoring.Report, error) {
	rec, err := store.Exercise(ctx, id)
	if err != nil {
		if engine.ErrorCode(err) == engine.ENotFound {
			return scoring.Report{}, fmt.Errorf("no exercise %q in the database", id)
		}
		return scoring.Report{}, fmt.Errorf("read exercise %s: %w", id, err)
	}
	sc, err := facilitator.ScenarioFromSources(rec)
	if err != nil {
		return scoring.Report{}, err
	}
	events, err := store.Events(ctx, id)
	if err != nil {
		return scoring.Report{}, fmt.Errorf("read the log of exercise %s: %w", id, err)
	}
	return scoring.Score(scoring.InputOf(rec, sc, events)), nil
}

// parseInterleaved parses flags given before, between or after the positional arguments
// (`ttx report ID --format json`) and returns the positional ones. The code is -1 to go on,
// else the exit code to return (0 after -h, 2 for a bad flag).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, int) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0
			}
			return nil, 2
		}
		if fs.NArg() == 0 {
			return positional, -1
		}
		rest := fs.Args()
		if strings.HasPrefix(rest[0], "-") && rest[0] != "-" {
			// Parse stops at a dash argument only after consuming "--": all the rest is
			// positional.
			return append(positional, rest...), -1
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
