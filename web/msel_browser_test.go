package web_test

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrowserMSELDownload: the console's MSEL buttons save, through a Blob, what the API
// serves for the exercise's scenario.
func TestBrowserMSELDownload(t *testing.T) {
	s := startBrowserServer(t)
	x := mustCreateExercise(t, s, "drill")
	b := mustBrowser(t)
	console := b.tab("console")
	_, err := chromedp.Call(console, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: downloadCatcher})
	require.NoError(t, err, "install the download catcher")
	openConsole(t, console, s, x.FacilitatorToken)

	do(t, console, "download the MSEL as CSV", chromedp.Click(css(`button[data-msel="csv"]`)))
	waitFor(t, console, "the CSV is saved", `window.__ttxDownloads.length === 1`)
	assert.Equal(t, "ttx-drill-msel.csv", eval[string](t, console, `window.__ttxDownloads[0].name`))
	assert.Equal(t, mustGet(t, s, x.FacilitatorToken, "/api/exercises/"+x.ID+"/msel?format=csv"), eval[string](t, console, `window.__ttxDownloads[0].text`))

	do(t, console, "download the MSEL as XLSX", chromedp.Click(css(`button[data-msel="xlsx"]`)))
	waitFor(t, console, "the XLSX is saved", `window.__ttxDownloads.length === 2`)
	assert.Equal(t, "ttx-drill-msel.xlsx", eval[string](t, console, `window.__ttxDownloads[1].name`))
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", eval[string](t, console, `window.__ttxDownloads[1].type`))
	assert.Contains(t, eval[string](t, console, `document.querySelector('#msel-status').textContent`), "Downloaded ttx-drill-msel.xlsx")
}
