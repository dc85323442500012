package scoring

import (
	"fmt"
	"strings"
)

// Layout of the readiness chart: the overall score in one large panel, then one small panel
// per capability, four to a row, so that twenty capabilities are twenty small clear lines
// rather than one tangle.
const (
	rcWidth     = 800.0
	rcLeft      = 44.0
	rcRight     = 36.0
	rcTop       = 40.0
	rcOverallH  = 220.0
	rcCols      = 4
	rcCellW     = (rcWidth - 20) / rcCols
	rcCellH     = 104.0
	rcCellPlotH = 58.0
)

// ReadinessChart draws a trend as one SVG: the overall score per exercise large (a thick line
// with its points, the 50/66/80 band lines, each exercise numbered on the axis and named with
// its date, scenario and plan version in a key below), then each capability as a small
// multiple on the same axes, titled and with its last score. Every point's tooltip names the
// exercise and its scenario. Points carry data-exercise and data-value in a g.series that
// carries data-series (the capability's name, or "overall"), for the pages and the tests.
func ReadinessChart(t Trend) string {
	n := len(t.Exercises)
	rows := (len(t.Capabilities) + rcCols - 1) / rcCols
	keyTop := rcTop + rcOverallH + 34
	capsTop := keyTop + 16*float64(max(n, 1)) + 30
	height := capsTop + rcCellH*float64(rows) + 10

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart trend-chart readiness" role="img" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`,
		rcWidth, height, rcWidth, height)
	fmt.Fprintf(&b, `<title>Readiness of %s</title>`, esc(t.Plan))
	fmt.Fprintf(&b, `<text x="0" y="16" font-size="15" font-weight="bold">Readiness of %s</text>`, esc(t.Plan))
	fmt.Fprintf(&b, `<text x="0" y="32" fill="#555">%s</text>`, esc(leftOutSentence(t)))

	overall := panel{x: rcLeft, y: rcTop, w: rcWidth - rcLeft - rcRight, h: rcOverallH, n: n}
	overall.axes(&b, true)
	if n == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#555">No finished exercise yet.</text>`, overall.x+10, overall.y+overall.h/2)
	}
	for i := range t.Exercises {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="#333" font-weight="bold">%d</text>`, overall.px(i), overall.y+overall.h+16, i+1)
	}
	overall.series(&b, t, "overall", "Overall", "#000", 3, func(p TrendPoint) (float64, bool) {
		if p.Overall == nil {
			return 0, false
		}
		return *p.Overall, true
	})

	for i, p := range t.Exercises {
		line := fmt.Sprintf("%d  %s  %s", i+1, dateOf(p), pointName(p))
		if p.PlanVersion != "" {
			line += ", plan v" + p.PlanVersion
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#333">%s</text>`, rcLeft, keyTop+16*float64(i), esc(line))
	}

	if len(t.Capabilities) > 0 {
		fmt.Fprintf(&b, `<text x="0" y="%.0f" font-size="13" font-weight="bold">By capability</text>`, capsTop-12)
	}
	for i, c := range t.Capabilities {
		col, row := i%rcCols, i/rcCols
		cell := panel{x: 10 + rcCellW*float64(col) + 26, y: capsTop + rcCellH*float64(row) + 18, w: rcCellW - 40, h: rcCellPlotH, n: n}
		last, ok := lastScore(t, c)
		label := CapabilityTitle(c)
		if ok {
			label += fmt.Sprintf(": %s %s", formatScore(last), Rating(last))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-weight="bold">%s</text>`, cell.x-26, cell.y-6, esc(label))
		cell.axes(&b, false)
		cell.series(&b, t, c, CapabilityTitle(c), "#1565c0", 1.5, func(p TrendPoint) (float64, bool) {
			v, ok := p.ByCapability[c]
			return v, ok
		})
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// panel is one plot of the readiness chart, from 0 to 100 up and the exercises across.
type panel struct {
	x, y, w, h float64
	n          int
}

func (p panel) px(i int) float64 {
	if p.n <= 1 {
		return p.x + p.w/2
	}
	return p.x + p.w*float64(i)/float64(p.n-1)
}

func (p panel) py(v float64) float64 { return p.y + p.h*(1-clamp(v, 0, 100)/100) }

// axes draws the frame, the band lines and, on a large panel, the score grid.
func (p panel) axes(b *strings.Builder, large bool) {
	fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fafafa" stroke="#ddd"/>`, p.x, p.y, p.w, p.h)
	if large {
		for _, v := range []float64{0, 25, 50, 75, 100} {
			fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eee"/><text x="%.1f" y="%.1f" text-anchor="end" fill="#555">%.0f</text>`,
				p.x, p.py(v), p.x+p.w, p.py(v), p.x-6, p.py(v)+4, v)
		}
	}
	for _, bl := range ratingBands {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4,3"/>`,
			p.x, p.py(bl.from), p.x+p.w, p.py(bl.from), ratingColours[bl.rating])
		if large {
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="%s">%s</text>`, p.x+p.w+4, p.py(bl.from)+4, ratingColours[bl.rating], bl.rating)
		}
	}
}

// series draws one line with its points.
func (p panel) series(b *strings.Builder, t Trend, name, title, colour string, w float64, value func(TrendPoint) (float64, bool)) {
	fmt.Fprintf(b, `<g class="series" data-series="%s">`, esc(name))
	var pts []string
	var circles strings.Builder
	for i, tp := range t.Exercises {
		v, ok := value(tp)
		if !ok {
			continue
		}
		x, y := p.px(i), p.py(v)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		fmt.Fprintf(&circles, `<circle class="point" data-exercise="%s" data-value="%s" cx="%.1f" cy="%.1f" r="%.1f" fill="%s"><title>%s, exercise %d (%s, %s): %s %s</title></circle>`,
			esc(tp.ID), formatScore(v), x, y, w+1.5, ratingColours[Rating(v)], esc(title), i+1, esc(pointName(tp)), dateOf(tp), formatScore(v), Rating(v))
	}
	if len(pts) > 1 {
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%.1f"/>`, strings.Join(pts, " "), colour, w)
	}
	b.WriteString(circles.String())
	b.WriteString(`</g>`)
}

func lastScore(t Trend, capability string) (float64, bool) {
	for i := len(t.Exercises) - 1; i >= 0; i-- {
		if v, ok := t.Exercises[i].ByCapability[capability]; ok {
			return v, true
		}
	}
	return 0, false
}

// pointName names an exercise of a trend by its scenario (its title when it has one) and id.
func pointName(p TrendPoint) string {
	if p.ScenarioTitle != "" {
		return fmt.Sprintf("%s (%s)", p.ScenarioTitle, p.ID)
	}
	return fmt.Sprintf("%s (%s)", p.Scenario, p.ID)
}

func dateOf(p TrendPoint) string {
	if p.StartedAt == nil {
		return "—"
	}
	return p.StartedAt.Format("2006-01-02")
}

// leftOutSentence says what the trend counts and how many finished exercises it left out.
func leftOutSentence(t Trend) string {
	s := fmt.Sprintf("Counts %s exercises.", strings.Join(t.Included, ", "))
	var parts []string
	if n := t.LeftOut.Rehearsals; n > 0 {
		parts = append(parts, count(n, "rehearsal"))
	}
	if n := t.LeftOut.Training; n > 0 {
		parts = append(parts, count(n, "training exercise"))
	}
	if len(parts) > 0 {
		s += " Left out: " + strings.Join(parts, " and ") + "."
	}
	return s
}
