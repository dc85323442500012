package scoring

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// Colours of the HSEEP ratings, chosen to stay distinct printed in grey as well.
var ratingColours = map[string]string{
	RatingP: "#2e7d32",
	RatingS: "#9e9d24",
	RatingM: "#ef6c00",
	RatingU: "#c62828",
}

// ReportCharts are the charts of a report by name, each group by its title: the ones the HTML
// report holds, and the ones GET /api/exercises/:id/charts/:chart serves (and the review page
// shows: the charts are drawn here only).
var ReportCharts = map[string]func(Report) string{
	"timeline": TimelineChart,
	"team": func(r Report) string {
		return ScoreChart("Score by team", "team", r.Score.ByTeam, r.teamTitle)
	},
	"capability": func(r Report) string {
		return ScoreChart("Score by capability", "capability", r.Score.ByCapability, CapabilityTitle)
	},
	"phase": func(r Report) string {
		return ScoreChart("Score by phase", "phase", r.Score.ByPhase, CapabilityTitle)
	},
}

// ScoreChart draws scores (by team, by capability…) as horizontal bars from 0 to 100 in
// their rating's colour, with the 50/66/80 band lines, as one self-contained <svg> element,
// each bar labelled by its label and ordered by it. Every label is escaped; the result can be
// placed in a page as is. The svg carries data-chart=kind and each bar group data-label (the
// name, as machines read it), data-value and data-rating, so a page or a test can read the
// numbers back.
func ScoreChart(title, kind string, scores map[string]float64, label func(string) string) string {
	keys := sortedKeys(scores)
	sort.SliceStable(keys, func(i, j int) bool { return label(keys[i]) < label(keys[j]) })
	labels := make([]string, len(keys))
	for i, k := range keys {
		labels[i] = label(k)
	}

	const (
		barW = 400.0
		rowH = 26.0
		top  = 40.0
	)
	labelW := labelWidth(labels, 12, 100)
	width := labelW + barW + 60
	height := top + rowH*float64(max(len(keys), 1)) + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart score-chart" data-chart="%s" role="img" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`, esc(kind), width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	fmt.Fprintf(&b, `<text x="0" y="16" font-size="14" font-weight="bold">%s</text>`, esc(title))
	if len(keys) == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#555">Nothing scored.</text>`, labelW, top+16)
	}
	for i, k := range keys {
		v := scores[k]
		y := top + rowH*float64(i)
		rating := Rating(v)
		fmt.Fprintf(&b, `<g class="bar" data-label="%s" data-value="%s" data-rating="%s">`, esc(k), formatScore(v), rating)
		fmt.Fprintf(&b, `<text class="bar-label" x="%.0f" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+rowH/2+4, esc(labels[i]))
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.1f" fill="#eee"/>`, labelW, y+4, barW, rowH-8)
		fmt.Fprintf(&b, `<rect class="bar-fill" x="%.0f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s (%s)</title></rect>`,
			labelW, y+4, barW*clamp(v, 0, 100)/100, rowH-8, ratingColours[rating], esc(labels[i]), formatScore(v), rating)
		fmt.Fprintf(&b, `<text class="bar-value" x="%.1f" y="%.1f">%s %s</text></g>`, labelW+barW*clamp(v, 0, 100)/100+4, y+rowH/2+4, formatScore(v), rating)
	}
	bottom := top + rowH*float64(max(len(keys), 1))
	for _, bl := range ratingBands {
		x := labelW + barW*bl.from/100
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.1f" stroke="#333" stroke-dasharray="3,3"/>`, x, top-6, x, bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="#333">%s %.0f</text>`, x, top-10, bl.rating, bl.from)
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" fill="#555">0</text><text x="%.0f" y="%.1f" text-anchor="end" fill="#555">100</text>`,
		labelW, bottom+16, labelW+barW, bottom+16)
	b.WriteString(`</svg>`)
	return b.String()
}

// TimelineChart draws the simulated clock of an exercise as one <svg>: the injects delivered,
// the severity steps, and for each item when it was triggered, its deadline (and the late
// band up to twice the deadline), and when it was done, coloured by credit.
func TimelineChart(r Report) string {
	end := time.Duration(max(r.Exercise.Duration, r.Exercise.Elapsed))
	for _, it := range r.Items {
		if it.DoneAt != nil {
			end = max(end, time.Duration(*it.DoneAt))
		}
	}
	if end <= 0 {
		end = time.Hour
	}
	const (
		plotW = 640.0
		rowH  = 22.0
		top   = 30.0
	)
	rowLabel := func(it Item) string { return itemTitle(it) + " · " + r.teamTitle(it.Team) }
	labels := []string{"Severity"}
	for _, it := range r.Items {
		labels = append(labels, rowLabel(it))
	}
	labelW := labelWidth(labels, 11, 90)
	x := func(d time.Duration) float64 { return labelW + plotW*clamp(float64(d)/float64(end), 0, 1) }

	type row struct {
		label string
		draw  func(b *strings.Builder, y float64)
	}
	var rows []row

	var injects []TimelineEntry
	var severities []TimelineEntry
	for _, te := range r.Timeline {
		switch te.Kind {
		case engine.KindInjectDelivered:
			injects = append(injects, te)
		case engine.KindSeverityChanged:
			severities = append(severities, te)
		}
	}
	rows = append(rows, row{"Injects", func(b *strings.Builder, y float64) {
		for _, te := range injects {
			name := te.Inject
			if name == "" {
				name = "ad hoc: " + te.Subject
			}
			cx := x(time.Duration(te.T))
			fmt.Fprintf(b, `<path d="M%.1f %.1f l5 6 l-5 6 l-5 -6 z" fill="#1565c0"><title>%s %s</title></path>`, cx, y+4, HumanTime(time.Duration(te.T)), esc(name))
		}
	}})
	rows = append(rows, row{"Severity", func(b *strings.Builder, y float64) {
		timelineSeverity(b, severities, y, x, labelW, labelW+plotW)
	}})
	for _, it := range r.Items {
		rows = append(rows, row{rowLabel(it), func(b *strings.Builder, y float64) { timelineItem(b, r, it, y, x, end) }})
	}

	height := top + rowH*float64(len(rows)) + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`,
		labelW+plotW+20, height, labelW+plotW+20, height)
	b.WriteString(`<title>Simulated timeline</title>`)
	b.WriteString(`<text x="0" y="14" font-size="14" font-weight="bold">Simulated timeline</text>`)
	bottom := top + rowH*float64(len(rows))
	step := tickStep(end)
	for t := time.Duration(0); t <= end; t += step {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`, x(t), top, x(t), bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#555">%s</text>`, x(t), bottom+14, scenarios.ShortDuration(t))
	}
	for i, rw := range rows {
		y := top + rowH*float64(i)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+15, esc(rw.label))
		rw.draw(&b, y)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// timelineSeverity draws the severity row at y from x0 to x1: a line that thickens at each
// step, labelled with the severity it steps to.
func timelineSeverity(b *strings.Builder, severities []TimelineEntry, y float64, x func(time.Duration) float64, x0, x1 float64) {
	level := 0
	prevX := x0
	for _, te := range severities {
		cx := x(time.Duration(te.T))
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#6a1b9a" stroke-width="%d"/>`, prevX, y+11, cx, y+11, 1+level)
		level++
		prevX = cx
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="9" fill="#6a1b9a">%s</text>`, cx+2, y+8, esc(te.Severity))
	}
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#6a1b9a" stroke-width="%d"/>`, prevX, y+11, x1, y+11, 1+level)
}

// timelineItem draws the row of one item at y: from its trigger to its deadline and the late
// band up to twice it (a dot without a deadline), then its record coloured by credit, "open",
// or a cross at the deadline (or the end) where it was missed.
func timelineItem(b *strings.Builder, r Report, it Item, y float64, x func(time.Duration) float64, end time.Duration) {
	t0 := time.Duration(it.TriggeredAt)
	if it.Deadline != nil && it.Due != nil {
		dl := time.Duration(*it.Deadline)
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="8" fill="#c8e6c9"><title>%s: %s to %s</title></rect>`,
			x(t0), y+7, x(dl)-x(t0), esc(itemTitle(it)), HumanTime(t0), HumanTime(dl))
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="8" fill="#fff3c4"/>`,
			x(dl), y+7, x(dl+time.Duration(*it.Due))-x(dl))
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333"/>`, x(dl), y+3, x(dl), y+19)
	} else {
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="#1565c0"/>`, x(t0), y+11)
	}
	switch {
	case it.Status == StatusOpen:
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="9" fill="#555">open</text>`, x(end)-28, y+15)
	case it.DoneAt != nil:
		colour := ratingColours[Rating(100**it.Credit)]
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="5" fill="%s" stroke="#000"><title>%s %s by %s, credit %s</title></circle>`,
			x(time.Duration(*it.DoneAt)), y+11, colour, esc(itemTitle(it)), HumanTime(time.Duration(*it.DoneAt)), esc(r.teamTitle(it.By)), formatCredit(*it.Credit))
	default:
		mx := x(end)
		if it.Deadline != nil {
			mx = x(time.Duration(*it.Deadline))
		}
		fmt.Fprintf(b, `<path d="M%.1f %.1f l8 8 m0 -8 l-8 8" stroke="%s" stroke-width="2"><title>%s missed</title></path>`,
			mx-4, y+7, ratingColours[RatingU], esc(itemTitle(it)))
	}
}

// tickStep picks a round step that puts at most about ten ticks on the axis.
func tickStep(end time.Duration) time.Duration {
	for _, s := range []time.Duration{
		time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	} {
		if end/s <= 10 {
			return s
		}
	}
	return end / 10
}

// labelWidth is room for the longest label at fontSize in a sans-serif font (about 0.6 em a
// character), and at least minW.
func labelWidth(labels []string, fontSize, minW float64) float64 {
	longest := 0
	for _, l := range labels {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	return max(minW, float64(longest)*fontSize*0.6+14)
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

func esc(s string) string { return html.EscapeString(s) }

// formatScore writes a score with its one decimal: 72.5, 80.0.
func formatScore(v float64) string { return fmt.Sprintf("%.1f", v) }

// formatCredit writes a credit in its shortest exact form: 1, 0.5, 0.125.
func formatCredit(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}
