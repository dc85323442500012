package web

import (
	"fmt"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scoring"
)

// reviewRoutes adds the continuity manager's API (the /review page is among the pages): the
// list of finished exercises, the charts of a report, and a plan's proposed revision. Who may
// read what is facilitator.Policy (see the package doc).
func (s *Server) reviewRoutes(r *gin.Engine) {
	api := r.Group("/api", s.authenticate)
	api.GET("/review/exercises", s.may(facilitator.ActListReviews), s.reviewList)
	api.GET("/exercises/:id/charts/:chart", s.may(facilitator.ActReport), s.reportChart)
	api.GET("/plans/:name/revision", s.may(facilitator.ActReviewPlan), s.planKnownOr404, s.revision)
}

// planKnownOr404 answers the admin asking about a plan nobody knows with 404 (a reviewer
// of a plan knows it).
func (s *Server) planKnownOr404(c *gin.Context) {
	if plan := c.Param("name"); !s.planKnown(plan) {
		s.fail(c, engine.Errorf(engine.ENotFound, "there is no plan %q", truncate(plan)))
	}
}

// planKnown reports whether plan is in the library or was run by some exercise.
func (s *Server) planKnown(plan string) bool {
	if _, ok := s.m.Library().Plans[plan]; ok {
		return true
	}
	for _, x := range s.m.Filed() {
		if x.Plan == plan {
			return true
		}
	}
	return false
}

// reviewedExercise is one entry of GET /api/review/exercises.
type reviewedExercise struct {
	ID            string     `json:"id"`
	Scenario      string     `json:"scenario"`
	ScenarioTitle string     `json:"scenario_title"`
	Plan          string     `json:"plan"`
	PlanTitle     string     `json:"plan_title"`
	PlanVersion   string     `json:"plan_version"`
	CreatedAt     time.Time  `json:"created_at"`
	StartedAt     *time.Time `json:"started_at"`
	EndedAt       *time.Time `json:"ended_at"`
	Elapsed       string     `json:"elapsed"`
	Overall       *float64   `json:"overall"` // null when nothing was scored
	Rating        string     `json:"rating"`  // P, S, M or U; "" when nothing was scored
	Gaps          int        `json:"gaps"`
	Mode          string     `json:"mode"` // (v2) evaluation or training
}

// when is the date the exercise is filed under (filedAt).
func (e reviewedExercise) when() time.Time { return filedAt(e.StartedAt, e.CreatedAt) }

// filedAt is the date an exercise is filed under: its start, or its creation if it never
// started.
func filedAt(started *time.Time, created time.Time) time.Time {
	if started != nil {
		return *started
	}
	return created
}

// reviewList is GET /api/review/exercises[?plan=NAME]: every finished exercise the caller
// may review, newest first, with its overall score and HSEEP rating.
func (s *Server) reviewList(c *gin.Context) {
	if err := onlyQuery(c, "plan", "limit", "offset"); err != nil {
		s.fail(c, err)
		return
	}
	who := principal(c)
	plan, filtered := c.GetQuery("plan")
	if filtered {
		if plan == "" {
			s.fail(c, invalid("plan: give a plan name, or leave plan out for every plan you may review"))
			return
		}
		if err := s.m.Allowed(facilitator.ActReviewPlan, who, plan); err != nil {
			s.fail(c, err)
			return
		}
		if !s.planKnown(plan) {
			s.fail(c, engine.Errorf(engine.ENotFound, "there is no plan %q", truncate(plan)))
			return
		}
	}
	page, err := reviewPage(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := []reviewedExercise{}
	kept := s.m.KeptAll(keptReview)
	for _, x := range s.m.Reviewable(who) {
		if filtered && x.Plan != plan {
			continue
		}
		r, err := s.reviewRowOf(x, kept)
		if err != nil {
			continue // it could not be restored: GET /api/exercises says why
		}
		out = append(out, reviewedExercise{
			ID: x.ID, Scenario: x.Scenario, ScenarioTitle: r.ScenarioTitle,
			Plan: x.Plan, PlanTitle: r.PlanTitle, PlanVersion: r.PlanVersion,
			CreatedAt: x.CreatedAt.UTC(), StartedAt: r.StartedAt, EndedAt: r.EndedAt,
			Elapsed: r.Elapsed, Overall: r.Overall, Gaps: r.Gaps, Rating: r.Rating,
			Mode: x.Mode,
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i].when(), out[j].when(); !a.Equal(b) {
			return a.After(b)
		}
		return out[i].ID > out[j].ID
	})
	c.Header("X-Total-Count", strconv.Itoa(len(out)))
	c.JSON(http.StatusOK, page.of(out))
}

// The charts GET /api/exercises/:id/charts/:chart draws: the HTML report's.
var reportCharts = scoring.ReportCharts

// reportChart is GET /api/exercises/:id/charts/timeline|team|capability|phase: a chart of the
// report as a self-contained SVG image, the same the HTML report holds.
func (s *Server) reportChart(c *gin.Context) {
	if err := onlyQuery(c); err != nil {
		s.fail(c, err)
		return
	}
	draw, ok := reportCharts[c.Param("chart")]
	if !ok {
		s.fail(c, engine.Errorf(engine.ENotFound, "there is no chart %q; the charts are capability, phase, team and timeline", truncate(c.Param("chart"))))
		return
	}
	name := keptChart(c.Param("chart"))
	svg, _, err := s.kept(c.Param("id"), name, func(x *facilitator.Listed) ([]byte, error) {
		r, key := s.scored(x)
		if key == "" {
			return []byte(draw(r)), nil
		}
		v, err := s.memo.get(memoKey(name, key), func() (any, error) {
			b := []byte(draw(r))
			s.keep(x, key, name, b)
			return b, nil
		})
		if err != nil {
			return nil, err
		}
		return v.([]byte), nil
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	c.Data(http.StatusOK, "image/svg+xml; charset=utf-8", svg)
}

// reportFormat reads the query of GET /api/exercises/:id/report: the scoring.Write format
// (format, default json; format=csv with table=T is csv-T for each other of scoring.CSVTables,
// table=items the default csv) and whether download=1 asks for an attachment.
func reportFormat(c *gin.Context) (format string, download bool, err error) {
	format = c.DefaultQuery("format", "json")
	if format == "markdown" {
		format = "md" // the name `ttx report` takes too
	}
	if table, ok := c.GetQuery("table"); ok {
		tables := strings.Join(scoring.CSVTables, ", ")
		switch {
		case format != "csv":
			return "", false, invalid("table: only format=csv has tables; ask for format=csv&table=items, or another of %s", tables)
		case table == scoring.CSVItems:
		case slices.Contains(scoring.CSVTables, table):
			format = "csv-" + table
		default:
			return "", false, invalid("table: unknown table %q; choose %s", truncate(table), tables)
		}
	}
	switch v := c.Query("download"); v {
	case "1", "true":
		download = true
	case "", "0", "false":
	default:
		return "", false, invalid("download: %q is not a yes or no; use download=1 to save the report as a file", truncate(v))
	}
	return format, download, nil
}

// reportExtensions are the file name endings of the report formats.
var reportExtensions = map[string]string{
	"json": "-report.json", "md": "-report.md", "markdown": "-report.md", "html": "-report.html",
	"csv": "-items.csv", "csv-timeline": "-timeline.csv", "docx": "-report.docx",
	"csv-objectives": "-objectives.csv", "csv-observations": "-observations.csv", "csv-answers": "-answers.csv",
	"csv-feedback": "-feedback.csv",
}

// reportAttachment is the Content-Disposition of a downloaded report of x in format:
// "ttx-SCENARIO-ID-report.html" and the like.
func reportAttachment(x facilitator.Filed, format string) string {
	ext, ok := reportExtensions[format]
	if !ok {
		ext = "-report." + format
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": "ttx-" + x.Scenario + "-" + x.ID + ext})
}

// revisionJSON is GET /api/plans/:name/revision: scoring.Revision with the revised file.
type revisionJSON struct {
	File            string                   `json:"file"`
	Plan            string                   `json:"plan"`
	VersionFrom     string                   `json:"version_from"`
	VersionTo       string                   `json:"version_to"`
	Exercises       []string                 `json:"exercises"`
	MinExercises    int                      `json:"min_exercises"`
	Changed         bool                     `json:"changed"`
	Summary         string                   `json:"summary"`
	Changes         []scoring.Change         `json:"changes"`
	Recommendations []scoring.Recommendation `json:"recommendations"`
	Diff            string                   `json:"diff"`
	Revised         string                   `json:"revised"`
}

// maxRevisionExercises bounds the exercises one revision request may name.
const maxRevisionExercises = 200

// revision is GET /api/plans/:name/revision[?exercises=ID,ID][&min_exercises=N]: the next
// version of the plan proposed from the reports of those finished exercises of it (default:
// all of them), drawn on the plan file as the newest of them ran it.
func (s *Server) revision(c *gin.Context) {
	if err := onlyQuery(c, "exercises", "min_exercises"); err != nil {
		s.fail(c, err)
		return
	}
	var opts scoring.ReviseOptions
	if v, ok := c.GetQuery("min_exercises"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxRevisionExercises {
			s.fail(c, invalid("min_exercises: give a whole number from 1 to %d", maxRevisionExercises))
			return
		}
		opts.MinExercises = n
	}
	ids, listed, err := revisionIDs(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	plan := c.Param("name")
	finished := map[string]*facilitator.Listed{}
	var all []*facilitator.Listed
	for _, f := range s.m.Reviewable(principal(c)) {
		if f.Plan != plan {
			continue
		}
		// A revision reads whole reports: each exercise is in memory while it is scored.
		x, err := s.m.Exercise(f.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		finished[x.ID()] = x
		all = append(all, x)
	}
	// scoring.md v2 would default to the exercises readiness counts
	// (scoring.ReadinessOptions{}.Counts); that waits for the store to keep each exercise's
	// mode across a restart, so until then the default stays every finished exercise.
	chosen := all
	if listed {
		chosen = nil
		for _, id := range ids {
			x, ok := finished[id]
			if !ok {
				s.fail(c, invalid("exercises: %q is not a finished exercise of plan %q; GET /api/review/exercises?plan=%s lists them",
					truncate(id), truncate(plan), truncate(plan)))
				return
			}
			chosen = append(chosen, x)
		}
	}
	if len(chosen) == 0 {
		s.fail(c, engine.Errorf(engine.ENotFound, "plan %q has no finished exercise yet: a revision is drawn from finished exercises", truncate(plan)))
		return
	}
	out, err := s.revise(plan, chosen, opts)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// revisionIDs reads ?exercises=ID,ID: bounded and without duplicates before any work.
func revisionIDs(c *gin.Context) (ids []string, listed bool, err error) {
	list, listed := c.GetQuery("exercises")
	if !listed {
		return nil, false, nil
	}
	if n := strings.Count(list, ",") + 1; n > maxRevisionExercises {
		return nil, true, invalid("exercises: %d ids are too many; name at most %d", n, maxRevisionExercises)
	}
	ids = splitIDs(list)
	if len(ids) == 0 {
		return nil, true, invalid("exercises: list at least one exercise id, separated by commas, or leave exercises out for all of them")
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return nil, true, invalid("exercises: %q is named twice; name each exercise once", truncate(id))
		}
		seen[id] = true
	}
	return ids, true, nil
}

// revise proposes the next version of plan from the reports of chosen (ended exercises),
// drawn on the plan file as the newest of them ran it; computed once for each set of logs.
func (s *Server) revise(plan string, chosen []*facilitator.Listed, opts scoring.ReviseOptions) (revisionJSON, error) {
	reports := make([]scoring.Report, 0, len(chosen))
	keys := []string{"revision", plan}
	newest, newestReport := chosen[0], scoring.Report{}
	for _, x := range chosen {
		r, key := s.scored(x)
		reports = append(reports, r)
		keys = append(keys, key)
		if len(reports) == 1 || newerThan(r.Exercise, x, newestReport.Exercise, newest) {
			newest, newestReport = x, r
		}
	}
	v, err := s.memo.get(memoKey(append(keys, "min", strconv.Itoa(opts.MinExercises))...), func() (any, error) {
		file, src, err := planSource(newest)
		if err != nil {
			return nil, err
		}
		rv, err := scoring.Revise(file, src, reports, opts)
		if err != nil {
			return nil, err
		}
		return revisionJSON{
			File: rv.File, Plan: rv.Plan, VersionFrom: rv.OldVersion, VersionTo: rv.NewVersion,
			Exercises: rv.Exercises, MinExercises: rv.MinExercises, Changed: rv.Changed(), Summary: rv.Summary, Changes: rv.Changes,
			Recommendations: rv.Recommendations, Diff: rv.Diff, Revised: string(rv.Source),
		}, nil
	})
	if err != nil {
		return revisionJSON{}, err
	}
	return v.(revisionJSON), nil
}

// maxReviewPage bounds one page of the review list; defaultReviewPage is a page when limit
// is not given.
const (
	maxReviewPage     = 1000
	defaultReviewPage = 100
)

// pageOf is one page of a list: offset entries skipped, at most limit returned.
type pageOf struct{ offset, limit int }

// of returns the page's part of list.
func (p pageOf) of(list []reviewedExercise) []reviewedExercise {
	if p.offset >= len(list) {
		return []reviewedExercise{}
	}
	list = list[p.offset:]
	if len(list) > p.limit {
		list = list[:p.limit]
	}
	return list
}

// reviewPage reads ?limit=N&offset=M of the review list (the total is X-Total-Count).
func reviewPage(c *gin.Context) (pageOf, error) {
	p := pageOf{limit: defaultReviewPage}
	if v, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxReviewPage {
			return p, invalid("limit: give a whole number from 1 to %d", maxReviewPage)
		}
		p.limit = n
	}
	if v, ok := c.GetQuery("offset"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, invalid("offset: give a whole number from 0, the entries to skip")
		}
		p.offset = n
	}
	return p, nil
}

// splitIDs splits a comma-separated list of exercise ids, dropping blanks.
func splitIDs(list string) []string {
	var ids []string
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// newerThan reports whether exercise a (x) is filed after b (y) (filedAt); creation and then
// the id break ties.
func newerThan(a scoring.ExerciseInfo, x *facilitator.Listed, b scoring.ExerciseInfo, y *facilitator.Listed) bool {
	if at, bt := filedAt(a.StartedAt, x.CreatedAt), filedAt(b.StartedAt, y.CreatedAt); !at.Equal(bt) {
		return at.After(bt)
	}
	if !x.CreatedAt.Equal(y.CreatedAt) {
		return x.CreatedAt.After(y.CreatedAt)
	}
	return x.ID() > y.ID()
}

// planSource returns the plan file exercise x ran, as stored with it: its name and text.
func planSource(x *facilitator.Listed) (string, []byte, error) {
	rec := x.Record()
	sc, err := facilitator.ScenarioFromSources(rec)
	if err != nil {
		return "", nil, fmt.Errorf("exercise %s: %w", rec.ID, err)
	}
	name := sc.Plan.DeclRange.Filename
	src, ok := rec.Sources[name]
	if !ok {
		return "", nil, fmt.Errorf("exercise %s: the plan's file %q is not among its stored sources", rec.ID, name)
	}
	return name, []byte(src), nil
}
