package web_test

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scoring"
	"github.com/ttx-dev/ttx/web"
)

// otherPlanHCL is a second plan, with its scenario in the same file, so that a reviewer of
// one plan can be shown to see nothing of the other.
const otherPlanHCL = `
plan "other-plan" {
  title   = "Another organisation's plan"
  version = "7"

  team "ops" {
    title = "Operations"
    tier  = 2
  }

  severity "minor" {
    level = 1
    title = "Minor"
  }

  action "page_oncall" {
    title      = "Page the on-call engineer"
    owner      = team.ops
    phase      = "detection"
    capability = "alerting"
    due        = "10m"
  }
}

scenario "other-scenario" {
  title    = "Other scenario"
  plan     = "other-plan"
  duration = "1h"

  inject "page" {
    at       = "0s"
    to       = [team.ops]
    channel  = "chat"
    subject  = "Disk full"
    triggers = [action.page_oncall]
  }
}
`

func mustReviewLibrary(tb testing.TB) *scenarios.Set {
	tb.Helper()
	lib, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: []byte(testPlanHCL)},
		"scenario.hcl": {Data: []byte(testScenarioHCL)},
		"other.hcl":    {Data: []byte(otherPlanHCL)},
	})
	require.False(tb, diags.HasErrors(), "review scenarios: %s", diags.Error())
	return lib
}

// reviewEnv is a server over the test plan and the other plan with these exercises, played
// a month apart: a1 and a2 of the test plan (ended), b1 of the other plan (ended), a3 of the
// test plan (created, never ended).
type reviewEnv struct {
	*env
	a1, a2, b1, a3 facilitator.Created
}

func newReviewEnv(t *testing.T) *reviewEnv {
	t.Helper()
	e := newEnv(t)
	e.lib = mustReviewLibrary(t)
	e.restart()
	r := &reviewEnv{env: e}

	// a1: log_report on time, contain_hosts by the service desk (wrong owner), no escalation
	// (missed), the ransom paid (wrong choice).
	r.a1 = r.mustCreateOf("test-scenario")
	r.play(r.a1, true)
	e.clock.Advance(30 * 24 * time.Hour)

	// a2: the same wrong owner; the escalation and the ransom as the plan wants.
	r.a2 = r.mustCreateOf("test-scenario")
	r.play(r.a2, false)
	e.clock.Advance(30 * 24 * time.Hour)

	r.b1 = r.mustCreateOf("other-scenario")
	e.mustRequest("POST", "/api/exercises/"+r.b1.ID+"/start", r.b1.FacilitatorToken, nil, http.StatusOK, nil)
	e.mustRequest("POST", "/api/exercises/"+r.b1.ID+"/end", r.b1.FacilitatorToken, nil, http.StatusOK, nil)
	e.clock.Advance(30 * 24 * time.Hour)

	r.a3 = r.mustCreateOf("test-scenario")
	return r
}

func (r *reviewEnv) mustCreateOf(scenario string) facilitator.Created {
	r.t.Helper()
	var out facilitator.Created
	r.mustRequest("POST", "/api/exercises", testAdmin, map[string]any{"scenario": scenario, "speed": 60}, http.StatusCreated, &out)
	return out
}

// play runs x of the test scenario to T+1h and ends it; first says whether it is the first
// run (escalation missed, ransom paid) or the second (both as the plan wants).
func (r *reviewEnv) play(x facilitator.Created, first bool) {
	r.t.Helper()
	base := "/api/exercises/" + x.ID
	r.mustRequest("POST", base+"/start", x.FacilitatorToken, nil, http.StatusOK, nil)
	desk, _ := r.participant(x.Teams["service_desk"], "Sam", 0)
	desk.send(msg{"type": "act", "ref": "d1", "action": "log_report"})
	_, _, _ = desk.ackAndEvent("d1")
	r.mustRequest("POST", base+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil) // T+10m: the alert
	desk.send(msg{"type": "act", "ref": "d2", "action": "contain_hosts"})
	_, _, _ = desk.ackAndEvent("d2")
	if !first {
		irt, _ := r.participant(x.Teams["irt"], "Ivy", 0)
		irt.send(msg{"type": "act", "ref": "i1", "action": "escalate_to_cmt"})
		_, _, _ = irt.ackAndEvent("i1")
	} else {
		// irt sat in the room and recorded nothing: its people never joined online, so the
		// facilitator says it played (scoring.md v2: its items would be not played otherwise).
		r.mustRequest("POST", base+"/teams/irt/played", x.FacilitatorToken, nil, http.StatusOK, nil)
	}
	r.mustRequest("POST", base+"/advance", x.FacilitatorToken, nil, http.StatusOK, nil) // T+1h: the demand
	cmt, _ := r.participant(x.Teams["cmt"], "Cleo", 0)
	option := "refuse"
	if first {
		option = "pay"
	}
	cmt.send(msg{"type": "choose", "ref": "c1", "decision": "ransom", "option": option})
	_, _, _ = cmt.ackAndEvent("c1")
	r.mustRequest("POST", base+"/end", x.FacilitatorToken, nil, http.StatusOK, nil)
}

// reviewed is an entry of GET /api/review/exercises.
type reviewed struct {
	ID            string     `json:"id"`
	Scenario      string     `json:"scenario"`
	ScenarioTitle string     `json:"scenario_title"`
	Plan          string     `json:"plan"`
	PlanVersion   string     `json:"plan_version"`
	StartedAt     *time.Time `json:"started_at"`
	EndedAt       *time.Time `json:"ended_at"`
	Overall       *float64   `json:"overall"`
	Rating        string     `json:"rating"`
	Gaps          int        `json:"gaps"`
}

func (r *reviewEnv) mustList(token, query string) []string {
	r.t.Helper()
	var list []reviewed
	r.mustRequest("GET", "/api/review/exercises"+query, token, nil, http.StatusOK, &list)
	ids := make([]string, 0, len(list))
	for _, x := range list {
		ids = append(ids, x.ID)
	}
	return ids
}

func (r *reviewEnv) mustReport(token, id string) scoring.Report {
	r.t.Helper()
	var rep scoring.Report
	r.mustRequest("GET", "/api/exercises/"+id+"/report", token, nil, http.StatusOK, &rep)
	return rep
}

// TestReviewListIsScopedToThePlan: a reviewer token lists the finished exercises of its own
// plan, newest first; the admin all of them; nobody else any.
func TestReviewListIsScopedToThePlan(t *testing.T) {
	r := newReviewEnv(t)

	assert.Equal(t, []string{r.a2.ID, r.a1.ID}, r.mustList(r.a1.ReviewerToken, ""), "finished exercises of the test plan, newest first")
	assert.Equal(t, []string{r.a2.ID, r.a1.ID}, r.mustList(r.a3.ReviewerToken, ""), "the reviewer of an unfinished exercise sees its plan's finished ones")
	assert.Equal(t, []string{r.a2.ID, r.a1.ID}, r.mustList(r.a1.ReviewerToken, "?plan=test-plan"))
	assert.Equal(t, []string{r.b1.ID}, r.mustList(r.b1.ReviewerToken, ""))
	assert.Equal(t, []string{r.b1.ID, r.a2.ID, r.a1.ID}, r.mustList(testAdmin, ""))
	assert.Equal(t, []string{r.b1.ID}, r.mustList(testAdmin, "?plan=other-plan"))

	for _, c := range []struct {
		name, token, query string
		status             int
	}{
		{"reviewer of A asks for plan B", r.a1.ReviewerToken, "?plan=other-plan", http.StatusForbidden},
		{"reviewer of B asks for plan A", r.b1.ReviewerToken, "?plan=test-plan", http.StatusForbidden},
		{"reviewer asks for a plan nobody has", r.a1.ReviewerToken, "?plan=nope", http.StatusForbidden},
		{"facilitator", r.a1.FacilitatorToken, "", http.StatusForbidden},
		{"participant code", r.a1.Teams["irt"], "", http.StatusUnauthorized},
		{"no token", "", "", http.StatusUnauthorized},
		{"admin asks for an unknown plan", testAdmin, "?plan=nope", http.StatusNotFound},
		{"empty plan", testAdmin, "?plan=", http.StatusBadRequest},
		{"unknown parameter", testAdmin, "?from=2026-01-01", http.StatusBadRequest},
	} {
		res := r.request("GET", "/api/review/exercises"+c.query, c.token, nil)
		assert.Equal(t, c.status, res.status, "%s: %s", c.name, res.body)
		assert.NotEmpty(t, res.errorText(), c.name)
	}
}

// TestReviewNumbersEqualTheReport: every number of the list and the readiness trend is the
// report's.
func TestReviewNumbersEqualTheReport(t *testing.T) {
	r := newReviewEnv(t)
	var list []reviewed
	r.mustRequest("GET", "/api/review/exercises", r.a1.ReviewerToken, nil, http.StatusOK, &list)
	require.Len(t, list, 2)
	for _, x := range list {
		rep := r.mustReport(r.a1.ReviewerToken, x.ID)
		require.NotNil(t, rep.Score.Overall)
		require.NotNil(t, x.Overall)
		assert.Equal(t, *rep.Score.Overall, *x.Overall, x.ID)
		assert.Equal(t, *rep.Ratings.Overall, x.Rating, x.ID)
		assert.Equal(t, len(rep.Gaps), x.Gaps, x.ID)
		assert.Equal(t, "test-scenario", x.Scenario)
		assert.Equal(t, "Test scenario", x.ScenarioTitle)
		assert.Equal(t, "test-plan", x.Plan)
		assert.Equal(t, "1", x.PlanVersion)
		assert.Equal(t, rep.Exercise.StartedAt, x.StartedAt)
		assert.Equal(t, rep.Exercise.EndedAt, x.EndedAt)
	}

	// Hand-computed: a1 scores log_report 1, contain_hosts 0.5 (wrong owner), escalate_to_cmt
	// 0 (missed), ransom 0 (wrong choice): 1.5/4 = 37.5, U. a2: 1, 0.5, 1, 1: 87.5, P.
	a1, a2 := list[1], list[0]
	assert.Equal(t, 37.5, *a1.Overall)
	assert.Equal(t, "U", a1.Rating)
	assert.Equal(t, 87.5, *a2.Overall)
	assert.Equal(t, "P", a2.Rating)

	var trend scoring.Trend
	r.mustRequest("GET", "/api/plans/test-plan/readiness", r.a1.ReviewerToken, nil, http.StatusOK, &trend)
	require.Len(t, trend.Exercises, 2)
	assert.Equal(t, []string{r.a1.ID, r.a2.ID}, []string{trend.Exercises[0].ID, trend.Exercises[1].ID}, "oldest first")
	for _, p := range trend.Exercises {
		rep := r.mustReport(r.a1.ReviewerToken, p.ID)
		assert.Equal(t, *rep.Score.Overall, *p.Overall)
		assert.Equal(t, rep.Score.ByCapability, p.ByCapability)
	}
	statuses := map[string]string{}
	for _, g := range trend.Exercises[1].PreviousGaps {
		statuses[g.Item+" "+g.Kind] = g.Status
	}
	assert.Equal(t, map[string]string{
		"contain_hosts wrong_owner": "recurred",
		"escalate_to_cmt missed":    "closed",
		"ransom wrong_choice":       "closed",
	}, statuses)
	res := r.request("GET", "/api/plans/test-plan/readiness", r.b1.ReviewerToken, nil)
	assert.Equal(t, http.StatusForbidden, res.status)
}

// TestReviewReportsAcrossThePlan: a reviewer reads every finished exercise of its plan,
// nothing unfinished but its own, and nothing of another plan.
func TestReviewReportsAcrossThePlan(t *testing.T) {
	r := newReviewEnv(t)
	for _, c := range []struct {
		name, token, id string
		status          int
	}{
		{"own finished exercise", r.a1.ReviewerToken, r.a1.ID, http.StatusOK},
		{"another finished exercise of the plan", r.a1.ReviewerToken, r.a2.ID, http.StatusOK},
		{"own unfinished exercise", r.a3.ReviewerToken, r.a3.ID, http.StatusOK},
		{"another plan's finished exercise", r.b1.ReviewerToken, r.a1.ID, http.StatusForbidden},
		{"plan A's reviewer on plan B", r.a1.ReviewerToken, r.b1.ID, http.StatusForbidden},
		{"an unfinished exercise of the plan", r.a1.ReviewerToken, r.a3.ID, http.StatusForbidden},
		{"an exercise that does not exist", r.a1.ReviewerToken, "nosuchthing", http.StatusForbidden},
		{"facilitator of the exercise", r.a1.FacilitatorToken, r.a1.ID, http.StatusForbidden},
		{"participant code", r.a1.Teams["cmt"], r.a1.ID, http.StatusUnauthorized},
		{"admin", testAdmin, r.b1.ID, http.StatusOK},
	} {
		for _, path := range []string{"/report", "/charts/timeline"} {
			res := r.request("GET", "/api/exercises/"+c.id+path, c.token, nil)
			assert.Equal(t, c.status, res.status, "%s %s: %s", c.name, path, res.body)
		}
	}
}

// TestReviewChartsAndDownloads: the charts are SVG images; download=1 names the file;
// table=timeline is the timeline CSV.
func TestReviewChartsAndDownloads(t *testing.T) {
	r := newReviewEnv(t)
	tok, base := r.a1.ReviewerToken, "/api/exercises/"+r.a2.ID

	for _, chart := range []string{"timeline", "team", "capability", "phase"} {
		res, hdr := r.get(base+"/charts/"+chart, tok)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", chart, res.body)
		assert.True(t, strings.HasPrefix(hdr.Get("Content-Type"), "image/svg+xml"), chart)
		assert.True(t, strings.HasPrefix(string(res.body), "<svg"), chart)
	}
	rep := r.mustReport(tok, r.a2.ID)
	res, _ := r.get(base+"/charts/capability", tok)
	for capability, score := range rep.Score.ByCapability {
		// (v2) A chart names capabilities by their titles.
		assert.Contains(t, string(res.body), fmt.Sprintf("%s: %.1f (%s)", scoring.CapabilityTitle(capability), score, scoring.Rating(score)))
	}
	res, _ = r.get(base+"/charts/pie", tok)
	assert.Equal(t, http.StatusNotFound, res.status)
	assert.Contains(t, res.errorText(), "timeline")

	for query, want := range map[string]string{
		"format=html":               "ttx-test-scenario-" + r.a2.ID + "-report.html",
		"format=md":                 "ttx-test-scenario-" + r.a2.ID + "-report.md",
		"format=json":               "ttx-test-scenario-" + r.a2.ID + "-report.json",
		"format=csv":                "ttx-test-scenario-" + r.a2.ID + "-items.csv",
		"format=csv&table=items":    "ttx-test-scenario-" + r.a2.ID + "-items.csv",
		"format=csv&table=timeline": "ttx-test-scenario-" + r.a2.ID + "-timeline.csv",
		"format=csv-timeline":       "ttx-test-scenario-" + r.a2.ID + "-timeline.csv",
		"format=docx":               "ttx-test-scenario-" + r.a2.ID + "-report.docx",
	} {
		res, hdr := r.get(base+"/report?download=1&"+query, tok)
		require.Equal(t, http.StatusOK, res.status, "%s: %s", query, res.body)
		kind, params, err := mime.ParseMediaType(hdr.Get("Content-Disposition"))
		require.NoError(t, err, query)
		assert.Equal(t, "attachment", kind, query)
		assert.Equal(t, want, params["filename"], query)
	}
	plain, hdr := r.get(base+"/report?format=html", tok)
	assert.Empty(t, hdr.Get("Content-Disposition"), "no attachment unless asked")
	downloaded, _ := r.get(base+"/report?format=html&download=1", tok)
	assert.Equal(t, plain.body, downloaded.body)
	timeline, _ := r.get(base+"/report?format=csv&table=timeline", tok)
	timeline2, _ := r.get(base+"/report?format=csv-timeline", tok)
	assert.Equal(t, timeline2.body, timeline.body)
	assert.Contains(t, string(timeline.body), "inject_delivered")

	for query, field := range map[string]string{
		"format=json&table=timeline": "table",
		"format=csv&table=gaps":      "table",
		"download=maybe":             "download",
	} {
		res := r.request("GET", base+"/report?"+query, tok, nil)
		assert.Equal(t, http.StatusBadRequest, res.status, query)
		assert.True(t, strings.HasPrefix(res.errorText(), field+":"), "%s: %s", query, res.errorText())
	}
}

// get is request with the answer's header.
func (r *reviewEnv) get(path, token string) (response, http.Header) {
	r.t.Helper()
	res := r.request("GET", path, token, nil)
	return res, res.header
}

// revision is the answer of GET /api/plans/:name/revision.
type revision struct {
	File            string                   `json:"file"`
	Plan            string                   `json:"plan"`
	VersionFrom     string                   `json:"version_from"`
	VersionTo       string                   `json:"version_to"`
	Exercises       []string                 `json:"exercises"`
	Changed         bool                     `json:"changed"`
	Changes         []scoring.Change         `json:"changes"`
	Recommendations []scoring.Recommendation `json:"recommendations"`
	Diff            string                   `json:"diff"`
	Revised         string                   `json:"revised"`
}

// TestReviewRevision: the revision of a plan from its finished exercises, as a diff that
// turns the stored plan into the revised one, with the evidence of each change.
func TestReviewRevision(t *testing.T) {
	r := newReviewEnv(t)
	var rv revision
	r.mustRequest("GET", "/api/plans/test-plan/revision", r.a1.ReviewerToken, nil, http.StatusOK, &rv)
	assert.Equal(t, "plan.hcl", rv.File)
	assert.Equal(t, "test-plan", rv.Plan)
	assert.Equal(t, []string{r.a1.ID, r.a2.ID}, rv.Exercises, "every finished exercise, oldest first")
	assert.True(t, rv.Changed)
	assert.Equal(t, "1", rv.VersionFrom)
	assert.Equal(t, "2", rv.VersionTo)

	var owner *scoring.Change
	for i, c := range rv.Changes {
		if c.Action == "contain_hosts" && c.Attribute == "owner" {
			owner = &rv.Changes[i]
		}
	}
	require.NotNil(t, owner, "contain_hosts was done by the service desk in both: %+v", rv.Changes)
	assert.Equal(t, "team.irt", owner.Old)
	assert.Equal(t, "team.service_desk", owner.New)
	require.Len(t, owner.Evidence, 2)
	assert.Equal(t, r.a1.ID, owner.Evidence[0].Exercise)
	assert.Equal(t, "service_desk", owner.Evidence[0].By)

	// The diff applies to the plan as stored and gives the revised file, which loads.
	assert.Equal(t, rv.Revised, mustApplyDiff(t, testPlanHCL, rv.Diff))
	assert.Contains(t, rv.Revised, "owner      = team.service_desk")
	_, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: []byte(rv.Revised)},
		"scenario.hcl": {Data: []byte(testScenarioHCL)},
	})
	assert.False(t, diags.HasErrors(), "%s", diags.Error())

	// Only a1: the missed escalation is a recommendation, not an edit.
	var one revision
	r.mustRequest("GET", "/api/plans/test-plan/revision?exercises="+r.a1.ID, r.a1.ReviewerToken, nil, http.StatusOK, &one)
	assert.Equal(t, []string{r.a1.ID}, one.Exercises)
	var recommended []string
	for _, rec := range one.Recommendations {
		recommended = append(recommended, rec.Action+" "+rec.Rule)
	}
	assert.Contains(t, recommended, "escalate_to_cmt missed")

	// A plan whose scenario shares its file: nothing to change.
	var other revision
	r.mustRequest("GET", "/api/plans/other-plan/revision", testAdmin, nil, http.StatusOK, &other)
	assert.Equal(t, "other.hcl", other.File)
	assert.Equal(t, otherPlanHCL, other.Revised)
	assert.Empty(t, other.Diff)

	for _, c := range []struct {
		name, path, token string
		status            int
		says              string
	}{
		{"another plan", "/api/plans/other-plan/revision", r.a1.ReviewerToken, http.StatusForbidden, "token"},
		{"facilitator", "/api/plans/test-plan/revision", r.a1.FacilitatorToken, http.StatusForbidden, "token"},
		{"participant code", "/api/plans/test-plan/revision", r.a1.Teams["irt"], http.StatusUnauthorized, "not valid"},
		{"another plan's exercise", "/api/plans/test-plan/revision?exercises=" + r.b1.ID, r.a1.ReviewerToken, http.StatusBadRequest, "exercises:"},
		{"an unfinished exercise", "/api/plans/test-plan/revision?exercises=" + r.a3.ID, r.a1.ReviewerToken, http.StatusBadRequest, "not a finished exercise"},
		{"an exercise twice", "/api/plans/test-plan/revision?exercises=" + r.a1.ID + "," + r.a1.ID, r.a1.ReviewerToken, http.StatusBadRequest, "twice"},
		{"no ids", "/api/plans/test-plan/revision?exercises=,", r.a1.ReviewerToken, http.StatusBadRequest, "exercises:"},
		{"unknown parameter", "/api/plans/test-plan/revision?exercise=" + r.a1.ID, r.a1.ReviewerToken, http.StatusBadRequest, "exercise"},
		{"unknown plan", "/api/plans/nope/revision", testAdmin, http.StatusNotFound, "no plan"},
	} {
		res := r.request("GET", c.path, c.token, nil)
		assert.Equal(t, c.status, res.status, "%s: %s", c.name, res.body)
		assert.Contains(t, res.errorText(), c.says, c.name)
	}
}

// TestReviewPage: /review is served with the pages' headers.
func TestReviewPage(t *testing.T) {
	e := newEnv(t)
	res, err := e.ts.Client().Get(e.ts.URL + "/review")
	require.NoError(t, err)
	defer res.Body.Close()
	page, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "script-src 'self'")
	assert.Contains(t, string(page), `src="/static/review.js"`)
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@`)

// mustApplyDiff applies a unified diff of one file to orig, checking every context and
// removed line against it, as patch(1) would without fuzz.
func mustApplyDiff(tb testing.TB, orig, diff string) string {
	tb.Helper()
	if diff == "" {
		return orig
	}
	src := strings.SplitAfter(orig, "\n")
	if src[len(src)-1] == "" {
		src = src[:len(src)-1]
	}
	var out []string
	next := 0           // the next line of src not yet copied
	lastKind := byte(0) // the kind of the diff line before
	lines := strings.SplitAfter(diff, "\n")
	require.True(tb, strings.HasPrefix(lines[0], "--- ") && strings.HasPrefix(lines[1], "+++ "), "diff headers: %q", diff)
	for i := 2; i < len(lines) && lines[i] != ""; i++ {
		l := lines[i]
		if m := hunkHeader.FindStringSubmatch(l); m != nil {
			start, _ := strconv.Atoi(m[1])
			if m[2] == "0" {
				start++ // an empty range names the line before
			}
			require.GreaterOrEqual(tb, start-1, next, "hunks out of order: %s", l)
			out = append(out, src[next:start-1]...)
			next = start - 1
			continue
		}
		kind := l[0]
		if kind != '\\' {
			lastKind = kind
		}
		switch kind {
		case ' ', '-':
			require.Less(tb, next, len(src), "diff runs past the file at %q", l)
			require.Equal(tb, strings.TrimSuffix(src[next], "\n"), strings.TrimSuffix(l[1:], "\n"), "line %d does not match the diff", next+1)
			if l[0] == ' ' {
				out = append(out, src[next])
			}
			next++
		case '+':
			out = append(out, l[1:])
		case '\\':
			if lastKind != '-' { // the line kept or added ends the file without a newline
				last := len(out) - 1
				out[last] = strings.TrimSuffix(out[last], "\n")
			}
		default:
			require.Failf(tb, "bad diff line", "%q", l)
		}
	}
	out = append(out, src[next:]...)
	return strings.Join(out, "")
}

// TestReviewRevisionUsesTheNewestStoredPlan: the revision is drawn on the plan file as the
// newest chosen exercise ran it, kept with the exercise, whatever the library holds now.
func TestReviewRevisionUsesTheNewestStoredPlan(t *testing.T) {
	e := newEnv(t)
	r := &reviewEnv{env: e}
	r.a1 = r.mustCreateOf("test-scenario")
	r.play(r.a1, true)

	// The plan moves on to 1.1; the server restarts over the same database.
	planV11 := strings.Replace(testPlanHCL, `version = "1"`, `version = "1.1" # after the spring exercise`, 1)
	lib, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: []byte(planV11)},
		"scenario.hcl": {Data: []byte(testScenarioHCL)},
	})
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	e.lib = lib
	e.clock.Advance(24 * time.Hour)
	e.restart()
	r.a2 = r.mustCreateOf("test-scenario")
	r.play(r.a2, false)

	var both revision
	r.mustRequest("GET", "/api/plans/test-plan/revision", r.a1.ReviewerToken, nil, http.StatusOK, &both)
	assert.Equal(t, []string{r.a1.ID, r.a2.ID}, both.Exercises)
	assert.Equal(t, "1.1", both.VersionFrom, "the newest exercise's plan")
	assert.Equal(t, "1.2", both.VersionTo)
	assert.Equal(t, both.Revised, mustApplyDiff(t, planV11, both.Diff))
	assert.Contains(t, both.Revised, "# after the spring exercise", "comments survive")

	var first revision
	r.mustRequest("GET", "/api/plans/test-plan/revision?exercises="+r.a1.ID, r.a2.ReviewerToken, nil, http.StatusOK, &first)
	assert.Equal(t, "1", first.VersionFrom, "the plan as the first exercise ran it")
	assert.Equal(t, first.Revised, mustApplyDiff(t, testPlanHCL, first.Diff))

	var list []reviewed
	r.mustRequest("GET", "/api/review/exercises", r.a1.ReviewerToken, nil, http.StatusOK, &list)
	require.Len(t, list, 2)
	assert.Equal(t, "1.1", list[0].PlanVersion)
	assert.Equal(t, "1", list[1].PlanVersion)
}

// TestEndedReportsAreComputedOnce: the reports, charts, readiness and revisions of ended
// exercises are scored once, not per request; and a revision naming exercises twice, or too
// many, is refused before any is scored.
func TestEndedReportsAreComputedOnce(t *testing.T) {
	r := newReviewEnv(t)
	base := "/api/exercises/" + r.a1.ID
	paths := []string{base + "/report", base + "/report?format=md", base + "/report?format=html",
		base + "/charts/team", "/api/plans/test-plan/readiness", "/api/plans/test-plan/revision",
		"/api/plans/test-plan/revision?exercises=" + r.a1.ID + "," + r.a2.ID}
	for _, p := range paths {
		r.mustRequest("GET", p, testAdmin, nil, http.StatusOK, nil)
	}
	before := web.ScoresComputed(r.srv)
	for range 3 {
		for _, p := range paths {
			r.mustRequest("GET", p, testAdmin, nil, http.StatusOK, nil)
		}
	}
	assert.Equal(t, before, web.ScoresComputed(r.srv), "nothing is scored again")

	many := strings.TrimSuffix(strings.Repeat(r.a1.ID+",", 200), ",")
	res := r.request("GET", "/api/plans/test-plan/revision?exercises="+many, testAdmin, nil)
	assert.Equal(t, http.StatusBadRequest, res.status)
	assert.Contains(t, res.errorText(), "is named twice")
	res = r.request("GET", "/api/plans/test-plan/revision?exercises="+strings.Repeat(",", 5000), testAdmin, nil)
	assert.Equal(t, http.StatusBadRequest, res.status)
	assert.Contains(t, res.errorText(), "5001 ids are too many")
	assert.Equal(t, before, web.ScoresComputed(r.srv), "refused before any work")
}
