package scoring_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scoring"
)

// TestHTMLInBrowser opens the report in headless Chromium: the page asks the network for
// nothing, its charts lay out with real sizes, hostile text stays text, and it prints to a
// PDF.
func TestHTMLInBrowser(t *testing.T) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("this test needs Chromium: install the Debian package chromium (%v)", err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	var buf bytes.Buffer
	require.NoError(t, scoring.FormatHTML(&buf, richReport(t)))
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	require.NoError(t, chromedp.Do(bctx), "start Chromium")

	var mu sync.Mutex
	var requests []string
	require.NoError(t, chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}))
	_, err = chromedp.Call(bctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(bctx, chromedp.Navigate("file://"+file)))

	eval := func(expr string) any {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[any](expr))
		require.NoError(t, err, expr)
		return v
	}
	title := eval(`document.title`)
	charts := eval(`[...document.querySelectorAll("svg.chart")].filter(s => s.getBoundingClientRect().width > 300 && s.getBoundingClientRect().height > 50).length`)
	bars := eval(`document.querySelectorAll("svg.chart rect[fill='#2e7d32'], svg.chart rect[fill='#ef6c00'], svg.chart rect[fill='#c62828'], svg.chart rect[fill='#9e9d24']").length`)
	alerted := eval(`document.body.innerText.includes('<script>alert("x")</script>') && document.querySelectorAll("script").length === 0`)
	_, err = chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	require.NoError(t, err)
	pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground(), chromedp.PDFPreferCSSPageSize()))
	require.NoError(t, err)

	assert.Equal(t, "After-action report: Ransomware on the wards", title)
	assert.Equal(t, 4.0, charts, "three score charts and the timeline, laid out")
	assert.Greater(t, bars, 5.0)
	assert.Equal(t, true, alerted, "the hostile note is shown as text and runs nothing")
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")), "prints to PDF")
	assert.Greater(t, len(pdf), 10000)

	mu.Lock()
	defer mu.Unlock()
	assert.NotEmpty(t, requests, "the listener saw the page itself")
	for _, u := range requests {
		assert.True(t, strings.HasPrefix(u, "file://"), "the report loads nothing from the network, yet asked for %s", u)
	}
}
