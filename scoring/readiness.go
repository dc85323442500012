package scoring

import (
	"cmp"
	"sort"
	"strings"
	"time"

	"github.com/ttx-dev/ttx/engine"
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
//	  "included": ["live evaluation"],                  // what was counted (ReadinessOptions)
//	  "left_out": {"rehearsals": 2, "training": 1},     // finished exercises not counted, by why
//	  "exercises": [                                    // finished exercises counted, oldest first
//	    {"id": "…", "scenario": "…", "scenario_title": "…", "plan_version": "2.1",
//	     "mode": "evaluation", "kind": "live",
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
	Included     []string     `json:"included"`
	LeftOut      LeftOut      `json:"left_out"`
	Exercises    []TrendPoint `json:"exercises"`
}

// LeftOut counts the finished exercises of a plan that readiness did not count: rehearsals
// (scripted dry runs) and training-mode exercises, unless asked for. A rehearsal counts as a
// rehearsal whatever its mode.
type LeftOut struct {
	Rehearsals int `json:"rehearsals"`
	Training   int `json:"training"`
}

// TrendPoint is one finished exercise in a Trend.
type TrendPoint struct {
	ID            string             `json:"id"`
	Scenario      string             `json:"scenario"`
	ScenarioTitle string             `json:"scenario_title,omitempty"`
	PlanVersion   string             `json:"plan_version"`
	Mode          string             `json:"mode"`
	Kind          string             `json:"kind"`
	StartedAt     *time.Time         `json:"started_at,omitempty"`
	EndedAt       *time.Time         `json:"ended_at,omitempty"`
	Overall       *float64           `json:"overall"`
	Rating        string             `json:"rating"`
	ByCapability  map[string]float64 `json:"by_capability"`
	Gaps          int                `json:"gaps"`
	PreviousGaps  []GapChange        `json:"previous_gaps,omitempty"`
}

// GapChange says what became of one gap of the previous exercise.
type GapChange struct {
	Item   string `json:"item"`
	Team   string `json:"team"`
	Kind   string `json:"kind"`
	Status string `json:"status"` // GapRecurred, GapClosed or GapNotTested
}

// What readiness may be asked to include besides live exercises in evaluation mode.
const (
	IncludeRehearsals = "rehearsals"
	IncludeTraining   = "training"
)

// ReadinessOptions say which finished exercises readiness counts besides live ones played in
// evaluation mode (scoring.md v2, "Readiness over time").
type ReadinessOptions struct {
	Rehearsals bool
	Training   bool
}

// ParseInclude reads the `include` list of the API and the CLI: "", or names from
// IncludeRehearsals and IncludeTraining separated by commas. Anything else is an
// engine.EInvalid error that names what it takes.
func ParseInclude(s string) (ReadinessOptions, error) {
	var o ReadinessOptions
	for _, part := range strings.Split(s, ",") {
		switch strings.TrimSpace(part) {
		case "":
		case IncludeRehearsals:
			o.Rehearsals = true
		case IncludeTraining:
			o.Training = true
		default:
			return o, engine.Errorf(engine.EInvalid, "include: unknown %q; give %s, %s or both, separated by a comma",
				truncateRunes(strings.TrimSpace(part), 40), IncludeRehearsals, IncludeTraining)
		}
	}
	return o, nil
}

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Counts reports whether readiness with these options counts exercise x (which must have
// ended): the one rule for what readiness, and by default a revision, are drawn from.
func (o ReadinessOptions) Counts(x ExerciseInfo) bool {
	ok, _ := o.counts(x)
	return ok
}

// counts reports whether readiness counts exercise x, and if not, why (IncludeRehearsals or
// IncludeTraining).
func (o ReadinessOptions) counts(x ExerciseInfo) (bool, string) {
	switch {
	case x.Kind == engine.ExerciseRehearsal:
		return o.Rehearsals, IncludeRehearsals
	case x.Mode != engine.ModeEvaluation:
		// An exercise stored before v2 has no mode: its teams were shown what was due.
		return o.Training, IncludeTraining
	}
	return true, ""
}

func (o ReadinessOptions) included() []string {
	out := []string{"live evaluation"}
	if o.Training {
		out = append(out, "live training")
	}
	if o.Rehearsals {
		out = append(out, IncludeRehearsals)
	}
	return out
}

// Readiness builds the trend of plan from reports: those of that plan whose exercise ended
// and that opts count, oldest first (by start, then end, then id). Reports of other plans and
// of exercises still running are left out silently; rehearsals and training exercises not
// asked for are counted in LeftOut.
func Readiness(plan string, reports []Report, opts ReadinessOptions) Trend {
	rows := make([]ReadinessRow, 0, len(reports))
	for _, r := range reports {
		rows = append(rows, RowOf(r))
	}
	return ReadinessOfRows(plan, rows, opts)
}

// ReadinessRow is what readiness, and the review list, read of one report: small enough to
// keep for every finished exercise, so that a plan's readiness over years of exercises never
// scores a log again. Its JSON round-trips exactly.
type ReadinessRow struct {
	ID            string             `json:"id"`
	Scenario      string             `json:"scenario"`
	ScenarioTitle string             `json:"scenario_title,omitempty"`
	Plan          string             `json:"plan"`
	PlanTitle     string             `json:"plan_title,omitempty"`
	PlanVersion   string             `json:"plan_version"`
	Status        string             `json:"status"`
	Mode          string             `json:"mode"`
	Kind          string             `json:"kind"`
	StartedAt     *time.Time         `json:"started_at,omitempty"`
	EndedAt       *time.Time         `json:"ended_at,omitempty"`
	Elapsed       string             `json:"elapsed"` // Go duration string, not rounded
	Overall       *float64           `json:"overall"`
	Rating        string             `json:"rating"`
	ByCapability  map[string]float64 `json:"by_capability"`
	Gaps          []RowGap           `json:"gaps"`
	Scored        []RowItem          `json:"scored"` // the items scored, for the gaps that closed
}

// RowGap is one gap of a ReadinessRow.
type RowGap struct {
	Kind     string `json:"kind"`
	ItemKind string `json:"item_kind"`
	Item     string `json:"item"`
	Team     string `json:"team"`
}

// RowItem is one scored item of a ReadinessRow.
type RowItem struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Team string `json:"team"`
}

// RowOf returns the readiness row of r.
func RowOf(r Report) ReadinessRow {
	x := r.Exercise
	row := ReadinessRow{
		ID: x.ID, Scenario: x.Scenario, ScenarioTitle: x.ScenarioTitle, Plan: x.Plan, PlanTitle: x.PlanTitle,
		PlanVersion: x.PlanVersion, Status: x.Status, Mode: x.Mode, Kind: x.Kind, StartedAt: x.StartedAt,
		EndedAt: x.EndedAt, Elapsed: x.Elapsed.String(), Overall: r.Score.Overall,
		ByCapability: map[string]float64{}, Gaps: []RowGap{}, Scored: []RowItem{},
	}
	if r.Ratings.Overall != nil {
		row.Rating = *r.Ratings.Overall
	}
	for k, v := range r.Score.ByCapability {
		row.ByCapability[k] = v
	}
	for _, g := range r.Gaps {
		row.Gaps = append(row.Gaps, RowGap{Kind: g.Kind, ItemKind: g.ItemKind, Item: g.Item, Team: g.Team})
	}
	for _, it := range r.Items {
		if it.Scored() {
			row.Scored = append(row.Scored, RowItem{Kind: it.Kind, ID: it.ID, Team: it.Team})
		}
	}
	return row
}

// info is what the rules of readiness (counts, olderThan) read of a row.
func (r ReadinessRow) info() ExerciseInfo {
	return ExerciseInfo{ID: r.ID, Mode: r.Mode, Kind: r.Kind, StartedAt: r.StartedAt, EndedAt: r.EndedAt}
}

// ReadinessOfRows is Readiness over the rows of the reports.
func ReadinessOfRows(plan string, rows []ReadinessRow, opts ReadinessOptions) Trend {
	t := Trend{Plan: plan, Capabilities: []string{}, Included: opts.included(), Exercises: []TrendPoint{}}
	var done []ReadinessRow
	for _, r := range rows {
		if r.Plan != plan || r.Status != ExerciseEnded {
			continue
		}
		ok, why := opts.counts(r.info())
		switch {
		case ok:
			done = append(done, r)
		case why == IncludeRehearsals:
			t.LeftOut.Rehearsals++
		default:
			t.LeftOut.Training++
		}
	}
	sort.SliceStable(done, func(i, j int) bool { return olderThan(done[i].info(), done[j].info()) })

	caps := map[string]bool{}
	for i, r := range done {
		p := TrendPoint{
			ID: r.ID, Scenario: r.Scenario, ScenarioTitle: r.ScenarioTitle,
			PlanVersion: r.PlanVersion, Mode: cmp.Or(r.Mode, engine.ModeTraining),
			Kind:      cmp.Or(r.Kind, engine.ExerciseLive),
			StartedAt: r.StartedAt, EndedAt: r.EndedAt,
			Overall: r.Overall, Rating: r.Rating, ByCapability: map[string]float64{}, Gaps: len(r.Gaps),
		}
		for k, v := range r.ByCapability {
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
func gapChanges(prev, next ReadinessRow) []GapChange {
	key := func(kind, item, team string) string { return kind + "\x00" + item + "\x00" + team }
	gapsNext := map[string]bool{}
	for _, g := range next.Gaps {
		gapsNext[key(g.Kind, g.Item, g.Team)] = true
	}
	scoredNext := map[string]bool{}
	for _, it := range next.Scored {
		scoredNext[key(it.Kind, it.ID, it.Team)] = true
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
