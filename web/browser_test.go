package web_test

// Browser tests: the real pages, served by the real server over an SQLite file, driven in
// headless Chromium with chromedp. They need /usr/bin/chromium (Debian's `chromium` package,
// which CI installs) and fail, not skip, without it.

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jonboulle/clockwork"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
	"github.com/ttx-dev/ttx/web/wstest"
)

// browserTimeout bounds each browser test as a whole.
const browserTimeout = 90 * time.Second

// drillPlan is a small plan of two teams for the browser tests.
const drillPlan = `
plan "drill-plan" {
  title   = "Drill response plan"
  version = "1"

  team "alpha" {
    title = "Alpha Team"
    tier  = 2
  }
  team "bravo" {
    title = "Bravo Team"
    tier  = 4
  }

  severity "low" {
    level = 1
    title = "Low"
  }
  severity "high" {
    level = 2
    title = "High"
  }

  action "contain" {
    title      = "Contain the affected hosts"
    owner      = team.alpha
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }
  action "warn_bravo" {
    title       = "Warn Bravo"
    owner       = team.alpha
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    escalate_to = team.bravo
  }
  action "brief" {
    title      = "Brief the board"
    owner      = team.bravo
    phase      = "recovery"
    capability = "communication"
    due        = "2h"
  }
}
`

// drillScenario sends each team an inject of its own at the start and both a common one,
// with a decision, at 30m.
const drillScenario = `
scenario "drill" {
  title    = "Browser drill"
  summary  = "Two teams, three injects."
  plan     = "drill-plan"
  duration = "4h"

  inject "alpha-first" {
    at       = "0s"
    to       = [team.alpha]
    channel  = "email"
    from     = "Alpha desk"
    subject  = "Alpha only: strange screens"
    body     = "Two **workstations** show a red screen."
    triggers = [action.contain, action.warn_bravo]
  }

  inject "bravo-first" {
    at      = "0s"
    to      = [team.bravo]
    channel = "news"
    from    = "Radio Drill"
    subject = "Bravo only: the radio calls"
    body    = "A reporter asks about an attack."
  }

  inject "both-second" {
    at       = "30m"
    to       = [team.alpha, team.bravo]
    channel  = "ticket"
    subject  = "Both: it is spreading"
    body     = "Six more hosts."
    severity = severity.high

    decision "go_paper" {
      prompt = "Do we go to paper?"
      options = {
        paper = "Go to paper now"
        wait  = "Wait an hour"
      }
      expected   = "paper"
      capability = "continuity"
      phase      = "recovery"
    }
  }
}
`

// xssScenario carries script and HTML payloads in every field a scenario author controls.
const xssScenario = `
scenario "xss" {
  title    = "Payloads <img src=x onerror=\"window.__pwned='title'\">"
  summary  = "Hostile text everywhere."
  plan     = "drill-plan"
  duration = "1h"

  inject "hostile" {
    at      = "0s"
    to      = [team.alpha, team.bravo]
    channel = "social"
    from    = "<script>window.__pwned='from'</script>"
    subject = "<img src=x onerror=\"window.__pwned='subject'\">"
    body    = <<-EOT
      Hello <img src=x onerror="window.__pwned='body-img'"> and
      <script>window.__pwned='body-script'</script>
      [click](javascript:window.__pwned='link')
      <a href="javascript:window.__pwned='a'">link</a>
    EOT
  }
}
`

// browserServer is the real ttx server over an SQLite file, on a local port.
type browserServer struct {
	URL   string
	admin string
}

// serverOption changes what startBrowserServer serves.
type serverOption func(*serverSetup)

type serverSetup struct {
	files map[string]string // file name -> HCL
	clock clockwork.Clock
	edit  func(*scenarios.Set) // changes the loaded library before the server starts
}

// withEdit changes the loaded library before the server serves it (the tests of v2 fields
// set them on the loaded structs).
func withEdit(edit func(*scenarios.Set)) serverOption {
	return func(s *serverSetup) { s.edit = edit }
}

// withLibrary serves these HCL files (name -> text) instead of the drill's plan and scenarios.
func withLibrary(files map[string]string) serverOption {
	return func(s *serverSetup) { s.files = files }
}

// withClock runs the exercises on clock, in the test's hands, instead of a fake clock of
// their own.
func withClock(clock clockwork.Clock) serverOption {
	return func(s *serverSetup) { s.clock = clock }
}

// startBrowserServer serves the drill's plan and its drill and xss scenarios unless told
// otherwise.
func startBrowserServer(t *testing.T, opts ...serverOption) *browserServer {
	t.Helper()
	setup := serverSetup{
		files: map[string]string{"plan.hcl": drillPlan, "drill.hcl": drillScenario, "xss.hcl": xssScenario},
		// A fake clock: simulated time moves only when the facilitator advances it, so what
		// each page shows does not depend on how fast the machine is.
		clock: clockwork.NewFakeClock(),
	}
	for _, o := range opts {
		o(&setup)
	}
	fsys := fstest.MapFS{}
	for name, text := range setup.files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	lib, diags := scenarios.LoadFS(fsys)
	require.False(t, diags.HasErrors(), "test scenarios: %s", diags.Error())
	if setup.edit != nil {
		setup.edit(lib)
	}
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "ttx.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	admin := "admin-" + rand.Text()
	m := facilitator.NewManager(store, lib, setup.clock, rand.Reader, facilitator.WithAdminToken(admin))
	t.Cleanup(m.Close)
	srv := web.NewServer(web.Config{Manager: m, Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(srv.Close)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &browserServer{URL: ts.URL, admin: admin}
}

// created is the answer of POST /api/exercises.
type created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitator_token"`
	ReviewerToken    string            `json:"reviewer_token"`
	EvaluatorToken   string            `json:"evaluator_token"`
	Teams            map[string]string `json:"teams"`
}

// mustCreateExercise creates an exercise of scenario in the default mode (evaluation).
func mustCreateExercise(t *testing.T, s *browserServer, scenario string) created {
	t.Helper()
	var out created
	mustAPI(t, s, s.admin, http.MethodPost, "/api/exercises", map[string]any{"scenario": scenario, "speed": 60}, &out)
	require.NotEmpty(t, out.ID)
	require.Len(t, out.Teams, 2)
	return out
}

// mustCreateExerciseIn creates an exercise of scenario in mode.
func mustCreateExerciseIn(t *testing.T, s *browserServer, scenario, mode string) created {
	t.Helper()
	var out created
	mustAPI(t, s, s.admin, http.MethodPost, "/api/exercises", map[string]any{"scenario": scenario, "speed": 60, "mode": mode}, &out)
	require.NotEmpty(t, out.ID)
	require.Len(t, out.Teams, 2)
	return out
}

func mustAPI(t *testing.T, s *browserServer, token, method, path string, body, out any) {
	t.Helper()
	require.NoError(t, wstest.Call(http.DefaultClient, s.URL, method, path, token, body, out))
}

// browser is one headless Chromium for a test; tabs opened from it get browser contexts of
// their own (separate storage, like two people on two machines).
type browser struct {
	t   *testing.T
	ctx context.Context

	mu         sync.Mutex
	exceptions []string
}

func mustBrowser(t *testing.T) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		// CI installs Debian's chromium: a missing browser is a broken machine, not a reason
		// to pass without testing the pages.
		t.Fatalf("the browser tests need Chromium: install the Debian package chromium (%v)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	require.NoError(t, chromedp.Do(bctx), "start Chromium")
	b := &browser{t: t, ctx: bctx}
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, e := range b.exceptions {
			t.Errorf("uncaught exception in a page: %s", e)
		}
	})
	return b
}

// tab opens a tab in a browser context of its own, 1280×900 unless resized, and records the
// page's uncaught exceptions, which fail the test.
func (b *browser) tab(name string) context.Context {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	require.NoError(b.t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)), "open tab %s", name)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() {
				b.mu.Lock()
				b.exceptions = append(b.exceptions, name+": "+m.String())
				b.mu.Unlock()
			}
		}
	}()
	return ctx
}

type css = chromedp.CSS

// stepTimeout bounds one step, so that a step that fails leaves the tab alive to be
// photographed.
const stepTimeout = 30 * time.Second

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		failureScreenshot(t, ctx, what)
		require.NoError(t, err, what)
	}
}

// failureScreenshot keeps what the tab showed when a step failed, in $TTX_SCREENSHOTS.
func failureScreenshot(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	dir := os.Getenv("TTX_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("no screenshot of the failure: %v", err)
		return
	}
	name := filepath.Join(dir, "failed-"+strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' || r == '\'' {
			return '-'
		}
		return r
	}, what)+".png")
	if err := os.WriteFile(name, png, 0o644); err == nil {
		t.Logf("screenshot of the failure: %s", name)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(t, err, "evaluate %s", expr)
	return v
}

// waitFor polls a JavaScript predicate in the page until it is true.
func waitFor(t *testing.T, ctx context.Context, what, predicate string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(stepTimeout))); err != nil {
		failureScreenshot(t, ctx, what)
		require.NoError(t, err, "waiting until %s", what)
	}
}

// feedHas is a predicate: some feed item of kind contains text.
func feedHas(kind, text string) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll('#feed li[data-kind=%q]')).some((li) => li.textContent.includes(%q))`, kind, text)
}

// feedSeqs returns the seq of every feed item, in page order (newest first).
func feedSeqs(t *testing.T, ctx context.Context) []int {
	t.Helper()
	return eval[[]int](t, ctx, `Array.from(document.querySelectorAll('#feed li[data-seq]'), (li) => Number(li.dataset.seq))`)
}

func feedText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.querySelector('#feed').textContent`)
}

// join goes to the landing page, types the code and the name, and waits for the welcome.
func join(t *testing.T, ctx context.Context, s *browserServer, code, name string) {
	t.Helper()
	do(t, ctx, "join as "+name,
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(css("#join-code")),
		// The form is prefilled with what this tab last typed.
		chromedp.Evaluate[chromedp.Void](`for (const id of ['join-code', 'join-name']) document.getElementById(id).value = ''`),
		chromedp.SendKeys(css("#join-code"), code),
		chromedp.SendKeys(css("#join-name"), name),
		chromedp.Click(css("#join button[type=submit]")),
		chromedp.WaitVisible(css("#conn.ok")),
	)
}

// socketSwitch replaces the page's WebSocket with one the test can cut: closing the open
// socket and, while window.__ttxOffline is true, failing every new one, as a dropped
// network would. It runs before any script of every page the tab loads.
const socketSwitch = `(() => {
  const Real = window.WebSocket;
  window.__ttxSockets = [];
  window.__ttxOffline = false;
  window.WebSocket = class extends Real {
    constructor(url, protocols) {
      super(window.__ttxOffline ? "ws://127.0.0.1:9/offline" : url, protocols);
      window.__ttxSockets.push(this);
    }
  };
})();`

func installSocketSwitch(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: socketSwitch})
	require.NoError(t, err, "install the socket switch")
}

// openConsole pastes the facilitator token on the landing page, which routes it to /console.
func openConsole(t *testing.T, ctx context.Context, s *browserServer, token string) {
	t.Helper()
	do(t, ctx, "open the console",
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(css("#token")),
		chromedp.SendKeys(css("#token"), token),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css("#cmd-start")),
		chromedp.WaitVisible(css("#conn.ok")),
	)
}

func screenshot(t *testing.T, ctx context.Context, name string, width, height int64) {
	t.Helper()
	do(t, ctx, "resize for "+name, chromedp.EmulateViewport(width, height))
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err, "screenshot %s", name)
	dir := os.Getenv("TTX_SCREENSHOTS")
	if dir == "" {
		return
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// TestBrowserExercise plays the drill: the console starts it, two participants of different
// teams join in browsers of their own, see only their own injects, record an action and
// escalate to each other, reload without losing or doubling anything, and see the next
// inject when the facilitator advances the clock.
func TestBrowserExercise(t *testing.T) {
	s := startBrowserServer(t)
	x := mustCreateExercise(t, s, "drill")
	b := mustBrowser(t)

	console := b.tab("console")
	openConsole(t, console, s, x.FacilitatorToken)
	do(t, console, "start the exercise",
		chromedp.WaitEnabled(css("#cmd-start")),
		chromedp.Click(css("#cmd-start")),
	)
	waitFor(t, console, "the console shows the first injects in its log",
		`document.querySelectorAll('#log li[data-kind=inject_delivered]').length === 2`)
	waitFor(t, console, "the console lists the upcoming inject",
		`document.querySelector('#upcoming tr[data-inject="both-second"]') !== null`)
	assert.Equal(t, "running", eval[string](t, console, `document.querySelector('#status').textContent`))

	// A wrong code gets the server's refusal on the join form, which stays usable.
	alpha := b.tab("alpha")
	installSocketSwitch(t, alpha)
	do(t, alpha, "join with a wrong code",
		chromedp.Navigate(s.URL+"/play"),
		chromedp.WaitVisible(css("#join-code")),
		chromedp.SendKeys(css("#join-code"), "WRONG-CODE"),
		chromedp.SendKeys(css("#join-name"), "Ann Alpha"),
		chromedp.Click(css("#join button[type=submit]")),
		chromedp.WaitVisible(css("#join-status.error")),
		chromedp.WaitVisible(css("#join-code")),
	)
	assert.NotEmpty(t, eval[string](t, alpha, `document.querySelector('#join-status').textContent`))
	join(t, alpha, s, x.Teams["alpha"], "Ann Alpha")
	bravo := b.tab("bravo")
	join(t, bravo, s, x.Teams["bravo"], "Ben Bravo")

	// Each sees its own inject and not the other's.
	waitFor(t, alpha, "alpha sees its inject", feedHas("inject_delivered", "Alpha only: strange screens"))
	waitFor(t, bravo, "bravo sees its inject", feedHas("inject_delivered", "Bravo only: the radio calls"))
	assert.NotContains(t, feedText(t, alpha), "Bravo only")
	assert.NotContains(t, feedText(t, bravo), "Alpha only")
	// The Markdown body arrives rendered.
	assert.Equal(t, "workstations", eval[string](t, alpha, `document.querySelector('#feed .inject .body strong').textContent`))
	// The header shows the team, the name, the status and the severity.
	assert.Equal(t, "Alpha Team", eval[string](t, alpha, `document.querySelector('#team').textContent`))
	assert.Equal(t, "Ann Alpha", eval[string](t, alpha, `document.querySelector('#me').textContent`))
	assert.Equal(t, "running", eval[string](t, alpha, `document.querySelector('#status').textContent`))
	assert.Equal(t, "Low", eval[string](t, alpha, `document.querySelector('#severity').textContent`))
	// (v2) In evaluation mode, the default, the triggered action shows no deadline: no
	// action_triggered reaches a participant.
	assert.Equal(t, "", eval[string](t, alpha, `document.querySelector('#action-contain .deadline').textContent`))

	// Alpha records an action: sending…, then acked, then in the feed.
	do(t, alpha, "record an action",
		chromedp.Click(css(`#my-actions button[data-action="contain"]`)),
		chromedp.WaitVisible(css(`#outbox li.acked`)),
	)
	waitFor(t, alpha, "the action is in alpha's feed", feedHas("action_recorded", "Contain the affected hosts"))
	assert.True(t, eval[bool](t, alpha, `document.querySelector('#action-contain').classList.contains('done')`))

	// They escalate to each other; the text lands in the other's feed.
	do(t, alpha, "escalate to bravo",
		chromedp.SetValue(css("#escalate-to"), "bravo"),
		chromedp.SendKeys(css("#escalate-text"), "Alpha to Bravo: hosts contained"),
		chromedp.Click(css("#escalate button[type=submit]")),
	)
	waitFor(t, bravo, "bravo gets alpha's escalation", feedHas("escalation", "Alpha to Bravo: hosts contained"))
	do(t, bravo, "escalate to alpha",
		chromedp.SetValue(css("#escalate-to"), "alpha"),
		chromedp.SendKeys(css("#escalate-text"), "Bravo to Alpha: board briefed"),
		chromedp.Click(css("#escalate button[type=submit]")),
	)
	waitFor(t, alpha, "alpha gets bravo's escalation", feedHas("escalation", "Bravo to Alpha: board briefed"))
	waitFor(t, alpha, "every send of alpha is acked",
		`document.querySelectorAll('#outbox li').length === 2 && document.querySelectorAll('#outbox li:not(.acked)').length === 0`)
	waitFor(t, console, "the console logs both escalations",
		`document.querySelectorAll('#log li[data-kind=escalation]').length === 2`)
	waitFor(t, console, "the console shows alpha's progress",
		`document.querySelector('.team-progress[data-team=alpha] li[data-action=contain]').classList.contains('pg-done')`)

	// Alpha's connection drops. While it is down, bravo escalates and alpha writes a note:
	// after the reconnect alpha has both, once, and the note is acked.
	do(t, alpha, "cut alpha's connection",
		chromedp.Evaluate[chromedp.Void](`window.__ttxOffline = true; window.__ttxSockets.at(-1).close()`),
		chromedp.WaitVisible(css("#conn.bad")),
	)
	do(t, bravo, "escalate to alpha while alpha is away",
		chromedp.SetValue(css("#escalate-to"), "alpha"),
		chromedp.SendKeys(css("#escalate-text"), "While you were away"),
		chromedp.Click(css("#escalate button[type=submit]")),
	)
	waitFor(t, bravo, "bravo's sends are acked",
		`document.querySelectorAll('#outbox li').length === 2 && document.querySelectorAll('#outbox li:not(.acked)').length === 0`)
	do(t, alpha, "write a note while offline",
		chromedp.SendKeys(css("#note-text"), "Written offline"),
		chromedp.Click(css("#note button[type=submit]")),
		chromedp.WaitVisible(css("#outbox li.sending")),
	)
	do(t, alpha, "restore alpha's network", chromedp.Evaluate[chromedp.Void](`window.__ttxOffline = false`))
	waitFor(t, alpha, "alpha catches up with bravo's escalation", feedHas("escalation", "While you were away"))
	waitFor(t, alpha, "alpha's offline note is recorded", feedHas("note", "Written offline"))
	waitFor(t, alpha, "alpha's note is acked", `document.querySelectorAll('#outbox li:not(.acked)').length === 0`)
	assert.Equal(t, 1, eval[int](t, alpha, `Array.from(document.querySelectorAll('#feed li[data-kind=note]')).length`),
		"the note resent after the reconnect is recorded once")

	// A reload rebuilds the same feed from the server: nothing lost, nothing doubled.
	for name, tab := range map[string]context.Context{"alpha": alpha, "bravo": bravo} {
		before := feedSeqs(t, tab)
		require.NotEmpty(t, before)
		do(t, tab, "reload "+name, chromedp.Reload(), chromedp.WaitVisible(css("#conn.ok")))
		waitFor(t, tab, name+"'s feed is rebuilt", fmt.Sprintf(`document.querySelectorAll('#feed li[data-seq]').length >= %d`, len(before)))
		after := feedSeqs(t, tab)
		assert.Equal(t, before, after, "%s's feed after a reload", name)
		assert.Equal(t, len(after), len(slicesCompactSorted(after)), "%s's feed has a duplicate", name)
	}

	// A message the server refuses shows its error in the outbox.
	do(t, alpha, "send an action the plan does not have",
		chromedp.Evaluate[chromedp.Void](`window.__ttxSockets.at(-1).send(JSON.stringify({type: 'act', ref: 'bogus-1', action: 'no_such_action'}))`),
		chromedp.WaitVisible(css(`#outbox li.failed[data-ref="bogus-1"]`)),
	)
	assert.Contains(t, eval[string](t, alpha, `document.querySelector('#outbox li[data-ref="bogus-1"]').textContent`), "error: ")

	// A note written while offline survives a reload of the page: it is sent after the
	// reload with its ref and recorded once.
	do(t, alpha, "cut alpha's connection again",
		chromedp.Evaluate[chromedp.Void](`window.__ttxOffline = true; window.__ttxSockets.at(-1).close()`),
		chromedp.WaitVisible(css("#conn.bad")),
		chromedp.SendKeys(css("#note-text"), "Kept across a reload"),
		chromedp.Click(css("#note button[type=submit]")),
		chromedp.WaitVisible(css("#outbox li.sending")),
		chromedp.Reload(),
		chromedp.WaitVisible(css("#conn.ok")),
	)
	waitFor(t, alpha, "the note kept across the reload is recorded", feedHas("note", "Kept across a reload"))
	waitFor(t, alpha, "and acked", `document.querySelectorAll('#outbox li.acked').length === 1 && document.querySelectorAll('#outbox li:not(.acked)').length === 0`)
	assert.Equal(t, 1, eval[int](t, alpha, `Array.from(document.querySelectorAll('#feed li[data-kind=note]')).filter((li) => li.textContent.includes('Kept across a reload')).length`))

	// The console holds the next inject back and releases it, and shows the server's
	// sentence when a command is refused.
	do(t, console, "hold the next inject",
		chromedp.Click(css(`#upcoming tr[data-inject="both-second"] button.hold`)),
		chromedp.WaitVisible(css(`#upcoming tr.held[data-inject="both-second"]`)),
		chromedp.Click(css(`#upcoming tr[data-inject="both-second"] button.hold`)),
		chromedp.WaitVisible(css(`#upcoming tr[data-inject="both-second"]:not(.held)`)),
	)
	do(t, console, "ask for an absurd speed",
		chromedp.SetValue(css("#speed"), "1000000"),
		chromedp.Click(css("#speed-form button[type=submit]")),
		chromedp.WaitVisible(css("#api-status.error")),
	)
	assert.Contains(t, eval[string](t, console, `document.querySelector('#api-status').textContent`), "speed")

	// The facilitator advances the clock: both see the next inject and its decision.
	do(t, console, "advance the clock", chromedp.Click(css("#cmd-advance")))
	waitFor(t, alpha, "alpha sees the common inject", feedHas("inject_delivered", "Both: it is spreading"))
	waitFor(t, bravo, "bravo sees the common inject", feedHas("inject_delivered", "Both: it is spreading"))
	waitFor(t, alpha, "the severity rises", `document.querySelector('#severity').textContent === 'High'`)
	// The page's clock runs on from T+0:30:00 at 60×: within ten real seconds it reads T+0:3x:xx.
	waitFor(t, alpha, "the clock shows the advanced time", `document.querySelector('#clock').textContent.startsWith('T+0:3')`)
	do(t, bravo, "answer the decision",
		chromedp.Click(css(`form.decision input[value="paper"]`)),
		chromedp.Click(css(`form.decision button[type=submit]`)),
		chromedp.WaitVisible(css(`form.decision.answered`)),
	)
	assert.Contains(t, eval[string](t, bravo, `document.querySelector('form.decision .status').textContent`), "Go to paper now")
	waitFor(t, console, "the console logs the answer", `document.querySelectorAll('#log li[data-kind=decision_answered]').length === 1`)

	// Nothing of alpha's own appeared twice along the way either.
	seqs := feedSeqs(t, alpha)
	assert.Equal(t, len(seqs), len(slicesCompactSorted(seqs)))

	screenshot(t, alpha, "play-laptop", 1280, 900)
	screenshot(t, bravo, "play-phone", 390, 844)
	screenshot(t, console, "console-laptop", 1280, 900)
	screenshot(t, console, "console-phone", 390, 844)

	// Ending takes two clicks; then the pages say so and the responses are closed.
	do(t, console, "end the exercise",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(css("#cmd-end")),
		chromedp.WaitVisible(css(`#cmd-end[data-armed="yes"]`)),
		chromedp.Click(css("#cmd-end")),
	)
	waitFor(t, console, "the console shows the end", `document.querySelector('#status').textContent === 'ended'`)
	do(t, console, "the console points to the report", chromedp.WaitVisible(css(`#ended a[href="/review"]`)))

	// The landing page routes a pasted reviewer token to the review page.
	reviewer := b.tab("reviewer")
	do(t, reviewer, "paste the reviewer token",
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(css("#token")),
		chromedp.SendKeys(css("#token"), x.ReviewerToken),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css("body.review")),
	)
	assert.Equal(t, "/review", eval[string](t, reviewer, `location.pathname`))
	for name, tab := range map[string]context.Context{"alpha": alpha, "bravo": bravo} {
		do(t, tab, name+" sees the end", chromedp.WaitVisible(css("#ended")))
		assert.True(t, eval[bool](t, tab, `document.querySelector('#note button[type=submit]').disabled`), "%s may still send a note", name)
	}
}

// TestBrowserPayloadsAreInert puts script and HTML payloads in a scenario's inject, a
// participant's name, a note, an escalation, an ad-hoc inject and an observation, and checks
// in Chromium that no script ran, no element carries an event handler, and text shows
// literally where it is text.
func TestBrowserPayloadsAreInert(t *testing.T) {
	s := startBrowserServer(t)
	x := mustCreateExercise(t, s, "xss")
	b := mustBrowser(t)

	const (
		name       = `<img src=x onerror="window.__pwned='name'">`
		note       = `<script>window.__pwned='note'</script>`
		escalation = `<img src=x onerror="window.__pwned='escalation'"><b>bold?</b>`
		adhoc      = `<img src=x onerror="window.__pwned='adhoc'"> **ad-hoc**`
		subject    = `<img src=x onerror="window.__pwned='subject'">`
	)

	console := b.tab("console")
	openConsole(t, console, s, x.FacilitatorToken)
	do(t, console, "start the exercise", chromedp.WaitEnabled(css("#cmd-start")), chromedp.Click(css("#cmd-start")))
	waitFor(t, console, "the hostile inject is delivered", `document.querySelectorAll('#log li[data-kind=inject_delivered]').length === 1`)

	alpha := b.tab("alpha")
	join(t, alpha, s, x.Teams["alpha"], name)
	bravo := b.tab("bravo")
	join(t, bravo, s, x.Teams["bravo"], "Ben")

	waitFor(t, alpha, "the hostile inject shows", `document.querySelector('#feed li[data-kind=inject_delivered]') !== null`)
	// The subject and the sender are text: shown literally.
	assert.Contains(t, feedText(t, alpha), subject)
	assert.Contains(t, feedText(t, alpha), `<script>window.__pwned='from'</script>`)
	assert.Equal(t, name, eval[string](t, alpha, `document.querySelector('#me').textContent`))

	do(t, alpha, "write a note",
		chromedp.SendKeys(css("#note-text"), note),
		chromedp.Click(css("#note button[type=submit]")),
	)
	waitFor(t, alpha, "the note is in the feed", `document.querySelector('#feed li[data-kind=note] .note-text') !== null`)
	assert.Equal(t, note, eval[string](t, alpha, `document.querySelector('#feed li[data-kind=note] .note-text').textContent`))

	do(t, alpha, "escalate to bravo",
		chromedp.SetValue(css("#escalate-to"), "bravo"),
		chromedp.SendKeys(css("#escalate-text"), escalation),
		chromedp.Click(css("#escalate button[type=submit]")),
	)
	waitFor(t, bravo, "bravo gets the escalation", `document.querySelector('#feed li[data-kind=escalation] .esc-text') !== null`)
	assert.Equal(t, escalation, eval[string](t, bravo, `document.querySelector('#feed li[data-kind=escalation] .esc-text').textContent`))
	assert.Contains(t, eval[string](t, bravo, `document.querySelector('#feed li[data-kind=escalation] .esc-head').textContent`), name)

	do(t, console, "send an ad-hoc inject",
		chromedp.Click(css(`#adhoc-teams input[value="bravo"]`)),
		chromedp.SetValue(css("#adhoc-channel"), "chat"),
		chromedp.SendKeys(css("#adhoc-from"), `<svg onload="window.__pwned='adhoc-from'">`),
		chromedp.SendKeys(css("#adhoc-subject"), subject),
		chromedp.SendKeys(css("#adhoc-body"), adhoc),
		chromedp.Click(css("#adhoc button[type=submit]")),
		chromedp.WaitVisible(css("#adhoc-status.ok")),
	)
	waitFor(t, bravo, "bravo gets the ad-hoc inject", `document.querySelectorAll('#feed li[data-kind=inject_delivered]').length === 2`)
	assert.Equal(t, "ad-hoc", eval[string](t, bravo, `document.querySelector('#feed .ch-chat .body strong').textContent`),
		"the ad-hoc body's Markdown is rendered")

	do(t, console, "record an observation",
		chromedp.SendKeys(css("#obs-text"), note),
		chromedp.SendKeys(css("#obs-capability"), name),
		chromedp.Click(css("#rate-S")),
		chromedp.Click(css("#observation button[type=submit]")),
		chromedp.WaitVisible(css("#obs-status.ok")),
	)
	waitFor(t, console, "the console logs the escalation, the note and the observation",
		`['escalation', 'note', 'observation'].every((k) => document.querySelector('#log li[data-kind=' + k + ']'))`)
	assert.Contains(t, eval[string](t, console, `document.querySelector('#log').textContent`), escalation)

	screenshot(t, bravo, "payloads-play", 1280, 900)
	screenshot(t, console, "payloads-console", 1280, 900)
	for tabName, tab := range map[string]context.Context{"alpha": alpha, "bravo": bravo, "console": console} {
		assert.True(t, eval[bool](t, tab, `typeof window.__pwned === 'undefined'`),
			"a payload ran in %s's page: window.__pwned = %s", tabName, eval[string](t, tab, `String(window.__pwned)`))
		// Independent of the Content-Security-Policy: nothing hostile reached the DOM at all.
		assert.Zero(t, eval[int](t, tab, `document.querySelectorAll('main script, [onerror], [onload], a[href^="javascript:" i]').length`),
			"%s's page holds a script, an event handler or a javascript: link", tabName)
	}
}

// slicesCompactSorted returns the distinct values of s.
func slicesCompactSorted(s []int) []int {
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}
