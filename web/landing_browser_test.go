package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/facilitator"
)

// longTeamTitle is long enough to wrap beside its join code on a phone and on a desktop.
const longTeamTitle = "Alpha Team of the Regional Emergency Operations and Business Continuity Coordination Centre"

// TestBrowserLandingCreatesAnExercise drives the admin's half of the landing page: the speed
// field offers what the server accepts and shows the server's sentence when it refuses, the
// scenario's button creates the exercise, and the created panel shows every join code on
// one line however long its team's name, at desktop and phone widths.
func TestBrowserLandingCreatesAnExercise(t *testing.T) {
	s := startBrowserServer(t, withLibrary(map[string]string{
		"plan.hcl":  strings.Replace(drillPlan, `"Alpha Team"`, strconv.Quote(longTeamTitle), 1),
		"drill.hcl": drillScenario,
	}))
	tab := mustBrowser(t).tab("landing")

	do(t, tab, "open the landing page", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(css("#join-code")))
	placeholder := eval[string](t, tab, `document.querySelector('#join-code').placeholder`)
	example := strings.TrimPrefix(placeholder, "e.g. ")
	require.Len(t, example, 9, "the placeholder %q shows a code of eight characters", placeholder)
	assert.Equal(t, "-", example[4:5], "the placeholder %q groups its code in fours", placeholder)
	for _, r := range strings.ReplaceAll(example, "-", "") {
		assert.Contains(t, facilitator.CodeAlphabet, string(r), "the placeholder %q uses only characters of a join code", placeholder)
	}

	do(t, tab, "paste the admin token",
		chromedp.SendKeys(css("#token"), s.admin),
		chromedp.Click(css("#token-form button[type=submit]")),
		chromedp.WaitVisible(css(`#scenarios button[data-scenario="drill"]`)),
	)
	assert.Equal(t, "Create exercise", eval[string](t, tab, `document.querySelector('#scenarios button[data-scenario="drill"]').textContent`))
	assert.Equal(t, strconv.FormatFloat(facilitator.MinSpeed, 'g', -1, 64), eval[string](t, tab, `document.querySelector('#speed').min`))
	assert.Equal(t, strconv.FormatFloat(facilitator.MaxSpeed, 'g', -1, 64), eval[string](t, tab, `document.querySelector('#speed').max`))

	do(t, tab, "ask for a speed the server refuses",
		chromedp.SetValue(css("#speed"), "100000"),
		chromedp.Click(css(`#scenarios button[data-scenario="drill"]`)),
		chromedp.WaitVisible(css("#run-status.error")),
	)
	assert.Equal(t, mustRefusal(t, s, map[string]any{"scenario": "drill", "speed": 100000}),
		eval[string](t, tab, `document.querySelector('#run-status').textContent`), "the page shows the server's sentence")
	assert.True(t, eval[bool](t, tab, `document.querySelector('#created').hidden`), "nothing was created")

	do(t, tab, "create the exercise",
		chromedp.SetValue(css("#speed"), "60"),
		chromedp.Click(css(`#scenarios button[data-scenario="drill"]`)),
		chromedp.WaitVisible(css("#created .secret.code")),
	)
	require.Equal(t, 2, eval[int](t, tab, `document.querySelectorAll('#created .secret.code').length`))
	assert.Contains(t, eval[string](t, tab, `document.querySelector('#created').textContent`), longTeamTitle)

	for _, width := range []int64{1280, 390} {
		screenshot(t, tab, fmt.Sprintf("landing-created-%d", width), width, 900)
		// A code's text makes one line box, and stays inside its panel, beside a team name of
		// any length: the first code's name is cut to each length in turn.
		wrapped := eval[[]int](t, tab, `(() => {
			const label = document.querySelector('#created .secret.code .secret-label');
			const full = label.textContent, wrapped = [];
			for (let n = 1; n <= full.length; n++) {
				label.textContent = full.slice(0, n);
				for (const code of document.querySelectorAll('#created .secret.code .secret-value')) {
					const r = document.createRange();
					r.selectNodeContents(code);
					if (r.getClientRects().length !== 1) wrapped.push(n);
				}
			}
			label.textContent = full;
			return wrapped;
		})()`)
		assert.Empty(t, wrapped, "at %d px a join code wraps beside a team name of these lengths", width)
		assert.True(t, eval[bool](t, tab, `Array.from(document.querySelectorAll('#created .secret.code')).every((box) =>
			box.querySelector('.secret-value').getBoundingClientRect().right <= box.getBoundingClientRect().right)`),
			"at %d px every join code fits in its box", width)
		assert.LessOrEqual(t, eval[int](t, tab, `document.documentElement.scrollWidth`), int(width), "at %d px nothing scrolls sideways", width)
	}
}

// mustRefusal sends POST /api/exercises as the admin, requires a 400, and returns the
// server's sentence.
func mustRefusal(t *testing.T, s *browserServer, body map[string]any) string {
	t.Helper()
	data, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/exercises", bytes.NewReader(data))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	var answer struct {
		Error string `json:"error"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
	require.NotEmpty(t, answer.Error)
	return answer.Error
}
