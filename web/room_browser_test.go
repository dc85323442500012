package web_test

// Browser tests of the facilitator's room (issue 14): presence in the team grid, the join
// handout and its QR codes, the admin's consoles, what just happened on the participant page,
// the MSEL tab, the restart banner, disabled controls, and phones.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/jonboulle/clockwork"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/engine/sqlite"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web"
)

// roomScenario is the drill with an inject that waits on a condition that never holds, so
// that the MSEL tab has an inject of every state.
const roomScenario = `
scenario "room" {
  title    = "Room drill"
  summary  = "Two teams, a decision with a due, an inject that is skipped."
  plan     = "drill-plan"
  duration = "2h"

  inject "alpha-first" {
    at       = "0s"
    to       = [team.alpha]
    channel  = "email"
    from     = "Alpha desk"
    subject  = "Alpha only: strange screens"
    body     = "Two **workstations** show a red screen."
    triggers = [action.contain]
    notes    = "Expect them to isolate within the hour."
  }

  inject "bravo-first" {
    at      = "0s"
    to      = [team.bravo]
    channel = "news"
    subject = "Bravo only: the radio calls"
  }

  inject "both-second" {
    at      = "30m"
    to      = [team.alpha, team.bravo]
    channel = "ticket"
    subject = "Both: it is spreading"

    decision "go_paper" {
      prompt = "Do we go to paper?"
      options = {
        paper = "Go to paper now"
        wait  = "Wait an hour"
      }
      expected = "paper"
      due      = "10m"
      default  = "wait"
    }
  }

  inject "only-if-waited" {
    at      = "45m"
    to      = [team.alpha]
    channel = "chat"
    subject = "The wait went badly"
    when    = decision.go_paper.choice == "wait"
  }

  inject "late-call" {
    at      = "1h30m"
    to      = [team.bravo]
    channel = "phone"
    subject = "The regulator calls"
  }
}
`

// roomServer is the real server over an SQLite file that a test can restart: a new manager
// and server over the same file, behind the same address, as a process restart would be.
type roomServer struct {
	*browserServer
	t      *testing.T
	lib    *scenarios.Set
	dbPath string
	clock  *clockwork.FakeClock

	mu    sync.Mutex
	m     *facilitator.Manager
	srv   *web.Server
	store *sqlite.Store
}

func startRoomServer(t *testing.T, files map[string]string) *roomServer {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	lib, diags := scenarios.LoadFS(fsys)
	require.False(t, diags.HasErrors(), "test scenarios: %s", diags.Error())
	rs := &roomServer{t: t, lib: lib, dbPath: filepath.Join(t.TempDir(), "ttx.db"), clock: clockwork.NewFakeClock()}
	admin := "admin-" + rand.Text()
	rs.up(admin)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.mu.Lock()
		srv := rs.srv
		rs.mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(rs.down)
	rs.browserServer = &browserServer{URL: ts.URL, admin: admin}
	return rs
}

// up opens the store and serves it with a new manager, which restores what was stored.
func (rs *roomServer) up(admin string) {
	rs.t.Helper()
	store, err := sqlite.Open(rs.dbPath)
	require.NoError(rs.t, err)
	m := facilitator.NewManager(store, rs.lib, rs.clock, rand.Reader, facilitator.WithAdminToken(admin))
	require.NoError(rs.t, m.Restore(context.Background()))
	srv := web.NewServer(web.Config{Manager: m, Logger: slog.New(slog.DiscardHandler)})
	rs.mu.Lock()
	rs.m, rs.srv, rs.store = m, srv, store
	rs.mu.Unlock()
}

// down stops the server as a crash would: no pause is logged.
func (rs *roomServer) down() {
	rs.mu.Lock()
	srv, m, store := rs.srv, rs.m, rs.store
	rs.mu.Unlock()
	if srv == nil {
		return
	}
	srv.Close()
	m.Close()
	_ = store.Close()
}

// restart stops the server without pausing anything and starts a new one over the same file.
func (rs *roomServer) restart() {
	rs.t.Helper()
	rs.down()
	rs.up(rs.admin)
}

// roomDetail is the part of GET /api/exercises/:id these tests read.
type roomDetail struct {
	Status      string `json:"status"`
	PauseReason string `json:"pause_reason"`
	SimTime     string `json:"sim_time"`
	Room        []struct {
		Team   string `json:"team"`
		People []struct {
			Name         string `json:"name"`
			LastActivity string `json:"last_activity"`
		} `json:"people"`
		OpenDecisions []string `json:"open_decisions"`
		Overdue       int      `json:"overdue"`
		Late          int      `json:"late"`
	} `json:"room"`
}

func mustDetail(t *testing.T, s *browserServer, token, id string) roomDetail {
	t.Helper()
	var d roomDetail
	mustAPI(t, s, token, http.MethodGet, "/api/exercises/"+id, nil, &d)
	return d
}

func peopleOf(d roomDetail, team string) []string {
	var names []string
	for _, r := range d.Room {
		if r.Team == team {
			for _, p := range r.People {
				names = append(names, p.Name)
			}
		}
	}
	return names
}

func createIn(t *testing.T, s *browserServer, scenario string, speed float64) created {
	t.Helper()
	var out created
	mustAPI(t, s, s.admin, http.MethodPost, "/api/exercises", map[string]any{"scenario": scenario, "speed": speed}, &out)
	require.NotEmpty(t, out.ID)
	return out
}

func roomFiles() map[string]string {
	return map[string]string{"plan.hcl": drillPlan, "drill.hcl": drillScenario, "room.hcl": roomScenario}
}

// TestBrowserRoomPresence: the console's team grid shows a team nobody joined as empty, the
// people of a team as they connect with their last activity, and drops them when they leave;
// GET /api/exercises/:id carries the same.
func TestBrowserRoomPresence(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 60)
	b := mustBrowser(t)
	console := b.tab("console")
	openConsole(t, console, s.browserServer, x.FacilitatorToken)

	waitFor(t, console, "alpha shows as empty", `(() => {
		const t = document.querySelector('.team-progress[data-team="alpha"]');
		return t && t.classList.contains('empty') && t.textContent.includes('Nobody has joined this team.');
	})()`)
	assert.Empty(t, peopleOf(mustDetail(t, s.browserServer, x.FacilitatorToken, x.ID), "alpha"))

	alpha := b.tab("alpha")
	join(t, alpha, s.browserServer, x.Teams["alpha"], "Ann Example")
	waitFor(t, console, "Ann shows in alpha", `(() => {
		const t = document.querySelector('.team-progress[data-team="alpha"]');
		return t && t.classList.contains('present') && t.querySelector('.person[data-name="Ann Example"] .person-active') !== null
			&& t.querySelector('.people-count').textContent === '1 person here';
	})()`)
	assert.Contains(t, eval[string](t, console, `document.querySelector('.team-progress[data-team="alpha"] .person-active').textContent`), "active ")
	assert.True(t, eval[bool](t, console, `document.querySelector('.team-progress[data-team="bravo"]').classList.contains('empty')`), "bravo is still empty")
	d := mustDetail(t, s.browserServer, x.FacilitatorToken, x.ID)
	assert.Equal(t, []string{"Ann Example"}, peopleOf(d, "alpha"))
	for _, r := range d.Room {
		if r.Team == "alpha" {
			_, err := time.Parse(time.RFC3339, r.People[0].LastActivity)
			assert.NoError(t, err, "last_activity is a time")
		}
	}

	_, err := chromedp.Call(alpha, page.Close, cdp.Empty{})
	require.NoError(t, err, "Ann closes her tab")
	waitFor(t, console, "Ann is gone from alpha", `(() => {
		const t = document.querySelector('.team-progress[data-team="alpha"]');
		return t && t.classList.contains('empty') && t.textContent.includes('Nobody connected now.');
	})()`)
	assert.Empty(t, peopleOf(mustDetail(t, s.browserServer, x.FacilitatorToken, x.ID), "alpha"))
	screenshot(t, console, "room-console-1366", 1366, 900)
	screenshot(t, console, "room-console-390", 390, 844)
	axeCheck(t, console, "console")
}

// TestBrowserHandoutQRCodes: the handout shows each team's code and a QR code that decodes to
// the join URL, which opens the landing page with the code typed in.
func TestBrowserHandoutQRCodes(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 60)
	b := mustBrowser(t)
	tab := b.tab("handout")
	do(t, tab, "open the handout",
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(css("#token")),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`sessionStorage.setItem("ttx.tokens.%s", JSON.stringify({facilitator: %q}))`, x.ID, x.FacilitatorToken)),
		chromedp.Navigate(s.URL+"/handout?exercise="+x.ID),
		chromedp.WaitVisible(css(".handout-card img.qr")),
	)
	assert.Equal(t, s.URL+"/", eval[string](t, tab, `document.querySelector('#join-page').textContent`))
	for team, code := range x.Teams {
		sel := fmt.Sprintf(`.handout-card[data-team=%q]`, team)
		assert.Equal(t, code, eval[string](t, tab, `document.querySelector('`+sel+` .card-code code').textContent`))
		src := eval[string](t, tab, `document.querySelector('`+sel+` img.qr').src`)
		require.True(t, strings.HasPrefix(src, "data:image/png;base64,"), "the QR code is a PNG: %.40s", src)
		want := s.URL + "/#join=" + code
		assert.Equal(t, want, decodeQR(t, strings.TrimPrefix(src, "data:image/png;base64,")), "%s's QR code holds its join URL", team)
		assert.Equal(t, want, eval[string](t, tab, `document.querySelector('`+sel+` .card-url').textContent`))
		assert.True(t, eval[bool](t, tab, `document.querySelector('`+sel+` img.qr').naturalWidth > 0`), "the image renders")
	}
	screenshot(t, tab, "room-handout-1366", 1366, 900)
	screenshot(t, tab, "room-handout-390", 390, 844)
	assertNoSidewaysScroll(t, tab, "the handout at 390 px")
	axeCheck(t, tab, "handout")

	// The facilitator token reads the codes again; a participant's code does not.
	var codes struct {
		Teams []struct{ Team, Code string } `json:"teams"`
	}
	mustAPI(t, s.browserServer, s.admin, http.MethodGet, "/api/exercises/"+x.ID+"/codes", nil, &codes)
	assert.Len(t, codes.Teams, len(x.Teams), "the admin reads them too")

	// Scanning the code opens the landing page with the code filled in and gone from the bar.
	phone := b.tab("phone")
	do(t, phone, "open the join URL", chromedp.Navigate(s.URL+"/#join="+x.Teams["alpha"]), chromedp.WaitVisible(css("#join-name")))
	assert.Equal(t, x.Teams["alpha"], eval[string](t, phone, `document.querySelector('#join-code').value`))
	assert.Equal(t, "", eval[string](t, phone, `location.hash`), "the code leaves the address bar")
	do(t, phone, "type a name and join",
		chromedp.SendKeys(css("#join-name"), "Scanner"),
		chromedp.Click(css("#join button[type=submit]")),
		chromedp.WaitVisible(css("#conn.ok")))
}

// decodeQR reads the text of a base64 PNG QR code.
func decodeQR(t *testing.T, b64 string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(raw))
	require.NoError(t, err)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	require.NoError(t, err, "decode the QR code")
	return res.GetText()
}

// TestBrowserAdminRunsConsolesFromTheList: the admin creates two exercises in one tab, neither
// overwrites the other's tokens, and the admin opens and runs either's console from the list.
func TestBrowserAdminRunsConsolesFromTheList(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	b := mustBrowser(t)
	tab := b.tab("admin")
	do(t, tab, "sign in as admin",
		chromedp.Navigate(s.URL+"/"),
		chromedp.SendKeys(css("#token"), s.admin),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css(`#scenarios button[data-scenario="room"]`)),
		chromedp.SetValue(css("#speed"), "60"),
	)
	waitFor(t, tab, "the estimate of real time", `document.querySelector('.scenario .estimate').textContent.length > 0`)
	assert.Contains(t, eval[string](t, tab, `Array.from(document.querySelectorAll('.estimate'), (e) => e.textContent).join('|')`),
		"about 2 min of real time at 60×", "a 2 h scenario at 60× plays for 2 minutes")
	var ids []string
	createdID := `(document.querySelector('#open-console') ? new URL(document.querySelector('#open-console').href).searchParams.get('exercise') : '')`
	for i := 0; i < 2; i++ {
		before := eval[string](t, tab, createdID)
		do(t, tab, "create an exercise", chromedp.Click(css(`#scenarios button[data-scenario="room"]`)))
		waitFor(t, tab, "the new exercise", createdID+` !== '' && `+createdID+` !== '`+before+`'`)
		id := eval[string](t, tab, createdID)
		ids = append(ids, id)
		do(t, tab, "wait for the list", chromedp.WaitVisible(css(fmt.Sprintf(`#exercises li[data-exercise=%q] a.open-console`, id))))
	}
	require.NotEqual(t, ids[0], ids[1])
	for _, id := range ids {
		assert.True(t, eval[bool](t, tab, fmt.Sprintf(`!!JSON.parse(sessionStorage.getItem('ttx.tokens.%s')).facilitator`, id)), "the tab keeps %s's token", id)
	}
	// The admin's own console of the first, from the list, with the admin token.
	do(t, tab, "forget the facilitator tokens", chromedp.Evaluate[chromedp.Void](`Object.keys(sessionStorage).filter((k) => k.startsWith('ttx.tokens.')).forEach((k) => sessionStorage.removeItem(k)); sessionStorage.removeItem('ttx.facilitator')`))
	do(t, tab, "open the first console from the list",
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(css(fmt.Sprintf(`#exercises li[data-exercise=%q] a.open-console`, ids[0]))),
		chromedp.Click(css(fmt.Sprintf(`#exercises li[data-exercise=%q] a.open-console`, ids[0]))),
		chromedp.WaitVisible(css("#conn.ok")),
		chromedp.WaitEnabled(css("#cmd-start")),
		chromedp.Click(css("#cmd-start")),
	)
	waitFor(t, tab, "the admin started it", `document.querySelector('#status').textContent === 'running'`)
	assert.Equal(t, "running", mustDetail(t, s.browserServer, s.admin, ids[0]).Status)
	assert.NotEqual(t, "running", mustDetail(t, s.browserServer, s.admin, ids[1]).Status, "the other exercise is untouched")
	axeCheck(t, tab, "console as admin")
	do(t, tab, "back to the landing page", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(css("#exercises li[data-exercise]")))
	axeCheck(t, tab, "landing as admin")

	// A facilitator lost the second exercise's token: the admin replaces it from the list.
	var before created
	for _, id := range ids[1:] {
		replace := css(fmt.Sprintf(`#exercises li[data-exercise=%q] button.replace-token`, id))
		do(t, tab, "replace the facilitator token", chromedp.Click(replace), chromedp.Click(replace),
			chromedp.WaitVisible(css(fmt.Sprintf(`.replaced[data-exercise=%q] .secret-value`, id))))
		fresh := eval[string](t, tab, fmt.Sprintf(`document.querySelector('.replaced[data-exercise=%q] .secret-value').textContent`, id))
		assert.Equal(t, id, mustWhoami(t, s.browserServer, fresh), "the new token runs %s", id)
		before.ID = id
	}
	require.NotEmpty(t, before.ID)
}

// mustWhoami returns the exercise a facilitator token runs.
func mustWhoami(t *testing.T, s *browserServer, token string) string {
	t.Helper()
	var who struct{ Role, Exercise string }
	mustAPI(t, s, token, http.MethodGet, "/api/whoami", nil, &who)
	require.Equal(t, "facilitator", who.Role)
	return who.Exercise
}

// TestBrowserUnreadCountdownAndChip: live events arrive unread and count in the tab's title
// until seen; a decision with a due counts down to the second, with a sticky chip while open.
func TestBrowserUnreadCountdownAndChip(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 1)
	b := mustBrowser(t)
	alpha := b.tab("alpha")
	join(t, alpha, s.browserServer, x.Teams["alpha"], "Ann")
	waitFor(t, alpha, "the welcome's title", `document.title === 'ttx: Room drill'`)
	// The page is hidden: nothing it receives can be seen.
	do(t, alpha, "hide the page", chromedp.Evaluate[chromedp.Void](`Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'})`))
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/start", nil, nil)
	waitFor(t, alpha, "the inject arrives unread", feedHas("inject_delivered", "Alpha only")+` && document.querySelector('#feed li[data-kind="inject_delivered"]').classList.contains('unread')`)
	waitFor(t, alpha, "the title counts it", `/^\(\d+\) ttx: Room drill$/.test(document.title)`)
	assert.Equal(t, "new", eval[string](t, alpha, `document.querySelector('#feed li.unread .unread-mark').textContent`))

	do(t, alpha, "show the page", chromedp.Evaluate[chromedp.Void](`delete document.visibilityState; document.dispatchEvent(new Event('visibilitychange'))`))
	waitFor(t, alpha, "seen: nothing unread", `document.querySelectorAll('#feed .unread').length === 0 && document.title === 'ttx: Room drill'`)

	// The decision at 30m, due in 10m: the page counts down to the second.
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/advance", nil, nil)
	waitFor(t, alpha, "the decision arrives", `document.querySelector('form.decision.decides .decision-left') !== null`)
	waitFor(t, alpha, "the countdown", `/^\((\d+ min )?\d+ s left\)$|^\(\d+ min left\)$/.test(document.querySelector('form.decision .decision-left').textContent)`)
	left := eval[string](t, alpha, `document.querySelector('form.decision .decision-left').textContent`)
	assert.Regexp(t, `^\((10 min|9 min \d+ s)( left)?`, left)
	assert.True(t, eval[bool](t, alpha, `(() => { const r = document.querySelector("#decision-chip").getBoundingClientRect(); return r.width > 0 && r.top < 80; })()`), "the chip shows in the header while the decision is open")
	assert.Equal(t, "Decision needed", eval[string](t, alpha, `document.querySelector('#decision-chip').textContent`))
	assert.Equal(t, "sticky", eval[string](t, alpha, `getComputedStyle(document.querySelector('header.bar')).position`))
	screenshot(t, alpha, "room-play-1366", 1366, 900)
	screenshot(t, alpha, "room-play-390", 390, 844)
	axeCheck(t, alpha, "participant page")

	do(t, alpha, "answer the decision",
		chromedp.Click(css(`#decision-chip`)),
		chromedp.Click(css(`form.decision input[value="paper"]`)),
		chromedp.Click(css(`form.decision button[type=submit]`)))
	waitFor(t, alpha, "the chip goes", `document.querySelector('#decision-chip').hidden`)
}

// TestBrowserMSELTab: the console's MSEL tab lists every inject delivered, skipped, held,
// upcoming, then not reached, with its condition in words, expected actions, notes, preview.
func TestBrowserMSELTab(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 60)
	b := mustBrowser(t)
	console := b.tab("console")
	openConsole(t, console, s.browserServer, x.FacilitatorToken)
	call := func(path string, body any) {
		mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+path, body, nil)
	}
	call("/start", nil)
	call("/advance", nil) // 30m: both-second
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/injects/late-call/hold", map[string]any{"held": true}, nil)
	// On to 45m: the default of go_paper at 40m is wait, so only-if-waited is delivered.
	for i := 0; i < 3 && injectState(t, s.browserServer, x, "only-if-waited") == "upcoming"; i++ {
		call("/advance", nil)
	}

	do(t, console, "open the MSEL tab", chromedp.Click(css("#tab-msel")), chromedp.WaitVisible(css(`#msel-rows tr[data-inject="alpha-first"]`)))
	stateOf := func(name string) string {
		return eval[string](t, console, fmt.Sprintf(`(document.querySelector('#msel-rows tr[data-inject=%q]') || {dataset: {}}).dataset.state || ''`, name))
	}
	waitFor(t, console, "late-call shows held", `document.querySelector('#msel-rows tr[data-inject="late-call"]').dataset.state === 'held'`)
	assert.Equal(t, "delivered", stateOf("alpha-first"))
	assert.Equal(t, "delivered", stateOf("both-second"))
	row := func(name string) string {
		return eval[string](t, console, fmt.Sprintf(`document.querySelector('#msel-rows tr[data-inject=%q]').textContent`, name))
	}
	assert.Contains(t, row("alpha-first"), "delivered at T+0:00:00")
	assert.Contains(t, row("alpha-first"), "starts Contain the affected hosts")
	assert.Contains(t, row("alpha-first"), "Notes: Expect them to isolate within the hour.")
	assert.Contains(t, row("alpha-first"), "Two workstations show a red screen.", "a preview of the body")
	assert.Contains(t, row("only-if-waited"), `When: at T+0:45:00, only if decision go_paper was answered wait`, "the condition in words")
	assert.Contains(t, row("both-second"), "expected: Go to paper now")
	assert.Equal(t, "delivered", stateOf("only-if-waited"), "the default was wait")
	assert.Contains(t, row("late-call"), "due at T+1:30:00")
	waitFor(t, console, "late-call can be released", `!document.querySelector('#msel-rows tr[data-inject="late-call"] button.hold').disabled`)
	assert.Equal(t, "Release", eval[string](t, console, `document.querySelector('#msel-rows tr[data-inject="late-call"] button.hold').textContent`))
	screenshot(t, console, "room-msel-1366", 1366, 900)
	axeCheck(t, console, "console's MSEL tab")

	// The held call is rescheduled to 1:00:00; a time in the past is refused beside the form.
	resched := `#msel-rows tr[data-inject="late-call"] form.reschedule-form`
	do(t, console, "reschedule to the past",
		chromedp.SetValue(css(resched+" input"), "0:10"),
		chromedp.Click(css(resched+" button")),
		chromedp.WaitVisible(css(resched+" .cmd-status.error")))
	assert.Contains(t, eval[string](t, console, `document.querySelector('`+resched+` .cmd-status').textContent`), "outside the time left")
	do(t, console, "reschedule the call",
		chromedp.SetValue(css(resched+" input"), "1:00"),
		chromedp.Click(css(resched+" button")))
	waitFor(t, console, "the new due time", `document.querySelector('#msel-rows tr[data-inject="late-call"]').textContent.includes('due at T+1:00:00')`)
	waitFor(t, console, "the log says so", `Array.from(document.querySelectorAll('#log li[data-kind="inject_rescheduled"]')).some((li) => li.textContent.includes('late-call now due at T+1:00:00'))`)

	call("/end", nil)
	waitFor(t, console, "late-call is not reached", `document.querySelector('#msel-rows tr[data-inject="late-call"]').dataset.state === 'not_reached'`)
	assert.Contains(t, row("late-call"), "not reached")
}

// injectState is where inject name stands, from GET /api/exercises/:id/injects.
func injectState(t *testing.T, s *browserServer, x created, name string) string {
	t.Helper()
	var list []struct{ Name, State string }
	mustAPI(t, s, x.FacilitatorToken, http.MethodGet, "/api/exercises/"+x.ID+"/injects", nil, &list)
	for _, i := range list {
		if i.Name == name {
			return i.State
		}
	}
	return ""
}

// TestBrowserMSELSkippedInject: an inject whose condition fails shows as skipped with why.
func TestBrowserMSELSkippedInject(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 60)
	b := mustBrowser(t)
	alpha := b.tab("alpha")
	join(t, alpha, s.browserServer, x.Teams["alpha"], "Ann")
	console := b.tab("console")
	openConsole(t, console, s.browserServer, x.FacilitatorToken)
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/start", nil, nil)
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/advance", nil, nil)
	do(t, alpha, "alpha goes to paper",
		chromedp.WaitVisible(css(`form.decision input[value="paper"]`)),
		chromedp.Click(css(`form.decision input[value="paper"]`)),
		chromedp.Click(css(`form.decision button[type=submit]`)))
	waitFor(t, alpha, "the answer is recorded", `document.querySelector('form.decision').classList.contains('answered')`)
	for i := 0; i < 3 && injectState(t, s.browserServer, x, "only-if-waited") == "upcoming"; i++ {
		mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/advance", nil, nil)
	}
	do(t, console, "open the MSEL tab", chromedp.Click(css("#tab-msel")))
	waitFor(t, console, "only-if-waited is skipped", `(() => { const r = document.querySelector('#msel-rows tr[data-inject="only-if-waited"]'); return r && r.dataset.state === 'skipped'; })()`)
	assert.Contains(t, eval[string](t, console, `document.querySelector('#msel-rows tr[data-inject="only-if-waited"]').textContent`), "skipped at T+0:45:00")
}

// TestBrowserRestartBanner: after a restart the console says the server paused the exercise,
// at its simulated time, with a resume; participants read "paused: the server restarted";
// while a page is offline its clock freezes and says so.
func TestBrowserRestartBanner(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 60)
	b := mustBrowser(t)
	alpha := b.tab("alpha")
	installSocketSwitch(t, alpha)
	join(t, alpha, s.browserServer, x.Teams["alpha"], "Ann")
	console := b.tab("console")
	openConsole(t, console, s.browserServer, x.FacilitatorToken)
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/start", nil, nil)
	s.clock.Advance(4 * time.Second) // T+0:04:00 at 60×
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/injects", map[string]any{"to": []string{"alpha"}, "channel": "chat", "subject": "A mark at four minutes"}, nil)
	waitFor(t, alpha, "the mark arrives", feedHas("inject_delivered", "A mark at four minutes"))

	// Offline: the participant's clock freezes and says so.
	do(t, alpha, "cut the network", chromedp.Evaluate[chromedp.Void](`window.__ttxOffline = true; window.__ttxSockets.forEach((s) => s.close())`))
	waitFor(t, alpha, "the clock is frozen", `!document.querySelector('#clock-frozen').hidden && document.querySelector('#clock').classList.contains('frozen')`)
	frozen := eval[string](t, alpha, `document.querySelector('#clock').textContent`)
	s.restart()
	assert.Equal(t, frozen, eval[string](t, alpha, `document.querySelector('#clock').textContent`), "a frozen clock does not move")
	do(t, alpha, "the network is back", chromedp.Evaluate[chromedp.Void](`window.__ttxOffline = false; window.dispatchEvent(new Event('online'))`))

	d := mustDetail(t, s.browserServer, x.FacilitatorToken, x.ID)
	require.Equal(t, "paused", d.Status)
	assert.Equal(t, "server restarted", d.PauseReason)
	waitFor(t, console, "the restart banner", `!document.querySelector('#restart').hidden`)
	assert.Contains(t, eval[string](t, console, `document.querySelector('#restart').textContent`), "The server restarted; the exercise is paused at T+0:04:00.")
	waitFor(t, alpha, "the participant reads who paused", `document.querySelector('#status').textContent === 'paused: the server restarted' && document.querySelector('#clock-frozen').hidden`)
	assert.Contains(t, feedText(t, alpha), "Paused: the server restarted.")
	assert.NotContains(t, feedText(t, alpha), "The facilitator paused")
	screenshot(t, console, "room-restart-1366", 1366, 900)

	do(t, console, "resume from the banner", chromedp.Click(css("#restart-resume")))
	waitFor(t, console, "the banner goes", `document.querySelector('#restart').hidden && document.querySelector('#status').textContent === 'running'`)
}

// TestGracefulStopPausesAtTheCurrentTime: a graceful stop logs the pause at the simulated
// time of the stop, with the server's reason; the next start finds it paused there.
func TestGracefulStopPausesAtTheCurrentTime(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 60)
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/start", nil, nil)
	s.clock.Advance(5 * time.Second) // T+0:05:00, with no event since the start
	s.mu.Lock()
	m := s.m
	s.mu.Unlock()
	require.NoError(t, m.PauseForStop(context.Background()))
	s.restart()
	d := mustDetail(t, s.browserServer, x.FacilitatorToken, x.ID)
	assert.Equal(t, "paused", d.Status)
	assert.Equal(t, "server stopped", d.PauseReason)
	assert.Equal(t, "5m0s", d.SimTime, "no simulated time is lost")
}

// TestBrowserDisabledControlsSayWhy: the controls the status refuses are disabled with the
// reason as their tooltip, and a command's error shows beside its control.
func TestBrowserDisabledControlsSayWhy(t *testing.T) {
	s := startRoomServer(t, roomFiles())
	x := createIn(t, s.browserServer, "room", 60)
	b := mustBrowser(t)
	console := b.tab("console")
	openConsole(t, console, s.browserServer, x.FacilitatorToken)
	for id, why := range map[string]string{
		"#cmd-pause":   "The exercise has not started yet.",
		"#cmd-resume":  "The exercise has not started yet: start it.",
		"#cmd-advance": "The exercise has not started yet.",
	} {
		assert.True(t, eval[bool](t, console, `document.querySelector('`+id+`').disabled`), "%s is disabled", id)
		assert.Equal(t, why, eval[string](t, console, `document.querySelector('`+id+`').title`), "%s says why", id)
	}
	assert.Equal(t, "", eval[string](t, console, `document.querySelector('#cmd-start').title`))
	assert.True(t, eval[bool](t, console, `Array.from(document.querySelectorAll('#upcoming button.trigger')).every((b) => b.disabled && b.title === 'Start the exercise first.')`))

	do(t, console, "start", chromedp.Click(css("#cmd-start")))
	waitFor(t, console, "running", `document.querySelector('#status').textContent === 'running'`)
	assert.Equal(t, "The exercise has already started.", eval[string](t, console, `document.querySelector('#cmd-start').title`))
	assert.Equal(t, "The clock is already running.", eval[string](t, console, `document.querySelector('#cmd-resume').title`))

	do(t, console, "ask for a speed the server refuses",
		chromedp.SetValue(css("#speed"), "100000"),
		chromedp.Click(css("#speed-form button[type=submit]")),
		chromedp.WaitVisible(css("#speed-form .cmd-status.error")))
	assert.Contains(t, eval[string](t, console, `document.querySelector('#speed-form .cmd-status').textContent`), "speed: 100000 is out of range")
	assert.True(t, eval[bool](t, console, `document.querySelector('#api-status').hidden`), "not at the top of the page")
}

// longName and longTeam are long enough to break a phone's header that does not wrap or cut.
const (
	longName = "Maximiliane Alexandra Konstantinopoulou-Featherstonehaugh"
	longTeam = "Regional Emergency Operations and Business Continuity Coordination Centre Alpha"
)

// TestBrowserPhoneWidth: at 390 px the participant page and the console never pan sideways,
// whatever the team's and the person's names.
func TestBrowserPhoneWidth(t *testing.T) {
	files := roomFiles()
	files["plan.hcl"] = strings.Replace(drillPlan, `"Alpha Team"`, `"`+longTeam+`"`, 1)
	s := startRoomServer(t, files)
	x := createIn(t, s.browserServer, "room", 60)
	mustAPI(t, s.browserServer, x.FacilitatorToken, http.MethodPost, "/api/exercises/"+x.ID+"/start", nil, nil)
	b := mustBrowser(t)
	phone := b.tab("phone")
	do(t, phone, "a phone", chromedp.EmulateViewport(390, 844))
	join(t, phone, s.browserServer, x.Teams["alpha"], longName)
	waitFor(t, phone, "the inject", feedHas("inject_delivered", "Alpha only"))
	do(t, phone, "send a long note", chromedp.SendKeys(css("#note-text"), strings.Repeat("averyveryverylongwordwithoutspaces", 4)), chromedp.Click(css("#note button[type=submit]")))
	waitFor(t, phone, "the note is in the outbox", `document.querySelectorAll('#outbox li').length > 0`)
	assertNoSidewaysScroll(t, phone, "the participant page at 390 px")
	header := eval[float64](t, phone, `document.querySelector('header.bar').getBoundingClientRect().right`)
	assert.LessOrEqual(t, header, 390.0, "the header fits")
	assert.Equal(t, longTeam, eval[string](t, phone, `document.querySelector('#team').title`), "the whole name is in its tooltip")
	screenshot(t, phone, "room-play-long-390", 390, 844)

	console := b.tab("console")
	do(t, console, "a phone", chromedp.EmulateViewport(390, 844))
	openConsole(t, console, s.browserServer, x.FacilitatorToken)
	waitFor(t, console, "the person shows", `document.querySelector('.person[data-name]') !== null`)
	assertNoSidewaysScroll(t, console, "the console at 390 px")
	do(t, console, "a tablet", chromedp.EmulateViewport(768, 1024))
	assertNoSidewaysScroll(t, console, "the console on a tablet")
	screenshot(t, console, "room-console-tablet", 768, 1024)
}

// assertNoSidewaysScroll checks that nothing on the page is wider than the viewport.
func assertNoSidewaysScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	wide := eval[string](t, ctx, `(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return '';
		const out = [];
		for (const e of document.querySelectorAll('body *')) {
			const r = e.getBoundingClientRect();
			if (r.right > w + 1 && r.width > 0) out.push(e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + Math.round(r.right));
		}
		return 'scrollWidth ' + document.documentElement.scrollWidth + ' > ' + w + ': ' + out.slice(0, 8).join(', ');
	})()`)
	assert.Empty(t, wide, "%s pans sideways", what)
}
