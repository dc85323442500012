package engine

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// Progress of a triggered action in a Snapshot.
const (
	ProgressDone    = "done"    // some team recorded it
	ProgressPending = "pending" // not recorded, deadline not passed
	ProgressOverdue = "overdue" // not recorded, deadline passed
)

// Snapshot is what the facilitator's console shows of an exercise at one moment, built from
// committed events only.
type Snapshot struct {
	ID        string
	Scenario  string
	Status    string
	SimTime   time.Duration
	Speed     float64
	Severity  string // name of the current level
	Level     int
	Seq       int64  // the last committed event
	EndReason string // once ended: "duration" or "facilitator"
	// PauseReason is why a paused exercise is paused: "" when its facilitator paused it,
	// PauseServerStopped or PauseServerRestarted when the server did.
	PauseReason string
	Mode        string // (v2) ModeEvaluation or ModeTraining
	// NotReached (v2) holds, once the exercise has ended, the scenario injects neither
	// delivered nor skipped, in file order (State.NotReached).
	NotReached []string
	// ModuleStarts (v2) holds the simulated time each module that has started started at, by
	// name.
	ModuleStarts map[string]time.Duration
	// Upcoming holds the scenario injects not yet delivered or skipped: first those with a
	// known due time, in firing order, then those waiting for the inject they follow, in file
	// order.
	Upcoming []UpcomingInject
	// Teams holds every team of the plan, in plan order, with the actions it owns that have
	// been triggered, in trigger order.
	Teams []TeamProgress
}

// UpcomingInject is a scenario inject that has not fired yet.
type UpcomingInject struct {
	Name      string
	Subject   string
	To        []string
	Scheduled bool          // its due time is known
	Due       time.Duration // with Scheduled
	After     string        // the inject it follows, if any
	Held      bool
}

// TeamProgress is one team's triggered actions and (v2) whether it plays.
type TeamProgress struct {
	Team         string
	Title        string
	External     bool // an external team, played by control
	InPlay       bool // one of the exercise's teams in play
	Joined       bool // a participant of it joined
	MarkedPlayed bool // the facilitator marked it as played
	Actions      []ActionProgress
	// OpenDecisions holds the decisions put to the team that it has neither answered nor
	// been defaulted on, by name.
	OpenDecisions []string
}

// ActionProgress is where one triggered action stands.
type ActionProgress struct {
	Action      string
	Title       string
	Owner       string
	TriggeredAt time.Duration
	Deadline    time.Duration
	Status      string        // ProgressDone, ProgressPending or ProgressOverdue
	DoneAt      time.Duration // with ProgressDone: the owner's first record, else the first
	By          string        // with ProgressDone: the team of that record
}

// Snapshot returns the exercise's status, simulated time, speed, severity, upcoming injects
// and per-team progress.
func (x *Exercise) Snapshot() Snapshot {
	x.mu.Lock()
	now := x.simNow(x.now())
	x.mu.Unlock()

	p := &x.log
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state
	if HasEnded(st.Status) || now < st.T {
		now = st.T
	}
	now = min(now, x.sc.Duration)
	s := Snapshot{
		ID:           x.rec.ID,
		Scenario:     x.sc.Name,
		Status:       st.Status,
		SimTime:      now,
		Speed:        cmp.Or(st.Speed, initialSpeed(x.rec)),
		Severity:     st.Severity,
		Level:        st.Level,
		Seq:          st.LastSeq,
		EndReason:    st.EndReason,
		PauseReason:  st.PauseReason,
		Mode:         x.rec.Mode,
		NotReached:   st.NotReached(),
		ModuleStarts: maps.Clone(st.ModuleStarts),
	}
	ag := newAgenda(st)
	// A set, not ag.due per inject: that would be quadratic in the injects, under the lock
	// that publishing committed events takes.
	scheduled := make(map[string]bool, len(ag.items))
	for _, it := range ag.items {
		scheduled[it.in.Name] = true
		s.Upcoming = append(s.Upcoming, upcoming(st, it.in.Name, true, it.due))
	}
	for _, in := range x.sc.Injects {
		if scheduled[in.Name] {
			continue
		}
		if is := st.Injects[in.Name]; !is.Delivered && !is.Skipped {
			s.Upcoming = append(s.Upcoming, upcoming(st, in.Name, false, 0))
		}
	}
	byTeam := make(map[string]*TeamProgress, len(x.sc.Plan.Teams))
	s.Teams = make([]TeamProgress, len(x.sc.Plan.Teams))
	for i, t := range x.sc.Plan.Teams {
		_, joined := st.Joined[t.Name]
		_, marked := st.MarkedPlayed[t.Name]
		s.Teams[i] = TeamProgress{Team: t.Name, Title: t.Title, External: t.External, InPlay: x.inPlay[t.Name], Joined: joined, MarkedPlayed: marked}
		byTeam[t.Name] = &s.Teams[i]
	}
	for _, d := range openDecisions(st) {
		if tp := byTeam[d.team]; tp != nil {
			tp.OpenDecisions = append(tp.OpenDecisions, d.decision)
		}
	}
	for _, a := range triggeredInOrder(st) {
		act := st.ix.actions[a]
		trig := st.Triggered[a]
		ap := ActionProgress{Action: a, Title: act.Title, Owner: act.Owner, TriggeredAt: trig.At, Deadline: trig.Deadline(), Status: ProgressPending}
		if first, ok := CountingRecord(st.Records[a], act.Owner); ok {
			ap.Status, ap.DoneAt, ap.By = ProgressDone, first.T, first.Team
		} else if now > ap.Deadline {
			ap.Status = ProgressOverdue
		}
		if tp := byTeam[act.Owner]; tp != nil {
			tp.Actions = append(tp.Actions, ap)
		}
	}
	return s
}

func upcoming(st *State, name string, scheduled bool, due time.Duration) UpcomingInject {
	in := st.ix.injects[name]
	u := UpcomingInject{
		Name:      in.Name,
		Subject:   in.Subject,
		To:        append([]string(nil), in.To...),
		Scheduled: scheduled,
		Due:       due,
		Held:      st.Injects[name].Held,
	}
	if !in.HasAt {
		u.After = in.After
	}
	return u
}

// triggeredInOrder returns the triggered actions in the order they were triggered.
func triggeredInOrder(st *State) []string {
	names := make([]string, 0, len(st.Triggered))
	for name := range st.Triggered {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(st.Triggered[a].Seq, st.Triggered[b].Seq) })
	return names
}

type openDecision struct{ decision, team string }

// openDecisions returns the decisions put to a team that it has not answered and was not
// defaulted on, sorted by decision name, then team: a handful, so sorting is cheap.
func openDecisions(st *State) []openDecision {
	var out []openDecision
	for decision, teams := range st.Put {
		for team := range teams {
			if st.Answered(decision, team) == "" && st.Defaulted(decision, team) == "" {
				out = append(out, openDecision{decision, team})
			}
		}
	}
	slices.SortFunc(out, func(a, b openDecision) int {
		return cmp.Or(cmp.Compare(a.decision, b.decision), cmp.Compare(a.team, b.team))
	})
	return out
}
