package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

// withDrillV2 gives the drill v2 fields, set on the loaded structs: a question and
// controllers' notes on alpha's first inject; the paper decision decided by bravo only, its
// options in an order that is not alphabetical, with a due and a default; a module at the
// start with a question.
func withDrillV2(lib *scenarios.Set) {
	for _, in := range lib.Scenarios["drill"].Injects {
		switch in.Name {
		case "alpha-first":
			in.Questions = []scenarios.Question{{ID: "inject.alpha-first.1", Text: "Which hosts are affected?"}}
			in.Notes = "Controllers: the EDR vendor is on site"
		case "both-second":
			in.Questions = []scenarios.Question{{ID: "inject.both-second.1", Text: "What do the wards need first?"}}
			d := in.Decision
			d.Options = []scenarios.Option{{Key: "wait", Label: "Wait an hour"}, {Key: "paper", Label: "Go to paper now"}, {Key: "hybrid", Label: "Paper on the wards only"}}
			d.DecidedBy = []string{"bravo"}
			d.Due = 30 * time.Minute
			d.Default = "wait"
		}
	}
	lib.Scenarios["drill"].Modules = []*scenarios.Module{{Name: "first", Title: "First hour", At: 0,
		Questions: []scenarios.Question{{ID: "module.first.1", Text: "Who leads the response?"}}}}
}

// TestBrowserModulesAndDefaults: a module's start shows it with its questions, which the team
// answers and sees again after a reload; a decision's default shows as "no answer in time"
// on the deciding team's page.
func TestBrowserModulesAndDefaults(t *testing.T) {
	s := startBrowserServer(t, withEdit(withDrillV2))
	x := mustCreateExerciseIn(t, s, "drill", "evaluation")
	base := "/api/exercises/" + x.ID
	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/start", nil, nil)
	b := mustBrowser(t)

	bravo := b.tab("bravo")
	join(t, bravo, s, x.Teams["bravo"], "Bo Bravo")
	waitFor(t, bravo, "bravo sees its first inject", feedHas("inject_delivered", "radio calls"))
	waitFor(t, bravo, "the module shows", `!document.querySelector('#module-box').hidden && document.querySelector('#module-title').textContent === 'Module: First hour'`)
	do(t, bravo, "answer the module's question",
		chromedp.SetValue(css(`#module-box .question[data-question="module.first.1"] textarea`), "The duty manager"),
		chromedp.Click(css(`#module-box .question[data-question="module.first.1"] button[type=submit]`)))
	waitFor(t, bravo, "the answer shows under the question", `document.querySelector('#module-box .answers').textContent.includes('The duty manager')`)
	waitFor(t, bravo, "the answer shows in the feed", feedHas("answer_recorded", "The duty manager"))

	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/advance", nil, nil) // T+30m: the decision
	waitFor(t, bravo, "bravo sees the decision", `document.querySelector('form.decision[data-decision="go_paper"] button[type=submit]') !== null`)
	assert.Contains(t, eval[string](t, bravo, `document.querySelector('form.decision[data-decision="go_paper"]').innerText`), "With no answer in time, Wait an hour is recorded.")
	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/advance", nil, nil) // T+1h: the decision's due
	waitFor(t, bravo, "the default shows on the form", `document.querySelector('form.decision[data-decision="go_paper"] .status').textContent === 'No answer in time: recorded as Wait an hour.'`)
	waitFor(t, bravo, "and in the feed", feedHas("decision_defaulted", "recorded as Wait an hour"))
	assert.True(t, eval[bool](t, bravo, `document.querySelector('form.decision[data-decision="go_paper"] button[type=submit]').disabled`), "no answer after the default")
	waitFor(t, bravo, "no due on bravo's page", noDue)

	do(t, bravo, "reload", chromedp.Reload(), chromedp.WaitVisible(css("#conn.ok")))
	waitFor(t, bravo, "the module's answer is back under its question", `document.querySelector('#module-box .answers').textContent.includes('The duty manager')`)
	waitFor(t, bravo, "the default is back on the form", `document.querySelector('form.decision[data-decision="go_paper"] .status').textContent === 'No answer in time: recorded as Wait an hour.'`)
	waitFor(t, bravo, "the inject's question is there", `document.querySelector('.question[data-question="inject.both-second.1"]') !== null`)
}

// noDue is a predicate: nothing in the page says "due" (due, due by, now due, overdue): not
// its text as read (innerText), nor its hidden text (textContent), nor a class.
const noDue = `!/due/i.test(document.body.innerText) && !/due/i.test(document.body.textContent) &&
	document.querySelectorAll('[class*="due" i]').length === 0`

// optionLabels returns the labels of the decision's options on the page, in page order.
func optionLabels(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `Array.from(document.querySelectorAll('form.decision[data-decision="go_paper"] .option label'), (l) => l.textContent)`)
}

// TestBrowserEvaluationMode plays the drill in evaluation mode: alpha's page never says "due"
// while alpha has triggered actions; the plan reads as alpha's own with the time it allows;
// alpha answers a question, reloads, answers again and sees both; the decision shows its
// options as written, read-only for alpha, with the time left for bravo, who decides; after
// the end alpha sends the feedback form once; after the close both pages say it is closed. The
// console shows the mode, the answers, mark played and the close.
func TestBrowserEvaluationMode(t *testing.T) {
	s := startBrowserServer(t, withEdit(withDrillV2))
	x := mustCreateExerciseIn(t, s, "drill", "evaluation")
	base := "/api/exercises/" + x.ID
	b := mustBrowser(t)

	console := b.tab("console")
	openConsole(t, console, s, x.FacilitatorToken)
	waitFor(t, console, "the console shows the mode", `document.querySelector('#mode').textContent === 'Evaluation mode'`)
	do(t, console, "start the exercise", chromedp.WaitEnabled(css("#cmd-start")), chromedp.Click(css("#cmd-start")))
	waitFor(t, console, "the console shows the controllers' notes", `document.querySelector('#log .notes') !== null && document.querySelector('#log .notes').textContent.includes('EDR vendor')`)

	var ex struct {
		Progress map[string][]map[string]any `json:"progress"`
	}
	mustAPI(t, s, x.FacilitatorToken, http.MethodGet, base, nil, &ex)
	require.NotEmpty(t, ex.Progress["alpha"], "alpha has triggered actions, which its page must not show")

	alpha := b.tab("alpha")
	join(t, alpha, s, x.Teams["alpha"], "Ann Alpha")
	waitFor(t, alpha, "alpha sees its first inject", feedHas("inject_delivered", "strange screens"))
	waitFor(t, alpha, "alpha's page says evaluation", `document.querySelector('#mode').textContent === 'Evaluation'`)
	waitFor(t, alpha, "no due on alpha's page", noDue)
	assert.Contains(t, eval[string](t, alpha, `document.querySelector('#action-contain').innerText`), "Alpha Team · containment · within 1 h", "the plan's owner, phase and time allowed")
	assert.Empty(t, eval[string](t, alpha, `Array.from(document.querySelectorAll('.plan-action')).map((li) => li.className).join(' ').match(/due/g) || ''`), "no due class either")
	assert.Contains(t, eval[string](t, alpha, `document.querySelector('#records').innerText`), "Nothing recorded yet")

	answer := func(text string) {
		t.Helper()
		do(t, alpha, "answer "+text,
			chromedp.SetValue(css(`.question[data-question="inject.alpha-first.1"] textarea`), text),
			chromedp.Click(css(`.question[data-question="inject.alpha-first.1"] button[type=submit]`)))
		waitFor(t, alpha, "the answer "+text+" is shown", `Array.from(document.querySelectorAll('.question[data-question="inject.alpha-first.1"] .answers li')).some((li) => li.textContent.includes(`+strconv.Quote(text)+`))`)
	}
	answer("The two ward PCs")
	waitFor(t, console, "the console shows the answer", `document.querySelector('#answers').textContent.includes('The two ward PCs')`)
	do(t, alpha, "reload", chromedp.Reload(), chromedp.WaitVisible(css("#conn.ok")))
	waitFor(t, alpha, "the answer is back after the reload", `document.querySelectorAll('.question[data-question="inject.alpha-first.1"] .answers li').length === 1`)
	answer("And the lab server")
	assert.Equal(t, []string{"The two ward PCs", "And the lab server"},
		eval[[]string](t, alpha, `Array.from(document.querySelectorAll('.question[data-question="inject.alpha-first.1"] .answers .answer-text'), (s) => s.textContent)`))

	do(t, alpha, "record containing the hosts", chromedp.Click(css(`#action-contain button`)))
	waitFor(t, alpha, "the record shows with its time", `document.querySelector('#records').innerText.includes('Contain the affected hosts') && document.querySelector('#records').innerText.includes('T+0:00:00')`)
	waitFor(t, alpha, "still no due on alpha's page", noDue)

	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/advance", nil, nil) // T+30m: the decision
	waitFor(t, alpha, "alpha sees the decision", `document.querySelector('form.decision[data-decision="go_paper"]') !== null`)
	want := []string{"Wait an hour", "Go to paper now", "Paper on the wards only"}
	assert.Equal(t, want, optionLabels(t, alpha), "the options in the order written")
	assert.True(t, eval[bool](t, alpha, `document.querySelector('form.decision[data-decision="go_paper"] fieldset').disabled`), "read-only for alpha")
	assert.Contains(t, eval[string](t, alpha, `document.querySelector('form.decision[data-decision="go_paper"]').innerText`), "Decided by Bravo Team")
	assert.False(t, eval[bool](t, alpha, `document.querySelector('form.decision[data-decision="go_paper"] button[type=submit]') !== null`), "alpha has no button to answer")
	waitFor(t, alpha, "no due on alpha's page with the decision", noDue)
	screenshot(t, alpha, "play-evaluation-1366", 1366, 900)
	screenshot(t, alpha, "play-evaluation-390", 390, 844)
	do(t, alpha, "back to the desktop size", chromedp.EmulateViewport(1280, 900))

	bravo := b.tab("bravo")
	join(t, bravo, s, x.Teams["bravo"], "Bo Bravo")
	waitFor(t, bravo, "bravo sees the decision", `document.querySelector('form.decision[data-decision="go_paper"] button[type=submit]') !== null`)
	assert.Equal(t, want, optionLabels(t, bravo), "the options in the order written")
	text := eval[string](t, bravo, `document.querySelector('form.decision[data-decision="go_paper"]').innerText`)
	assert.Contains(t, text, "Answer within 30 min")
	assert.Regexp(t, `\((30 min|29 min \d+ s) left\)`, text, "the time left, to the second")
	waitFor(t, bravo, "no due on bravo's page", noDue)
	do(t, bravo, "bravo goes to paper",
		chromedp.Click(css(`form.decision[data-decision="go_paper"] input[value="paper"]`)),
		chromedp.Click(css(`form.decision[data-decision="go_paper"] button[type=submit]`)))
	waitFor(t, bravo, "bravo's answer is recorded", `document.querySelector('form.decision[data-decision="go_paper"] .status').textContent.includes('Answered: Go to paper now')`)

	do(t, console, "mark alpha played", chromedp.Click(css(`button.mark-played[data-team="alpha"]`)))
	waitFor(t, console, "alpha shows played", `document.querySelector('.team-progress[data-team="alpha"] .played-badge') !== null`)

	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/end", nil, nil)
	waitFor(t, alpha, "alpha is offered the feedback form", `!document.querySelector('#feedback-box').hidden`)
	do(t, alpha, "alpha fills the feedback form",
		chromedp.Click(css(`#fb-structured-4`)),
		chromedp.Click(css(`#fb-realistic-5`)),
		chromedp.Click(css(`#fb-decisions-3`)),
		chromedp.SetValue(css(`#fb-strengths`), "Realistic injects"),
		chromedp.Click(css(`#feedback button[type=submit]`)))
	waitFor(t, alpha, "the feedback is recorded", `!document.querySelector('#feedback-done').hidden && document.querySelector('#feedback').hidden`)
	waitFor(t, console, "the console logs the feedback", `document.querySelector('#log li[data-kind=feedback_recorded]') !== null`)
	do(t, alpha, "reload after sending", chromedp.Reload(), chromedp.WaitVisible(css("#conn.ok")))
	waitFor(t, alpha, "the form is not offered again", `document.querySelector('#feedback').hidden && !document.querySelector('#feedback-done').hidden`)

	waitFor(t, console, "the console offers the close", `!document.querySelector('#cmd-close').hidden`)
	do(t, console, "close the hot wash", chromedp.Click(css("#cmd-close")))
	waitFor(t, alpha, "alpha's page says it is closed", `!document.querySelector('#closed').hidden`)
	assert.True(t, eval[bool](t, alpha, `document.querySelector('.question[data-question="inject.alpha-first.1"] textarea').disabled`), "no more answers")
	waitFor(t, alpha, "no due on alpha's page at the close", noDue)
	waitFor(t, console, "the console says it is closed", `!document.querySelector('#closed').hidden && document.querySelector('#cmd-close').hidden`)
	screenshot(t, console, "console-closed-1366", 1366, 900)
	screenshot(t, alpha, "play-closed-390", 390, 844)
}

// TestBrowserLandingModeAndTeams: the landing page's create form takes the mode and the teams
// in play, sends them, and shows what the server made of them (or its sentence).
func TestBrowserLandingModeAndTeams(t *testing.T) {
	s := startBrowserServer(t)
	tab := mustBrowser(t).tab("landing")
	do(t, tab, "paste the admin token",
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(css("#token")),
		chromedp.SendKeys(css("#token"), s.admin),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css(`#scenarios button[data-scenario="drill"]`)))
	assert.True(t, eval[bool](t, tab, `document.querySelector('#mode-evaluation').checked`), "evaluation by default")
	assert.Equal(t, "Teams in play: all 2", eval[string](t, tab, `document.querySelector('.team-chooser[data-scenario="drill"] summary').textContent`))

	do(t, tab, "untick every team",
		chromedp.Click(css(`.team-chooser[data-scenario="drill"] summary`)),
		chromedp.Click(css(`#play-drill-alpha`)),
		chromedp.Click(css(`#play-drill-bravo`)),
		chromedp.Click(css(`#scenarios button[data-scenario="drill"]`)),
		chromedp.WaitVisible(css("#run-status.error")))
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#run-status').textContent`), "teams: name at least one team")

	do(t, tab, "a training exercise of alpha alone",
		chromedp.Click(css(`#play-drill-alpha`)),
		chromedp.Click(css(`#mode-training`)),
		chromedp.Click(css(`#scenarios button[data-scenario="drill"]`)),
		chromedp.WaitVisible(css("#created .secret.code")))
	assert.Equal(t, 1, eval[int](t, tab, `document.querySelectorAll('#created .secret.code').length`), "a join code for alpha only")
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#created-title').textContent`), "(training mode)")
	var list []struct {
		Mode string `json:"mode"`
	}
	mustAPI(t, s, s.admin, http.MethodGet, "/api/exercises", nil, &list)
	require.Len(t, list, 1)
	assert.Equal(t, "training", list[0].Mode)
}
