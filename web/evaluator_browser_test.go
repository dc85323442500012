package web_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/web/wstest"
)

// withDrillHSEEP makes the drill an HSEEP exercise: two objectives over its capabilities, two
// modules with questions (the second at 30m, with the common inject), and controllers' notes
// on alpha's first inject.
func withDrillHSEEP(lib *scenarios.Set) {
	sc := lib.Scenarios["drill"]
	sc.Objectives = []*scenarios.Objective{
		{Name: "contain", Title: "Contain and warn within the plan's deadlines", Capabilities: []string{"containment", "escalation"}},
		{Name: "continue", Title: "Keep the wards running", Capabilities: []string{"continuity"}},
	}
	sc.Modules = []*scenarios.Module{
		{Name: "first", Title: "Module 1: first signs", At: 0, Questions: []scenarios.Question{{ID: "module.first.1", Text: "Who leads the response?"}}},
		{Name: "second", Title: "Module 2: it spreads", At: 30 * 60e9, Questions: []scenarios.Question{
			{ID: "module.second.1", Text: "What do you isolate first?"}, {ID: "module.second.2", Text: "Who tells the board?"}}},
	}
	for _, in := range sc.Injects {
		if in.Name == "alpha-first" {
			in.Notes = "Controllers: the EDR vendor is on site"
		}
	}
}

// openEvaluator pastes the evaluator token on the landing page, which routes it to /evaluate.
func openEvaluator(t *testing.T, ctx context.Context, s *browserServer, token string) {
	t.Helper()
	do(t, ctx, "open the evaluator page",
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(css("#token")),
		chromedp.SendKeys(css("#token"), token),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css("#eeg .eeg-capability")),
		chromedp.WaitVisible(css("#conn.ok")),
	)
}

// TestBrowserHSEEP plays the drill the HSEEP way. The console shows the modules as sections
// of the timeline and moves to the next one; two evaluators in two tabs follow every team's
// feed and the controllers' notes, see the EEG's critical tasks change as alpha acts, rate two
// capabilities and observe a team while the exercise runs (each seeing the other's); the
// teams answer the modules' questions, alpha reloads and answers again, and the console shows
// every team's answers under the current module's questions while no team sees another's;
// after the end two participants send the feedback form and an evaluator observes in the hot
// wash; the facilitator closes it and nothing more is taken (a clear error); the report shows
// all of it in every form and its JSON equals what was sent.
func TestBrowserHSEEP(t *testing.T) {
	s := startBrowserServer(t, withEdit(withDrillHSEEP))
	x := mustCreateExerciseIn(t, s, "drill", "evaluation")
	require.NotEmpty(t, x.EvaluatorToken)
	base := "/api/exercises/" + x.ID
	b := mustBrowser(t)

	console := b.tab("console")
	openConsole(t, console, s, x.FacilitatorToken)
	do(t, console, "start the exercise", chromedp.WaitEnabled(css("#cmd-start")), chromedp.Click(css("#cmd-start")))
	waitFor(t, console, "the modules show as sections, the first current",
		`document.querySelectorAll('#modules .module-section').length === 2 && document.querySelector('#modules .module-section.current')?.dataset.module === 'first'`)
	assert.Contains(t, eval[string](t, console, `document.querySelector('#modules .module-section[data-module="second"]')?.textContent`), "Both: it is spreading", "the common inject falls in module 2")
	waitFor(t, console, "next module names it", `document.querySelector('#cmd-next-module')?.textContent === 'Next module: Module 2: it spreads' && !document.querySelector('#cmd-next-module')?.disabled`)

	ev1, ev2 := b.tab("evaluator 1"), b.tab("evaluator 2")
	_, err := chromedp.Call(ev1, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: downloadCatcher})
	require.NoError(t, err, "install the download catcher")
	openEvaluator(t, ev1, s, x.EvaluatorToken)
	openEvaluator(t, ev2, s, x.EvaluatorToken)
	waitFor(t, ev1, "the controllers' notes", `document.querySelector('#notes')?.textContent.includes('EDR vendor')`)
	waitFor(t, ev1, "the EEG: objectives, capabilities, tasks",
		`document.querySelector('.eeg-objective[data-objective="contain"] .eeg-capability[data-capability="containment"] li.task[data-task="action:contain:alpha"]') !== null &&
		 document.querySelector('.eeg-objective[data-objective="continue"] li.task[data-task="decision:go_paper:alpha"][data-status="waiting"]') !== null`)

	alpha, bravo := b.tab("alpha"), b.tab("bravo")
	join(t, alpha, s, x.Teams["alpha"], "Ann Alpha")
	join(t, bravo, s, x.Teams["bravo"], "Bo Bravo")
	answer := func(tab context.Context, question, text string) {
		t.Helper()
		q := `#module-box .question[data-question="` + question + `"]`
		do(t, tab, "answer "+text, chromedp.WaitVisible(css(q+" textarea")), chromedp.SetValue(css(q+" textarea"), text), chromedp.Click(css(q+" button[type=submit]")))
		waitFor(t, tab, "the answer "+text+" shows", `document.querySelector('`+q+` .answers').textContent.includes(`+jsString(text)+`)`)
	}
	answer(alpha, "module.first.1", "The duty manager")
	waitFor(t, console, "the console shows alpha's answer under the question",
		`document.querySelector('#module-questions .mq[data-question="module.first.1"] li[data-team="alpha"]')?.textContent.includes('The duty manager')`)

	do(t, alpha, "record containing the hosts", chromedp.Click(css(`#action-contain button`)))
	waitFor(t, ev1, "the EEG shows the task done, by whom and when",
		`document.querySelector('li.task[data-task="action:contain:alpha"]')?.dataset.status === 'done' && document.querySelector('li.task[data-task="action:contain:alpha"]')?.textContent.includes('at T+0:00:00')`)
	waitFor(t, ev2, "in the other tab too", `document.querySelector('li.task[data-task="action:contain:alpha"]')?.dataset.status === 'done'`)
	waitFor(t, ev1, "every team's feed", `document.querySelector('#feed li[data-kind="action_recorded"]') !== null && document.querySelector('#feed li[data-kind="answer_recorded"]')?.textContent.includes('The duty manager')`)

	pick := func(team string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.querySelector('#feed-team').value = ` + jsString(team) + `; document.querySelector('#feed-team').dispatchEvent(new Event('change'))`)
	}
	do(t, ev1, "show bravo's feed only", pick("bravo"))
	assert.Equal(t, []bool{true, false}, eval[[]bool](t, ev1, `[document.querySelector('#feed li[data-kind="action_recorded"]').hidden,
		Array.from(document.querySelectorAll('#feed li[data-kind="inject_delivered"]')).find((li) => li.textContent.includes('Bravo only')).hidden]`),
		"alpha's record hidden, bravo's inject shown")
	do(t, ev1, "show every team again", pick(""))

	type sent struct{ text, capability, team, rating string }
	observe := func(tab context.Context, o sent) {
		t.Helper()
		do(t, tab, "observe "+o.text,
			chromedp.Click(css(`.eeg-capability[data-capability="`+o.capability+`"] button.observe`)),
			chromedp.SetValue(css("#obs-text"), o.text),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#obs-team').value = `+jsString(o.team)),
			chromedp.Click(css("#rate-"+o.rating)),
			chromedp.Click(css("#observation button[type=submit]")))
		waitFor(t, tab, "the observation "+o.text+" is recorded", `document.querySelector('#obs-status').classList.contains('ok')`)
	}
	observations := []sent{
		{"Alpha isolated the hosts at once", "containment", "alpha", "S"},
		{"Nobody warned Bravo", "escalation", "alpha", "M"},
	}
	observe(ev1, observations[0])
	observe(ev2, observations[1])
	waitFor(t, ev1, "each evaluator's rating under its capability, in the other's tab too",
		`document.querySelector('.eeg-capability[data-capability="containment"] .ratings-side')?.textContent.includes('evaluators S') &&
		 document.querySelector('.eeg-capability[data-capability="escalation"] .eeg-observations')?.textContent.includes('Nobody warned Bravo') &&
		 document.querySelector('.eeg-capability[data-capability="escalation"] .ratings-side')?.textContent.includes('evaluators M')`)
	waitFor(t, console, "the console logs the observations", `document.querySelectorAll('#log li[data-kind="observation"]').length === 2`)
	screenshot(t, ev1, "evaluator-1366", 1366, 900)
	screenshot(t, ev1, "evaluator-390", 390, 844)
	do(t, ev1, "back to the desktop size", chromedp.EmulateViewport(1280, 900))
	axeCheck(t, ev1, "evaluator page")

	do(t, console, "next module", chromedp.Click(css("#cmd-next-module")))
	waitFor(t, console, "module 2 is current with its questions",
		`document.querySelector('#modules .module-section.current')?.dataset.module === 'second' && document.querySelectorAll('#module-questions .mq').length === 2`)
	waitFor(t, console, "no module left", `document.querySelector('#cmd-next-module')?.disabled && document.querySelector('#cmd-next-module')?.textContent === 'No module left'`)
	screenshot(t, console, "console-modules-1366", 1366, 900)
	do(t, console, "back to the desktop size", chromedp.EmulateViewport(1280, 900))
	answer(alpha, "module.second.1", "The ward PCs")
	do(t, alpha, "reload", chromedp.Reload(), chromedp.WaitVisible(css("#conn.ok")))
	waitFor(t, alpha, "the answer is back after the reload", `document.querySelector('#module-box .question[data-question="module.second.1"] .answers')?.textContent.includes('The ward PCs')`)
	answer(alpha, "module.second.1", "And the lab server")
	answer(bravo, "module.second.2", "The chair, at once")
	waitFor(t, console, "every team's answers under the current module's questions",
		`document.querySelectorAll('#module-questions .mq[data-question="module.second.1"] li[data-team="alpha"]').length === 2 &&
		 document.querySelector('#module-questions .mq[data-question="module.second.2"] li[data-team="bravo"]')?.textContent.includes('The chair, at once')`)
	screenshot(t, console, "console-answers-390", 390, 844)
	do(t, console, "back to the desktop size", chromedp.EmulateViewport(1280, 900))
	assert.NotContains(t, eval[string](t, alpha, `document.body.textContent`), "The chair, at once", "alpha never sees bravo's answer")
	assert.NotContains(t, eval[string](t, bravo, `document.body.textContent`), "And the lab server", "bravo never sees alpha's answer")
	assert.NotContains(t, eval[string](t, alpha, `document.body.textContent`), "EDR vendor", "nor the controllers' notes")

	mustAPI(t, s, x.FacilitatorToken, http.MethodPost, base+"/end", nil, nil)
	type form struct {
		tab       context.Context
		team      string
		name      string
		ratings   map[string]int
		strengths string
	}
	forms := []form{
		{alpha, "alpha", "Ann Alpha", map[string]int{"structured": 4, "realistic": 5}, "Realistic injects"},
		{bravo, "bravo", "Bo Bravo", map[string]int{"structured": 2, "decisions": 3}, "Short and sharp"},
	}
	for _, f := range forms {
		waitFor(t, f.tab, f.name+" is offered the feedback form", `!document.querySelector('#feedback-box').hidden`)
		steps := []chromedp.Action[chromedp.Void]{}
		for k, v := range f.ratings {
			steps = append(steps, chromedp.Click(css("#fb-"+k+"-"+string(rune('0'+v)))))
		}
		steps = append(steps, chromedp.SetValue(css("#fb-strengths"), f.strengths), chromedp.Click(css(`#feedback button[type=submit]`)))
		do(t, f.tab, f.name+" sends the feedback form", steps...)
		waitFor(t, f.tab, f.name+"'s feedback is recorded", `!document.querySelector('#feedback-done').hidden`)
	}
	waitFor(t, ev1, "the evaluator page says the hot wash is open", `!document.querySelector('#ended').hidden`)
	waitFor(t, ev1, "the unanswered decision is missed at the end", `document.querySelector('li.task[data-task="decision:go_paper:bravo"]')?.dataset.status === 'missed'`)
	hotWash := sent{"Hot wash: nobody knew the paper plan", "continuity", "", "U"}
	observe(ev1, hotWash)
	observations = append(observations, hotWash)
	waitFor(t, ev1, "the hot wash's observation under its capability", `document.querySelector('.eeg-capability[data-capability="continuity"] .eeg-observations')?.textContent.includes('nobody knew the paper plan')`)
	waitFor(t, console, "the console logs both forms", `document.querySelectorAll('#log li[data-kind="feedback_recorded"]').length === 2`)

	waitFor(t, console, "the console offers the close", `!document.querySelector('#cmd-close').hidden`)
	do(t, console, "close the hot wash", chromedp.Click(css("#cmd-close")))
	waitFor(t, ev1, "the evaluator page says it is closed", `!document.querySelector('#closed').hidden && document.querySelector('#observation button[type=submit]')?.disabled`)
	assert.Equal(t, "missed", eval[string](t, ev1, `document.querySelector('li.task[data-task="decision:go_paper:bravo"]').dataset.status`), "still missed after the close")
	waitFor(t, alpha, "alpha's page says it is closed", `!document.querySelector('#closed').hidden`)
	err = wstest.Call(http.DefaultClient, s.URL, http.MethodPost, base+"/observations", x.EvaluatorToken, map[string]any{"text": "too late", "rating": "S"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "409 Conflict")
	assert.Contains(t, err.Error(), "cannot record an observation: the exercise is closed")
	do(t, ev1, "download the final report", chromedp.Click(css(`button[data-report="html"]`)))
	waitFor(t, ev1, "the report is saved", `window.__ttxDownloads.length === 1`)
	assert.Equal(t, "ttx-drill-"+x.ID+"-report.html", eval[string](t, ev1, `window.__ttxDownloads[0].name`))
	assert.Contains(t, eval[string](t, ev1, `window.__ttxDownloads[0].text`), "this report is final")
	do(t, ev1, "back to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	screenshot(t, ev1, "evaluator-closed-1366", 1366, 900)

	// The report's JSON is what was sent.
	var rep struct {
		Observations []struct{ Text, Capability, Team, Rating, By string } `json:"observations"`
		Answers      []struct{ Question, Team, Name, Answer string }       `json:"answers"`
		Feedback     []struct {
			Team, Name, Strengths string
			Ratings               map[string]int
		} `json:"feedback"`
		EvaluatorRatings map[string]struct{ P, S, M, U int } `json:"evaluator_ratings"`
		Objectives       []struct{ Name string }             `json:"objectives"`
		Modules          []struct {
			Name      string
			Questions []struct {
				ID      string
				Answers []struct{ Team, Answer string }
			}
		} `json:"modules"`
		Exercise struct {
			Status   string
			ClosedAt string `json:"closed_at"`
		} `json:"exercise"`
	}
	mustAPI(t, s, x.ReviewerToken, http.MethodGet, base+"/report?format=json", nil, &rep)
	assert.NotEmpty(t, rep.Exercise.ClosedAt, "the report is final")
	require.Len(t, rep.Observations, len(observations))
	for i, o := range observations {
		got := rep.Observations[i]
		assert.Equal(t, sent{o.text, o.capability, o.team, o.rating}, sent{got.Text, got.Capability, got.Team, got.Rating})
		assert.Equal(t, "evaluator", got.By)
	}
	type ans struct{ Question, Team, Name, Answer string }
	var answers []ans
	for _, a := range rep.Answers {
		answers = append(answers, ans(a))
	}
	assert.Equal(t, []ans{
		{"module.first.1", "alpha", "Ann Alpha", "The duty manager"},
		{"module.second.1", "alpha", "Ann Alpha", "The ward PCs"},
		{"module.second.1", "alpha", "Ann Alpha", "And the lab server"},
		{"module.second.2", "bravo", "Bo Bravo", "The chair, at once"},
	}, answers)
	require.Len(t, rep.Feedback, 2)
	sort.Slice(rep.Feedback, func(i, j int) bool { return rep.Feedback[i].Team < rep.Feedback[j].Team })
	for i, f := range forms {
		assert.Equal(t, f.team, rep.Feedback[i].Team)
		assert.Equal(t, f.name, rep.Feedback[i].Name)
		assert.Equal(t, f.ratings, rep.Feedback[i].Ratings)
		assert.Equal(t, f.strengths, rep.Feedback[i].Strengths)
	}
	assert.Equal(t, 1, rep.EvaluatorRatings["containment"].S)
	assert.Equal(t, 1, rep.EvaluatorRatings["escalation"].M)
	assert.Equal(t, 1, rep.EvaluatorRatings["continuity"].U)
	assert.Equal(t, []struct{ Name string }{{"contain"}, {"continue"}}, rep.Objectives)
	require.Len(t, rep.Modules, 2)
	assert.Len(t, rep.Modules[1].Questions[0].Answers, 2, "module 2's first question with alpha's two answers")

	// Every human form shows it.
	for _, format := range []string{"html", "md"} {
		body := mustGet(t, s, x.ReviewerToken, base+"/report?format="+format)
		for _, want := range []string{"Contain and warn within the plan", "Keep the wards running", "Module 2: it spreads",
			"Who tells the board?", "The chair, at once", "Alpha isolated the hosts at once", "Nobody warned Bravo",
			"Hot wash: nobody knew the paper plan", "Realistic injects", "Short and sharp",
			"The exercise was well structured and organised.", "3.0", "this report is final"} {
			assert.Contains(t, body, want, format)
		}
		assert.Less(t, strings.Index(body, "Escalation"), strings.Index(body, "Nobody warned Bravo"), "%s: the observation under its capability", format)
	}
	csv := mustGet(t, s, x.ReviewerToken, base+"/report?format=csv&table=feedback")
	assert.Contains(t, csv, "alpha,Alpha Team,Ann Alpha,4,5,,,,,Realistic injects,,\n")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
