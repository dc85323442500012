package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
)

// runRehearse is `ttx rehearse --rehearsal FILE [--name NAME] [--json] [--db FILE] [PATH…]`:
// it plays a scenario headless at full speed with the scripted inputs of a rehearsal and
// prints the timeline, the inputs that did not fit, and the scores (or the report JSON).
func runRehearse(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("ttx rehearse", flag.ContinueOnError)
	fset.SetOutput(stderr)
	file := fset.String("rehearsal", "", "the HCL file holding the rehearsal")
	name := fset.String("name", "", "the rehearsal to play, when FILE holds more than one")
	asJSON := fset.Bool("json", false, "print the report JSON (design/scoring.md) instead of text")
	db := dbFlag(fset, "")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: ttx rehearse --rehearsal FILE [--name NAME] [--json] [--db FILE|postgres://…] [PATH…]")
		fmt.Fprintln(stderr, "\nWith --db the run is kept as an ended exercise, for ttx report.")
		fmt.Fprintln(stderr, "\nPATHs hold the scenario and its plan (default: the bundled library).")
		fset.PrintDefaults()
	}
	paths, code := parseInterleaved(fset, args)
	if code >= 0 {
		return code
	}
	*db = chooseDB(fset, *db, os.Getenv(envDB))
	if *file == "" {
		fmt.Fprintln(stderr, "ttx rehearse: give the rehearsal file with --rehearsal FILE")
		fset.Usage()
		return 2
	}

	src, err := loadRehearsalSources(*file, paths)
	if err != nil {
		fmt.Fprintf(stderr, "ttx rehearse: %v\n", err)
		return 1
	}
	if src.diags.HasErrors() {
		var errs hcl.Diagnostics
		for _, d := range src.diags {
			if d.Severity == hcl.DiagError {
				errs = append(errs, d)
			}
		}
		writeDiagnostics(stderr, src.set.Files, errs)
		fmt.Fprintln(stderr, "ttx rehearse: the files have errors; `ttx validate` lists them all")
		return 1
	}
	rh, err := src.pick(*name)
	if err != nil {
		fmt.Fprintf(stderr, "ttx rehearse: %v\n", err)
		return 1
	}
	sc := src.set.Scenarios[rh.ScenarioName]
	if sc == nil {
		fmt.Fprintf(stderr, "ttx rehearse: rehearsal %s plays scenario %q, which none of the files holds\n", rh.Name, rh.ScenarioName)
		return 1
	}

	ctx := context.Background()
	rec := engine.ExerciseRecord{ID: "rehearsal-" + rh.Name, Sources: src.sources()}
	var store engine.Store = engine.NewMemoryStore()
	if *db != "" {
		s, err := openStore(ctx, *db, false)
		if err != nil {
			fmt.Fprintf(stderr, "ttx rehearse: %v\n", err)
			return 1
		}
		defer s.Close()
		if rec.ID, err = freeExerciseID(ctx, s, rec.ID); err != nil {
			fmt.Fprintf(stderr, "ttx rehearse: %v\n", err)
			return 1
		}
		store = s
	}
	res, err := engine.RehearseExercise(ctx, rec, sc, rh, store)
	if err != nil {
		fmt.Fprintf(stderr, "ttx rehearse: %v\n", err)
		return 1
	}
	for i := range res.Errors {
		res.Errors[i].Pos = src.displayPos(res.Errors[i].Pos)
	}
	if *db != "" {
		fmt.Fprintf(stderr, "ttx rehearse: stored as exercise %s in %s\n", res.Exercise.ID, showDB(*db))
	}

	report := rehearsalReport(sc, res)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "ttx rehearse: %v\n", err)
			return 1
		}
		return 0
	}
	writeRehearsalText(stdout, sc, rh, res, report.Report)
	return 0
}

// rehearsalJSON is the report JSON of design/scoring.md with the inputs that did not fit
// beside it.
type rehearsalJSON struct {
	scoring.Report
	InputErrors []inputError `json:"input_errors"`
}

type inputError struct {
	Pos   string `json:"pos"`
	Kind  string `json:"kind"`
	Team  string `json:"team"`
	At    string `json:"at"`
	Error string `json:"error"`
}

// rehearsalReport builds the JSON of a rehearsal: the scoring report of its log and the
// inputs that did not fit. It is the one place that shapes it.
func rehearsalReport(sc *scenarios.Scenario, res engine.RehearsalResult) rehearsalJSON {
	in := scoring.InputOf(res.Exercise, sc, res.Events)
	in.Kind = engine.ExerciseRehearsal // a scripted dry run, whatever its record says
	out := rehearsalJSON{
		Report:      scoring.Score(in),
		InputErrors: []inputError{},
	}
	for _, e := range res.Errors {
		out.InputErrors = append(out.InputErrors, inputError{Pos: e.Pos, Kind: e.Step.Kind, Team: e.Step.Team, At: e.Step.At.String(), Error: e.Message})
	}
	return out
}

// writeRehearsalText prints the timeline, the inputs that did not fit, and the scores.
func writeRehearsalText(w io.Writer, sc *scenarios.Scenario, rh *scenarios.Rehearsal, res engine.RehearsalResult, r scoring.Report) {
	version := ""
	if sc.Plan.Version != "" {
		version = " " + sc.Plan.Version
	}
	fmt.Fprintf(w, "Rehearsal %s of scenario %s (plan %s%s), %s simulated\n\n", rh.Name, sc.Name, sc.Plan.Name, version, formatT(sc.Duration)[2:])
	injects := make(map[string]*scenarios.Inject, len(sc.Injects))
	for _, in := range sc.Injects {
		injects[in.Name] = in
	}
	for _, e := range res.Events {
		fmt.Fprintf(w, "%-9s  %-18s  %s\n", formatT(e.T), e.Kind, describeEvent(e, sc, injects))
	}

	fmt.Fprintln(w)
	if len(res.Errors) == 0 {
		fmt.Fprintln(w, "Every scripted input fitted.")
	} else {
		fmt.Fprintf(w, "Scripted inputs that did not fit (%d):\n", len(res.Errors))
		for _, e := range res.Errors {
			fmt.Fprintf(w, "  %s: %s at %s: %s\n", e.Pos, e.Step.Kind, formatT(e.Step.At), e.Message)
		}
	}

	fmt.Fprintln(w)
	if r.Score.Overall == nil {
		fmt.Fprintln(w, "Score: nothing was scored")
	} else {
		fmt.Fprintf(w, "Score: %.1f (%s)\n", *r.Score.Overall, *r.Ratings.Overall)
	}
	for _, g := range []struct {
		title   string
		scores  map[string]float64
		ratings map[string]string
	}{
		{"by team", r.Score.ByTeam, r.Ratings.ByTeam},
		{"by capability", r.Score.ByCapability, r.Ratings.ByCapability},
		{"by phase", r.Score.ByPhase, r.Ratings.ByPhase},
	} {
		if len(g.scores) == 0 {
			continue
		}
		keys := make([]string, 0, len(g.scores))
		for k := range g.scores {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %.1f (%s)", k, g.scores[k], g.ratings[k])
		}
		fmt.Fprintf(w, "  %-14s %s\n", g.title+":", strings.Join(parts, ", "))
	}
	if len(r.Gaps) > 0 {
		fmt.Fprintf(w, "\nGaps (%d):\n", len(r.Gaps))
		for _, g := range r.Gaps {
			fmt.Fprintf(w, "  %s (%s): %s: %s\n", g.Item, g.Team, g.Kind, g.Detail)
		}
	}
	if len(r.NotInPlay) > 0 {
		fmt.Fprintf(w, "\nNot in play: %s\n", strings.Join(r.NotInPlay, ", "))
	}
	if len(r.Open) > 0 {
		fmt.Fprintf(w, "Open: %s\n", strings.Join(r.Open, ", "))
	}
}

// describeEvent is the readable part of a timeline line: the names an event concerns.
func describeEvent(e engine.Event, sc *scenarios.Scenario, injects map[string]*scenarios.Inject) string {
	switch e.Kind {
	case engine.KindExerciseStarted:
		return fmt.Sprintf("speed %g", e.Speed)
	case engine.KindClock:
		if e.Clock == engine.ClockSpeed {
			return fmt.Sprintf("speed %g", e.Speed)
		}
		return strings.TrimSpace(e.Clock + " " + e.Reason)
	case engine.KindInjectDelivered:
		subject, name := "", e.Inject
		if e.AdHoc != nil {
			subject, name = e.AdHoc.Subject, "(ad hoc)"
		} else if in := injects[e.Inject]; in != nil {
			subject = in.Subject
		}
		return fmt.Sprintf("%s → %s  %q", name, strings.Join(e.To, ", "), shorten(subject, 48))
	case engine.KindInjectSkipped:
		return fmt.Sprintf("%s: %s", e.Inject, e.Reason)
	case engine.KindInjectHeld, engine.KindInjectReleased:
		return e.Inject
	case engine.KindSeverityChanged:
		for _, s := range sc.Plan.Severities {
			if s.Name == e.Severity {
				return fmt.Sprintf("%s (level %d)", s.Name, s.Level)
			}
		}
		return e.Severity
	case engine.KindActionTriggered:
		return fmt.Sprintf("%s → %s, due by %s", e.Action, e.Team, formatT(e.T+e.Due))
	case engine.KindActionRecorded:
		return fmt.Sprintf("%s by %s", e.Action, e.Team)
	case engine.KindDecisionAnswered:
		return fmt.Sprintf("%s: %s chose %s", e.Decision, e.Team, e.Option)
	case engine.KindEscalation:
		return fmt.Sprintf("%s → %s  %q", e.Team, strings.Join(e.To, ", "), shorten(e.Text, 48))
	case engine.KindNote:
		return fmt.Sprintf("%s  %q", e.Team, shorten(e.Text, 48))
	case engine.KindObservation:
		return fmt.Sprintf("%s %s  %q", e.Rating, e.Capability, shorten(e.Text, 48))
	case engine.KindExerciseEnded:
		return e.Reason
	}
	return ""
}

// formatT writes simulated time as T+0h40m, with seconds only when there are some.
func formatT(d time.Duration) string {
	hours, rest := d/time.Hour, d%time.Hour
	s := fmt.Sprintf("T+%dh%02dm", hours, rest/time.Minute)
	if sec := rest % time.Minute; sec != 0 {
		s += fmt.Sprintf("%02ds", sec/time.Second)
	}
	return s
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// freeExerciseID returns id, or id-2, id-3… when the store already has it.
func freeExerciseID(ctx context.Context, store engine.Store, id string) (string, error) {
	for n := 1; ; n++ {
		try := id
		if n > 1 {
			try = fmt.Sprintf("%s-%d", id, n)
		}
		_, err := store.Exercise(ctx, try)
		switch engine.ErrorCode(err) {
		case engine.ENotFound:
			return try, nil
		case "":
			continue
		default:
			return "", err
		}
	}
}

// rehearsalSources is what a rehearsal was loaded from: the set, and the name each file has
// in it and on the command line.
type rehearsalSources struct {
	set   *scenarios.Set
	diags hcl.Diagnostics
	file  string            // the rehearsal file's name in the set
	shown map[string]string // set name -> name to show, where they differ
}

// loadRehearsalSources loads the rehearsal file with paths, or with the bundled library's
// plans and scenarios when there are none (its own rehearsals stay out: the rehearsal comes
// from file).
func loadRehearsalSources(file string, paths []string) (*rehearsalSources, error) {
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("rehearsal file: %w", err)
	}
	if len(paths) > 0 {
		set, diags := scenarios.Load(append(paths, file)...)
		return &rehearsalSources{set: set, diags: diags, file: filepath.Clean(file)}, nil
	}
	lib := scenarios.Library()
	fsys := fstest.MapFS{}
	names, err := fs.Glob(lib, "*.hcl")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := fs.ReadFile(lib, name)
		if err != nil {
			return nil, err
		}
		if !onlyRehearsals(b, name) {
			fsys[path.Join("library", name)] = &fstest.MapFile{Data: b}
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("rehearsal file: %w", err)
	}
	key := fsName(file)
	fsys[key] = &fstest.MapFile{Data: b}
	set, diags := scenarios.LoadFS(fsys)
	return &rehearsalSources{set: set, diags: diags, file: key, shown: map[string]string{key: file}}, nil
}

// onlyRehearsals reports whether an HCL file holds rehearsal blocks and nothing else.
func onlyRehearsals(src []byte, name string) bool {
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return false
	}
	blocks := f.Body.(*hclsyntax.Body).Blocks
	for _, b := range blocks {
		if b.Type != "rehearsal" {
			return false
		}
	}
	return len(blocks) > 0
}

// fsName makes a file name usable in an fs.FS: slash-separated, unrooted, without "..".
func fsName(name string) string {
	n := strings.TrimLeft(filepath.ToSlash(filepath.Clean(name)), "/")
	if !fs.ValidPath(n) {
		n = path.Base(filepath.ToSlash(name))
	}
	return n
}

// pick returns the rehearsal named name, or the only one in the rehearsal file.
func (s *rehearsalSources) pick(name string) (*scenarios.Rehearsal, error) {
	if name != "" {
		rh := s.set.Rehearsals[name]
		if rh == nil {
			return nil, fmt.Errorf("there is no rehearsal %q", name)
		}
		return rh, nil
	}
	var inFile []string
	for n, rh := range s.set.Rehearsals {
		if filepath.Clean(rh.DeclRange.Filename) == filepath.Clean(s.file) {
			inFile = append(inFile, n)
		}
	}
	sort.Strings(inFile)
	switch len(inFile) {
	case 0:
		return nil, fmt.Errorf("%s holds no rehearsal", s.display(s.file))
	case 1:
		return s.set.Rehearsals[inFile[0]], nil
	default:
		return nil, fmt.Errorf("%s holds %d rehearsals (%s): choose one with --name", s.display(s.file), len(inFile), strings.Join(inFile, ", "))
	}
}

func (s *rehearsalSources) display(name string) string {
	if shown, ok := s.shown[name]; ok {
		return shown
	}
	return name
}

// displayPos rewrites a FILE:LINE position in the set's naming to the command line's.
func (s *rehearsalSources) displayPos(pos string) string {
	for key, shown := range s.shown {
		if rest, ok := strings.CutPrefix(pos, key+":"); ok {
			return shown + ":" + rest
		}
	}
	return pos
}

// sources returns the text of every file loaded, by a name usable in an fs.FS, to store with
// the exercise so that `ttx report` replays exactly this scenario.
func (s *rehearsalSources) sources() map[string]string {
	names := make([]string, 0, len(s.set.Files))
	for name := range s.set.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make(map[string]string, len(names))
	for _, name := range names {
		key := fsName(name)
		for n := 2; out[key] != ""; n++ {
			key = fmt.Sprintf("%d-%s", n, path.Base(fsName(name)))
		}
		out[key] = string(s.set.Files[name].Bytes)
	}
	return out
}
