package scoring

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Gap statuses in a readiness trend.
const (
	GapRecurred  = "recurred"   // the same gap on the same item and team in the next exercise
	GapClosed    = "closed"     // the item was scored in the next exercise without that gap
	GapNotTested = "not_tested" // the item was not scored in the next exercise (not in play, open)
)

// Trend is the readiness of one plan over its finished exercises. Its JSON, as
// GET /api/plans/:name/readiness returns it:
//
//	{
//	  "plan": "acme-irp",
//	  "capabilities": ["containment", "escalation"],   // every capability scored in any exercise, sorted
//	  "exercises": [                                    // finished exercises, oldest first
//	    {"id": "…", "scenario": "…", "plan_version": "2.1",
//	     "started_at": "2026-03-14T09:00:00Z", "ended_at": "…",
//	     "overall": 72.5, "rating": "S",                // null and "" when nothing was scored
//	     "by_capability": {"containment": 50},
//	     "gaps": 3,                                     // how many gaps this exercise had
//	     "previous_gaps": [                             // each gap of the exercise before, absent on the first
//	       {"item": "contain_hosts", "team": "irt", "kind": "late", "status": "recurred"}
//	     ]}
//	  ]
//	}
//
// A gap of the previous exercise "recurred" when this exercise has the same gap kind on the
// same item for the same team, is "closed" when the item was scored here without it, and is
// "not_tested" when the item was not scored here (not in play or open): silence is not
// success.
type Trend struct {
	Plan         string       `json:"plan"`
	Capabilities []string     `json:"capabilities"`
	Exercises    []TrendPoint `json:"exercises"`
}

// TrendPoint is one finished exercise in a Trend.
type TrendPoint struct {
	ID           string             `json:"id"`
	Scenario     string             `json:"scenario"`
	PlanVersion  string             `json:"plan_version"`
	StartedAt    *time.Time         `json:"started_at,omitempty"`
	EndedAt      *time.Time         `json:"ended_at,omitempty"`
	Overall      *float64           `json:"overall"`
	Rating       string             `json:"rating"`
	ByCapability map[string]float64 `json:"by_capability"`
	Gaps         int                `json:"gaps"`
	PreviousGaps []GapChange        `json:"previous_gaps,omitempty"`
}

// GapChange says what became of one gap of the previous exercise.
type GapChange struct {
	Item   string `json:"item"`
	Team   string `json:"team"`
	Kind   string `json:"kind"`
	Status string `json:"status"` // GapRecurred, GapClosed or GapNotTested
}

// Readiness builds the trend of plan from reports: those of that plan whose exercise ended,
// oldest first (by start, then end, then id). Reports of other plans and of exercises still
// running are left out.
func Readiness(plan string, reports []Report) Trend {
	var done []Report
	for _, r := range reports {
		if r.Exercise.Plan == plan && r.Exercise.Status == ExerciseEnded {
			done = append(done, r)
		}
	}
	sort.SliceStable(done, func(i, j int) bool { return olderThan(done[i].Exercise, done[j].Exercise) })

	t := Trend{Plan: plan, Capabilities: []string{}, Exercises: []TrendPoint{}}
	caps := map[string]bool{}
	for i, r := range done {
		p := TrendPoint{
			ID: r.Exercise.ID, Scenario: r.Exercise.Scenario, PlanVersion: r.Exercise.PlanVersion,
			StartedAt: r.Exercise.StartedAt, EndedAt: r.Exercise.EndedAt,
			Overall: r.Score.Overall, ByCapability: map[string]float64{}, Gaps: len(r.Gaps),
		}
		if r.Ratings.Overall != nil {
			p.Rating = *r.Ratings.Overall
		}
		for k, v := range r.Score.ByCapability {
			p.ByCapability[k] = v
			caps[k] = true
		}
		if i > 0 {
			p.PreviousGaps = gapChanges(done[i-1], r)
		}
		t.Exercises = append(t.Exercises, p)
	}
	t.Capabilities = sortedKeys(caps)
	return t
}

func olderThan(a, b ExerciseInfo) bool {
	at, bt := timeOr(a.StartedAt), timeOr(b.StartedAt)
	if !at.Equal(bt) {
		return at.Before(bt)
	}
	ae, be := timeOr(a.EndedAt), timeOr(b.EndedAt)
	if !ae.Equal(be) {
		return ae.Before(be)
	}
	return a.ID < b.ID
}

func timeOr(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// gapChanges says, for each gap of prev, whether it recurred in next or closed.
func gapChanges(prev, next Report) []GapChange {
	key := func(kind, item, team string) string { return kind + "\x00" + item + "\x00" + team }
	gapsNext := map[string]bool{}
	for _, g := range next.Gaps {
		gapsNext[key(g.Kind, g.Item, g.Team)] = true
	}
	scoredNext := map[string]bool{}
	for _, it := range next.Items {
		if it.Scored() {
			scoredNext[key(it.Kind, it.ID, it.Team)] = true
		}
	}
	out := []GapChange{}
	for _, g := range prev.Gaps {
		c := GapChange{Item: g.Item, Team: g.Team, Kind: g.Kind}
		switch {
		case gapsNext[key(g.Kind, g.Item, g.Team)]:
			c.Status = GapRecurred
		case scoredNext[key(g.ItemKind, g.Item, g.Team)]:
			c.Status = GapClosed
		default:
			c.Status = GapNotTested
		}
		out = append(out, c)
	}
	return out
}

// ReadinessChart draws a trend as an SVG line chart: overall score (thick) and each
// capability's (thin, labelled at its last point) per exercise, oldest on the left, with the
// 50/66/80 band lines.
func ReadinessChart(t Trend) string {
	const (
		left   = 50.0
		plotW  = 560.0
		plotH  = 240.0
		top    = 36.0
		right  = 190.0
		bottom = 60.0
	)
	width, height := left+plotW+right, top+plotH+bottom
	n := len(t.Exercises)
	x := func(i int) float64 {
		if n <= 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return top + plotH*(1-clamp(v, 0, 100)/100) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart readiness" role="img" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" font-family="sans-serif" font-size="11">`, width, height, width, height)
	fmt.Fprintf(&b, `<title>Readiness of %s</title>`, esc(t.Plan))
	fmt.Fprintf(&b, `<text x="0" y="16" font-size="14" font-weight="bold">Readiness of %s</text>`, esc(t.Plan))
	for _, v := range []float64{0, 25, 50, 75, 100} {
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#eee"/><text x="%.0f" y="%.1f" text-anchor="end" fill="#555">%.0f</text>`,
			left, y(v), left+plotW, y(v), left-6, y(v)+4, v)
	}
	for _, bl := range bandLines {
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="%s" stroke-dasharray="4,3"/><text x="%.0f" y="%.1f" fill="%s">%s</text>`,
			left, y(bl.at), left+plotW, y(bl.at), ratingColours[bl.label], left+plotW+4, y(bl.at)+4, ratingColours[bl.label], bl.label)
	}
	if n == 0 {
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#555">No finished exercise yet.</text>`, left+10, top+plotH/2)
	}
	for i, p := range t.Exercises {
		label := p.ID
		if p.PlanVersion != "" {
			label += " (v" + p.PlanVersion + ")"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="#333">%s</text>`, x(i), top+plotH+16, esc(label))
		if p.StartedAt != nil {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle" fill="#777" font-size="9">%s</text>`, x(i), top+plotH+30, p.StartedAt.Format("2006-01-02"))
		}
	}
	palette := []string{"#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#558b2f", "#f9a825", "#37474f"}
	line := func(values func(TrendPoint) (float64, bool), colour string, w float64, name string) {
		var pts []string
		lastX, lastY := 0.0, 0.0
		for i, p := range t.Exercises {
			v, ok := values(p)
			if !ok {
				continue
			}
			lastX, lastY = x(i), y(v)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", lastX, lastY))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"><title>%s %s: %s</title></circle>`,
				lastX, lastY, w+1.5, colour, esc(name), esc(p.ID), formatScore(v))
		}
		if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%.1f"/>`, strings.Join(pts, " "), colour, w)
		}
		if len(pts) > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="%s" font-size="10">%s</text>`, left+plotW+18, lastY+3, colour, esc(name))
		}
	}
	for i, c := range t.Capabilities {
		line(func(p TrendPoint) (float64, bool) { v, ok := p.ByCapability[c]; return v, ok }, palette[i%len(palette)], 1.5, c)
	}
	line(func(p TrendPoint) (float64, bool) {
		if p.Overall == nil {
			return 0, false
		}
		return *p.Overall, true
	}, "#000", 3, "overall")
	b.WriteString(`</svg>`)
	return b.String()
}
