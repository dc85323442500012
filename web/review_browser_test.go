package web_test

// The review pages in headless Chromium: a continuity manager with only a reviewer token
// finds last quarter's exercise, opens its report, sees its charts, downloads every format,
// and opens the plan's readiness and the proposed revision. The exercises are played to the
// end through the API and the WebSocket, on a fake clock set to dates in three quarters.

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scoring"
	"github.com/ttx-dev/ttx/web/wstest"
)

// mustRespond joins team with code over the WebSocket and sends each message (act, choose…),
// waiting for its ack.
func mustRespond(t *testing.T, s *browserServer, code, name string, messages ...map[string]any) {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(wstest.WebSocketURL(s.URL), nil)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(browserTimeout)))
	require.NoError(t, conn.WriteJSON(map[string]any{"type": "hello", "code": code, "name": name, "since": 0}))
	var welcome map[string]any
	require.NoError(t, conn.ReadJSON(&welcome))
	require.Equal(t, "welcome", welcome["type"], "%v", welcome)
	for i, m := range messages {
		ref := fmt.Sprintf("%s-%d-%s", name, i, rand.Text()) // refs are unique per client: a repeated one is a retry
		m["ref"] = ref
		require.NoError(t, conn.WriteJSON(m))
		for {
			var reply map[string]any
			require.NoError(t, conn.ReadJSON(&reply))
			if reply["ref"] != ref {
				continue
			}
			require.Equal(t, "ack", reply["type"], "%v: %v", m, reply)
			break
		}
	}
}

// drillRun is how one run of the drill goes: bravo always contains the hosts (alpha's
// action); alpha warns bravo or not; each team answers the go_paper decision.
type drillRun struct {
	warn        bool
	alphaChoice string
	bravoChoice string
}

// hostileNote is a team note that would run a script if a page inserted it as HTML.
const hostileNote = `Backups <img src=x onerror="window.__pwned='note'"> <script>window.__pwned='script'</script>`

// mustPlayDrill creates, plays and ends one run of the drill.
func mustPlayDrill(t *testing.T, s *browserServer, run drillRun) created {
	t.Helper()
	x := mustCreateExercise(t, s, "drill")
	base := "/api/exercises/" + x.ID
	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/start", nil, nil)
	mustRespond(t, s, x.Teams["bravo"], "Ben", map[string]any{"type": "act", "action": "contain"},
		map[string]any{"type": "note", "text": hostileNote})
	if run.warn {
		mustRespond(t, s, x.Teams["alpha"], "Ann", map[string]any{"type": "act", "action": "warn_bravo"})
	}
	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/advance", nil, nil) // T+30m: the decision
	mustRespond(t, s, x.Teams["alpha"], "Ann", map[string]any{"type": "choose", "decision": "go_paper", "option": run.alphaChoice})
	mustRespond(t, s, x.Teams["bravo"], "Ben", map[string]any{"type": "choose", "decision": "go_paper", "option": run.bravoChoice})
	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/end", nil, nil)
	return x
}

// mustGet fetches path with token and returns the body as is.
func mustGet(t *testing.T, s *browserServer, token, path string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", path, data)
	return string(data)
}

// quarterStart is the first day of the quarter d falls in, in d's location.
func quarterStart(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month()-(d.Month()-1)%3, 1, 0, 0, 0, 0, d.Location())
}

// downloadCatcher records what the page saves through a Blob (URL.createObjectURL and an
// <a download> click) instead of letting the browser write it to disk.
const downloadCatcher = `(() => {
  const blobs = new Map();
  const create = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (b) => { const u = create(b); blobs.set(u, b); return u; };
  window.__ttxDownloads = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    const blob = blobs.get(this.href);
    if (this.download && blob) {
      const name = this.download;
      blob.text().then((text) => window.__ttxDownloads.push({ name, type: blob.type, text }));
      return;
    }
    return click.call(this);
  };
})();`

// TestBrowserReview is issue 6's "done": with only a reviewer token, find last quarter's
// exercise, see where readiness fell, and download the plan's proposed revision; every
// number shown equals the JSON.
func TestBrowserReview(t *testing.T) {
	now := time.Now()
	lastQuarter := quarterStart(quarterStart(now).AddDate(0, 0, -1))
	dates := []time.Time{
		lastQuarter.AddDate(0, -3, 14).Add(10 * time.Hour), // the quarter before last
		lastQuarter.AddDate(0, 1, 14).Add(10 * time.Hour),  // last quarter
		quarterStart(now).Add(10 * time.Hour),              // this quarter
	}
	clock := clockwork.NewFakeClockAt(dates[0])
	// The fake clock is in the test's hands, so that the exercises can be dated.
	s := startBrowserServer(t, withLibrary(map[string]string{"plan.hcl": drillPlan, "drill.hcl": drillScenario}), withClock(clock))
	runs := []drillRun{
		{warn: true, alphaChoice: "paper", bravoChoice: "paper"}, // good
		{warn: false, alphaChoice: "wait", bravoChoice: "paper"}, // worse: readiness falls
		{warn: true, alphaChoice: "paper", bravoChoice: "paper"}, // better again
	}
	var xs []created
	for i, run := range runs {
		if i > 0 {
			clock.Advance(dates[i].Sub(clock.Now()))
		}
		xs = append(xs, mustPlayDrill(t, s, run))
	}
	reviewer := xs[1].ReviewerToken // last quarter's exercise's token: it reads the whole plan

	b := mustBrowser(t)
	tab := b.tab("reviewer")
	_, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: downloadCatcher})
	require.NoError(t, err, "install the download catcher")

	// A facilitator token is refused with a sentence; the reviewer token opens the list.
	do(t, tab, "paste a facilitator token",
		chromedp.Navigate(s.URL+"/review"),
		chromedp.WaitVisible(css("#token")),
		chromedp.SendKeys(css("#token"), xs[0].FacilitatorToken),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css("#status.error")),
	)
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#status').textContent`), "reviewer token")
	do(t, tab, "paste the reviewer token",
		chromedp.SendKeys(css("#token"), reviewer),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css(`#exercises tbody tr[data-id]`)),
	)
	assert.NotContains(t, eval[string](t, tab, `location.href`), reviewer, "the token is never in the URL")
	rows := func() []string {
		return eval[[]string](t, tab, `Array.from(document.querySelectorAll('#exercises tbody tr[data-id]'), (tr) => tr.dataset.id)`)
	}
	assert.Equal(t, []string{xs[2].ID, xs[1].ID, xs[0].ID}, rows(), "newest first")

	// The list's numbers are the reports'.
	reports := map[string]scoring.Report{}
	for _, x := range xs {
		var r scoring.Report
		require.NoError(t, json.Unmarshal([]byte(mustGet(t, s, reviewer, "/api/exercises/"+x.ID+"/report")), &r))
		reports[x.ID] = r
		assert.Equal(t, fmt.Sprintf("%.1f", *r.Score.Overall),
			eval[string](t, tab, fmt.Sprintf(`document.querySelector('#exercises tr[data-id=%q] td.score').textContent`, x.ID)))
		assert.Equal(t, *r.Ratings.Overall,
			eval[string](t, tab, fmt.Sprintf(`document.querySelector('#exercises tr[data-id=%q] .rating').textContent`, x.ID)))
	}

	// Last quarter is one click (the plan is already chosen: the token reads one plan).
	do(t, tab, "filter to last quarter", chromedp.Click(css("#q-last-quarter")))
	waitFor(t, tab, "only last quarter's exercise is listed",
		fmt.Sprintf(`document.querySelectorAll('#exercises tbody tr[data-id]').length === 1 && document.querySelector('#exercises tbody tr[data-id]').dataset.id === %q`, xs[1].ID))
	assert.Equal(t, lastQuarter.Format("2006-01-02"), eval[string](t, tab, `document.querySelector('#f-from').value`))
	assert.Equal(t, quarterStart(now).AddDate(0, 0, -1).Format("2006-01-02"), eval[string](t, tab, `document.querySelector('#f-to').value`))
	assert.Equal(t, "drill-plan", eval[string](t, tab, `document.querySelector('#f-plan').value`))
	assert.Equal(t, "true", eval[string](t, tab, `document.querySelector('#q-last-quarter').getAttribute('aria-pressed')`))
	screenshot(t, tab, "review-list-phone", 390, 844)
	assert.True(t, eval[bool](t, tab, `document.documentElement.scrollWidth <= window.innerWidth`), "no sideways scroll on a phone: %s",
		eval[string](t, tab, `Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right).slice(0, 8).join('; ')`))
	screenshot(t, tab, "review-list", 1280, 900)

	// The report of last quarter's exercise: its charts hold the JSON's numbers.
	do(t, tab, "open the report",
		chromedp.Click(css(fmt.Sprintf(`#exercises tr[data-id=%q] a.button`, xs[1].ID))),
		chromedp.WaitVisible(css(`#report .summary`)),
		// The charts come after the summary, once the server has drawn (and kept) them.
		chromedp.WaitVisible(css(`#report svg[data-chart=phase]`)),
	)
	r := reports[xs[1].ID]
	assert.Equal(t, fmt.Sprintf("%.1f", *r.Score.Overall), eval[string](t, tab, `document.querySelector('.overall-score').textContent`))
	for kind, group := range map[string]struct {
		scores  map[string]float64
		ratings map[string]string
	}{
		"capability": {r.Score.ByCapability, r.Ratings.ByCapability},
		"team":       {r.Score.ByTeam, r.Ratings.ByTeam},
		"phase":      {r.Score.ByPhase, r.Ratings.ByPhase},
	} {
		want := map[string]string{}
		for k, v := range group.scores {
			want[k] = fmt.Sprintf("%.1f %s", v, group.ratings[k])
		}
		require.NotEmpty(t, want, kind)
		got := eval[map[string]string](t, tab, fmt.Sprintf(`Object.fromEntries(Array.from(document.querySelectorAll('svg[data-chart=%q] g.bar'),
			(g) => [g.dataset.label, g.querySelector('.bar-value').textContent]))`, kind))
		assert.Equal(t, want, got, "the %s chart", kind)
	}
	for k, v := range r.Ratings.ByCapability {
		fill := eval[string](t, tab, fmt.Sprintf(`document.querySelector('svg[data-chart=capability] g.bar[data-label=%q] rect.bar-fill').getAttribute('fill')`, k))
		assert.Equal(t, map[string]string{"P": "#2e7d32", "S": "#9e9d24", "M": "#ef6c00", "U": "#c62828"}[v], fill, "%s is coloured %s", k, v)
	}
	waitFor(t, tab, "the timeline chart is drawn", `(() => { const i = document.querySelector('.timeline-chart img'); return i !== null && i.complete && i.naturalWidth > 0; })()`)
	gaps := eval[[]string](t, tab, `Array.from(document.querySelectorAll('#report li.gap'), (li) => li.dataset.item + " " + li.dataset.kind)`)
	var wantGaps []string
	for _, g := range r.Gaps {
		wantGaps = append(wantGaps, g.Item+" "+g.Kind)
	}
	assert.Equal(t, wantGaps, gaps)
	assert.Contains(t, wantGaps, "contain wrong_owner")
	assert.Equal(t, r.NotInPlay, eval[[]string](t, tab, `Array.from(document.querySelectorAll('#not-in-play li'), (li) => li.textContent)`))
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#report').textContent`), hostileNote, "a note shows as the text it is")
	assert.Zero(t, eval[int](t, tab, `document.querySelectorAll('#report img:not(.chart-img), #report script').length`), "no markup from a note")
	assert.True(t, eval[bool](t, tab, `window.__pwned === undefined`), "no script from a note ran")

	// Every format downloads through a Blob and is what the API serves.
	for i, f := range []struct{ format, name string }{
		{"html", "-report.html"}, {"md", "-report.md"}, {"json", "-report.json"}, {"csv", "-items.csv"}, {"csv-timeline", "-timeline.csv"},
	} {
		do(t, tab, "download "+f.format, chromedp.Click(css(fmt.Sprintf(`button.download[data-format=%q]`, f.format))))
		waitFor(t, tab, f.format+" is saved", fmt.Sprintf(`window.__ttxDownloads.length === %d`, i+1))
		assert.Equal(t, "ttx-drill-"+xs[1].ID+f.name, eval[string](t, tab, fmt.Sprintf(`window.__ttxDownloads[%d].name`, i)))
		assert.Equal(t, mustGet(t, s, reviewer, "/api/exercises/"+xs[1].ID+"/report?format="+f.format),
			eval[string](t, tab, fmt.Sprintf(`window.__ttxDownloads[%d].text`, i)), f.format)
	}
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#status').textContent`), "Downloaded ttx-drill-")
	do(t, tab, "download docx", chromedp.Click(css(`button.download[data-format="docx"]`)))
	waitFor(t, tab, "docx is saved", `window.__ttxDownloads.length === 6`)
	assert.Equal(t, "ttx-drill-"+xs[1].ID+"-report.docx", eval[string](t, tab, `window.__ttxDownloads[5].name`))
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", eval[string](t, tab, `window.__ttxDownloads[5].type`))

	screenshot(t, tab, "review-report", 1280, 900)
	axeCheck(t, tab, "review page with a report")
	// On a phone the page does not scroll sideways; printed, the buttons go and the log shows.
	screenshot(t, tab, "review-report-phone", 390, 844)
	assert.True(t, eval[bool](t, tab, `document.documentElement.scrollWidth <= window.innerWidth`), "no sideways scroll on a phone")
	do(t, tab, "laptop", chromedp.EmulateViewport(1280, 900))
	_, err = chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	require.NoError(t, err)
	assert.Equal(t, "none", eval[string](t, tab, `getComputedStyle(document.querySelector('.downloads')).display`))
	assert.NotEqual(t, "none", eval[string](t, tab, `getComputedStyle(document.querySelector('.log-details')).display`))
	screenshot(t, tab, "review-report-print", 794, 1123) // A4 at 96 dpi
	do(t, tab, "laptop again", chromedp.EmulateViewport(1280, 900))
	_, err = chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	require.NoError(t, err)
	pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(pdf), "%PDF"), "the report prints")

	// Readiness: the chart's points are the trend's; the fall and the gaps are shown.
	do(t, tab, "open the readiness",
		chromedp.Click(css(`#report a[href="#/readiness/drill-plan"]`)),
		chromedp.WaitVisible(css(`svg.trend-chart`)),
	)
	var trend scoring.Trend
	require.NoError(t, json.Unmarshal([]byte(mustGet(t, s, reviewer, "/api/plans/drill-plan/readiness")), &trend))
	require.Len(t, trend.Exercises, 3)
	wantPoints := map[string]string{}
	for _, p := range trend.Exercises {
		wantPoints["overall "+p.ID] = fmt.Sprintf("%.1f", *p.Overall)
		for c, v := range p.ByCapability {
			wantPoints[c+" "+p.ID] = fmt.Sprintf("%.1f", v)
		}
	}
	gotPoints := eval[map[string]string](t, tab, `Object.fromEntries(Array.from(document.querySelectorAll('svg.trend-chart circle.point'),
		(c) => [c.closest('g.series').dataset.series + " " + c.dataset.exercise, c.dataset.value]))`)
	assert.Equal(t, wantPoints, gotPoints)
	require.Less(t, *trend.Exercises[1].Overall, *trend.Exercises[0].Overall, "the test plays a fall")
	assert.Equal(t, fmt.Sprintf("▼%.1f", *trend.Exercises[0].Overall-*trend.Exercises[1].Overall),
		strings.TrimSpace(eval[string](t, tab, fmt.Sprintf(`document.querySelector('.trend-table tr[data-id=%q] td.score .delta.fell').textContent`, xs[1].ID))))
	for _, p := range trend.Exercises[1:] {
		var want []string
		for _, g := range p.PreviousGaps {
			want = append(want, g.Item+" "+g.Kind+" "+g.Status)
		}
		got := eval[[]string](t, tab, fmt.Sprintf(`Array.from(document.querySelectorAll('.gap-changes[data-id=%q] tr[data-item]'), (tr) => tr.dataset.item + " " + tr.dataset.kind + " " + tr.dataset.status)`, p.ID))
		sort.Strings(want)
		sort.Strings(got)
		assert.Equal(t, want, got, "gaps before %s", p.ID)
	}
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#readiness').textContent`), "recurred")
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#readiness').textContent`), "closed")
	screenshot(t, tab, "review-readiness", 1280, 900)
	axeCheck(t, tab, "review page with readiness")

	// The revision from every exercise, then from the last two; the revised file downloads.
	do(t, tab, "open the revision",
		chromedp.Click(css(`#readiness a[href="#/revision/drill-plan"]`)),
		chromedp.WaitVisible(css(`#diff`)),
	)
	var all revision
	require.NoError(t, json.Unmarshal([]byte(mustGet(t, s, reviewer, "/api/plans/drill-plan/revision")), &all))
	require.True(t, all.Changed, "bravo contained the hosts in every run: %+v", all)
	assert.Equal(t, all.Diff, eval[string](t, tab, `document.querySelector('#diff').textContent`))
	assert.Contains(t, eval[string](t, tab, `Array.from(document.querySelectorAll('#diff .dl.add'), (s) => s.textContent).join("\n")`), "team.bravo")
	assert.Contains(t, eval[string](t, tab, `Array.from(document.querySelectorAll('#diff .dl.del'), (s) => s.textContent).join("\n")`), "team.alpha")
	assert.Contains(t, eval[string](t, tab, `document.querySelector('li.change[data-action=contain]').textContent`), xs[0].ID, "the evidence names the exercises")

	do(t, tab, "leave out the oldest exercise",
		chromedp.Click(css(fmt.Sprintf(`#revision-exercises input[value=%q]`, xs[0].ID))),
		chromedp.Click(css(`#revision-form button[type=submit]`)),
	)
	var two revision
	require.NoError(t, json.Unmarshal([]byte(mustGet(t, s, reviewer, "/api/plans/drill-plan/revision?exercises="+xs[1].ID+","+xs[2].ID)), &two))
	waitFor(t, tab, "the revision from two exercises", fmt.Sprintf(`(() => { const d = document.querySelector('#diff'); return d !== null && d.textContent === %q; })()`, two.Diff))
	screenshot(t, tab, "review-revision", 1280, 900)
	do(t, tab, "download the revised plan", chromedp.Click(css(`#download-hcl`)))
	waitFor(t, tab, "the plan is saved", `window.__ttxDownloads.length === 7`)
	assert.Equal(t, "plan.hcl", eval[string](t, tab, `window.__ttxDownloads[6].name`))
	assert.Equal(t, two.Revised, eval[string](t, tab, `window.__ttxDownloads[6].text`))
	assert.Equal(t, two.Revised, mustApplyDiff(t, drillPlan, two.Diff), "the diff applies to the stored plan")

	// An exercise the token may not read: the server's sentence, nothing else.
	do(t, tab, "open a report the token may not read",
		chromedp.Navigate(s.URL+"/review#/report/nosuchthing"),
		chromedp.WaitVisible(css("#status.error")),
	)
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#status').textContent`), "your token does not allow this")
	assert.Empty(t, eval[string](t, tab, `document.querySelector('#report').textContent`))

	// Forgetting the token brings back the form, and a reload does not find it.
	do(t, tab, "forget the token",
		chromedp.Click(css("#forget")),
		chromedp.WaitVisible(css("#token")),
		chromedp.Reload(),
		chromedp.WaitVisible(css("#token")),
	)
	assert.Empty(t, eval[string](t, tab, `Object.keys(sessionStorage).filter((k) => sessionStorage.getItem(k).includes(`+"`"+reviewer+"`"+`)).join()`))
}
