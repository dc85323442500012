package web_test

// Hostile text in the plan and the scenario themselves: team, severity and action titles,
// the scenario's title, a decision's prompt and option labels, and the subject of an inject
// still to come, as the participant page and the facilitator console show them, before and
// after a reload. TestBrowserPayloadsAreInert covers what people type during the exercise.

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
)

// Each payload sets window.__pwned to where it came from, should it ever run.
const evilPlan = `
plan "evil-plan" {
  title   = "<img src=x onerror=\"window.__pwned='plan-title'\">"
  version = "<script>window.__pwned='version'</script>"

  team "alpha" {
    title = "<img src=x onerror=\"window.__pwned='team-alpha'\">Alpha"
    tier  = 2
  }
  team "bravo" {
    title = "<svg onload=\"window.__pwned='team-bravo'\"></svg>Bravo"
    tier  = 4
  }

  severity "low" {
    level = 1
    title = "<b onmouseover=\"window.__pwned='sev-low'\">Low</b>"
  }
  severity "high" {
    level = 2
    title = "<iframe src=\"javascript:window.__pwned='sev-high'\"></iframe>High"
  }

  action "contain" {
    title      = "<img src=x onerror=\"window.__pwned='action'\">Contain"
    owner      = team.alpha
    phase      = "containment"
    capability = "containment"
    due        = "1h"
  }
  action "warn_bravo" {
    title       = "<a href=\"javascript:window.__pwned='warn'\">Warn</a> Bravo"
    owner       = team.alpha
    phase       = "detection"
    capability  = "escalation"
    due         = "30m"
    escalate_to = team.bravo
  }
}
`

const evilScenario = `
scenario "evil" {
  title    = "<img src=x onerror=\"window.__pwned='scenario-title'\">Evil"
  summary  = "<script>window.__pwned='summary'</script>"
  plan     = "evil-plan"
  duration = "4h"

  inject "first" {
    at       = "0s"
    to       = [team.alpha, team.bravo]
    channel  = "email"
    from     = "<img src=x onerror=\"window.__pwned='from'\">"
    subject  = "First"
    body     = "<style>body{display:none}</style><form action=\"javascript:window.__pwned='form'\"><button>go</button></form>"
    severity = severity.high
    triggers = [action.contain, action.warn_bravo]

    decision "which" {
      prompt = "<img src=x onerror=\"window.__pwned='prompt'\">Which way?"
      options = {
        left  = "<img src=x onerror=\"window.__pwned='option'\">Left"
        right = "<script>window.__pwned='option-script'</script>Right"
      }
      expected = "left"
    }
  }

  inject "later" {
    at      = "1h"
    to      = [team.bravo]
    channel = "news"
    subject = "<img src=x onerror=\"window.__pwned='upcoming'\">Later"
  }
}
`

// assertInert checks a page: no payload ran, and nothing hostile reached the DOM.
func assertInert(t *testing.T, name string, tab context.Context) {
	t.Helper()
	assert.True(t, eval[bool](t, tab, `typeof window.__pwned === 'undefined'`),
		"a payload ran in %s: window.__pwned = %s", name, eval[string](t, tab, `String(window.__pwned)`))
	assert.Zero(t, eval[int](t, tab, `document.querySelectorAll('main script, main style, main iframe, main form[action], main svg, [onerror], [onload], [onmouseover], a[href^="javascript:" i]').length`),
		"%s holds a script, a style, a frame, a form, an event handler or a javascript: link", name)
	assert.True(t, eval[bool](t, tab, `getComputedStyle(document.body).display !== 'none'`), "%s: a style from the body applied", name)
}

func TestBrowserPlanPayloadsAreInert(t *testing.T) {
	s := startBrowserServer(t, withLibrary(map[string]string{"plan.hcl": evilPlan, "evil.hcl": evilScenario}))
	x := mustCreateExercise(t, s, "evil")
	b := mustBrowser(t)

	console := b.tab("console")
	openConsole(t, console, s, x.FacilitatorToken)
	do(t, console, "start the exercise", chromedp.WaitEnabled(css("#cmd-start")), chromedp.Click(css("#cmd-start")))
	waitFor(t, console, "the console lists the inject to come",
		`document.querySelector('#upcoming tr[data-inject="later"]') !== null`)
	waitFor(t, console, "the console shows the progress of alpha's actions",
		`document.querySelectorAll('#progress [data-action]').length === 2`)
	// Shown as text, literally: not dropped, not parsed.
	consoleText := eval[string](t, console, `document.body.textContent`)
	assert.Contains(t, consoleText, `<img src=x onerror="window.__pwned='upcoming'">Later`)
	assert.Contains(t, consoleText, `<img src=x onerror="window.__pwned='action'">Contain`)

	alpha := b.tab("alpha")
	join(t, alpha, s, x.Teams["alpha"], "Ann")
	waitFor(t, alpha, "alpha sees the first inject and its decision",
		`document.querySelector('#feed form.decision') !== null`)
	alphaText := eval[string](t, alpha, `document.body.textContent`)
	for _, want := range []string{
		`<img src=x onerror="window.__pwned='prompt'">Which way?`,
		`<img src=x onerror="window.__pwned='option'">Left`,
		`<script>window.__pwned='option-script'</script>Right`,
		`<img src=x onerror="window.__pwned='action'">Contain`,
		`<img src=x onerror="window.__pwned='scenario-title'">Evil`,
		`<iframe src="javascript:window.__pwned='sev-high'"></iframe>High`,
	} {
		assert.Contains(t, alphaText, want)
	}
	assert.Contains(t, eval[string](t, alpha, `Array.from(document.querySelectorAll('select option'), (o) => o.textContent).join('|')`),
		`<svg onload="window.__pwned='team-bravo'"></svg>Bravo`, "team titles are text in the escalation form")

	// After a reload the page rebuilds from the replay: still inert.
	do(t, alpha, "reload", chromedp.Reload(), chromedp.WaitVisible(css("#conn.ok")))
	waitFor(t, alpha, "the decision is back after the reload", `document.querySelector('#feed form.decision') !== null`)
	do(t, console, "reload the console", chromedp.Reload(), chromedp.WaitVisible(css("#conn.ok")))
	waitFor(t, console, "the console lists the inject to come after the reload",
		`document.querySelector('#upcoming tr[data-inject="later"]') !== null`)

	for name, tab := range map[string]context.Context{"alpha": alpha, "console": console} {
		assertInert(t, name, tab)
	}
}
