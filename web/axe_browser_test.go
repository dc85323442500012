package web_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// axeSource is npm's axe-core, vendored in testdata/axe (its README says which version).
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	return string(b), err
})

// axeViolation is one rule a page breaks, as axe-core reports it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeCheck runs axe-core on the page the tab shows and fails on any serious or critical
// violation of WCAG 2.x A and AA.
func axeCheck(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	src, err := axeSource()
	require.NoError(t, err, "read axe-core")
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](src+";\ntrue"))
	require.NoError(t, err, "inject axe-core into the %s", page)
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}).then((r) => r.violations)`,
		chromedp.EvalAwaitPromise))
	require.NoError(t, err, "run axe-core on the %s", page)
	var bad []string
	for _, v := range violations {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, "…")
				break
			}
			where = append(where, n.HTML)
		}
		bad = append(bad, v.Impact+" "+v.ID+": "+v.Help+" — "+strings.Join(where, " | "))
	}
	assert.Empty(t, bad, "axe-core on the %s", page)
}

// TestBrowserAxeOnEveryPageBeforeSignIn: each page as someone without a token first sees it.
func TestBrowserAxeOnEveryPageBeforeSignIn(t *testing.T) {
	s := startBrowserServer(t)
	tab := mustBrowser(t).tab("anonymous")
	for _, page := range []struct{ path, ready string }{
		{"/", "#join-code"},
		{"/play", "#join-code"},
		{"/console", "#token"},
		{"/review", "body"},
		{"/handout", "#token"},
	} {
		do(t, tab, "open "+page.path, chromedp.Navigate(s.URL+page.path), chromedp.WaitVisible(css(page.ready)))
		axeCheck(t, tab, page.path)
	}
}
