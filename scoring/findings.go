package scoring

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// gaps lists every gap of the items, in item order, each with what the plan expected, what
// happened, and the events that show it.
func (s *scoring) gaps(items []Item) []Gap {
	out := []Gap{}
	for _, it := range items {
		for _, kind := range it.Gaps {
			out = append(out, Gap{
				Item: it.ID, ItemKind: it.Kind, Team: it.Team, Kind: kind,
				Capability: it.Capability, Phase: it.Phase,
				Detail:   s.gapDetail(it, kind),
				Evidence: s.gapEvidence(it, kind),
			})
		}
	}
	return out
}

// gapEvidence is the part of an item's evidence that shows one gap: the trigger (or delivery)
// and the record (or answer, default, or the end); an order gap adds the late prerequisites'
// records, a prompted one the prompting inject's delivery.
func (s *scoring) gapEvidence(it Item, kind string) []int64 {
	base := append([]int64{}, it.Evidence[:min(2, len(it.Evidence))]...)
	a := s.actions[it.ID]
	if it.Kind != KindAction || a == nil || it.DoneAt == nil {
		return base
	}
	rec := ActionRecord{Team: it.By, T: time.Duration(*it.DoneAt)}
	switch kind {
	case GapOutOfOrder:
		base = append(base, s.firstRecords(s.prerequisitesMissing(a, rec.T))...)
	case GapPrompted:
		if e, ok := s.prompt(a.Name, rec); ok {
			base = append(base, e.Seq)
		}
	}
	return base
}

// gapDetail says, for a reader of the report, what the plan expected and what happened:
// teams and actions by their titles, simulated times to the second (scoring.md v2).
func (s *scoring) gapDetail(it Item, kind string) string {
	at := func(p *Duration) string { return HumanTime(durOf(p)) }
	span := func(p *Duration) string { return HumanDuration(durOf(p)) }
	team, by := s.teamTitle(it.Team), s.teamTitle(it.By)
	name := it.ID
	if it.Title != "" && it.Kind == KindAction {
		name = fmt.Sprintf("%q", it.Title)
	}
	trig := HumanTime(time.Duration(it.TriggeredAt))
	lateBy := HumanDuration(durOf(it.DoneAt) - durOf(it.Deadline))
	switch {
	case kind == GapLate && it.Kind == KindDecision:
		return fmt.Sprintf("The plan expects %s to answer decision %s within %s of its delivery at %s, by %s; it answered at %s, %s late: the credit is halved.",
			team, it.ID, span(it.Due), trig, at(it.Deadline), at(it.DoneAt), lateBy)
	case kind == GapLate:
		return fmt.Sprintf("The plan expects %s to do %s within %s of its trigger at %s, by %s; %s recorded it at %s, %s late.",
			team, name, span(it.Due), trig, at(it.Deadline), by, at(it.DoneAt), lateBy)
	case kind == GapWrongOwner:
		return fmt.Sprintf("The plan gives %s to %s; %s never recorded it, and %s did at %s.",
			name, team, team, by, at(it.DoneAt))
	case kind == GapPrompted:
		return fmt.Sprintf("%s recorded %s at %s only after an inject told it to: the credit is halved.",
			by, name, at(it.DoneAt))
	case kind == GapOutOfOrder:
		a := s.actions[it.ID]
		var parts, after []string
		if a != nil {
			for _, p := range s.prerequisitesMissing(a, durOf(it.DoneAt)) {
				if rs := s.records[p]; len(rs) > 0 {
					parts = append(parts, fmt.Sprintf("%s was only recorded at %s", s.actionTitle(p), HumanTime(rs[0].T)))
				} else {
					parts = append(parts, fmt.Sprintf("%s was never recorded", s.actionTitle(p)))
				}
			}
			for _, p := range a.After {
				after = append(after, s.actionTitle(p))
			}
		}
		return fmt.Sprintf("The plan expects %s after %s; %s recorded it at %s, when %s.",
			name, strings.Join(after, ", "), by, at(it.DoneAt), strings.Join(parts, " and "))
	case kind == GapMissed && it.Defaulted:
		return fmt.Sprintf("The plan expects %s to answer decision %s within %s of its delivery at %s; it had not answered by %s, and its default %q was recorded for it.",
			team, it.ID, span(it.Due), trig, at(it.Deadline), it.Answer)
	case kind == GapMissed && it.Kind == KindDecision:
		return fmt.Sprintf("The plan expects %s to answer decision %s%s put to it at %s; it gave no answer before %s.",
			team, it.ID, expectedPhrase(it.Expected), trig, s.endPhrase())
	case kind == GapMissed:
		return fmt.Sprintf("The plan expects %s to do %s within %s of its trigger at %s, by %s; nobody recorded it before %s.",
			team, name, span(it.Due), trig, at(it.Deadline), s.endPhrase())
	case kind == GapPartial:
		return fmt.Sprintf("%s answered %q to decision %s at %s, an option the plan gives partial credit%s.",
			team, it.Answer, it.ID, at(it.DoneAt), expectedPhrase(it.Expected))
	case kind == GapWrongChoice && it.Expected == "":
		return fmt.Sprintf("%s answered %q to decision %s at %s, an option the plan gives no credit.",
			team, it.Answer, it.ID, at(it.DoneAt))
	case kind == GapWrongChoice:
		return fmt.Sprintf("The plan expects %s to answer %q to decision %s; it answered %q at %s.",
			team, it.Expected, it.ID, it.Answer, at(it.DoneAt))
	}
	return kind
}

// teamTitle is a team's title, else its name.
func (s *scoring) teamTitle(name string) string {
	if t := s.teams[name]; t != nil && t.Title != "" {
		return t.Title
	}
	return name
}

// actionTitle is an action's title, quoted, else its name.
func (s *scoring) actionTitle(name string) string {
	if a := s.actions[name]; a != nil && a.Title != "" {
		return fmt.Sprintf("%q", a.Title)
	}
	return name
}

func expectedPhrase(expected string) string {
	if expected == "" {
		return ""
	}
	return fmt.Sprintf(" (expected %q)", expected)
}

func afterOf(a *scenarios.Action) []string {
	if a == nil {
		return nil
	}
	return a.After
}

// strengths lists the items done exactly as the plan expects.
func (s *scoring) strengths(items []Item) []Strength {
	out := []Strength{}
	for _, it := range items {
		if !it.Scored() || *it.Credit != 1 {
			continue
		}
		var detail string
		if it.Kind == KindDecision {
			detail = fmt.Sprintf("%s answered %q to decision %s at %s, as the plan expects.",
				s.teamTitle(it.Team), it.Answer, it.ID, HumanTime(durOf(it.DoneAt)))
		} else {
			detail = fmt.Sprintf("%s did %s at %s, within its deadline of %s.",
				s.teamTitle(it.By), s.actionTitle(it.ID), HumanTime(durOf(it.DoneAt)), HumanTime(durOf(it.Deadline)))
		}
		out = append(out, Strength{
			Item: it.ID, ItemKind: it.Kind, Team: it.Team, Capability: it.Capability,
			Detail: detail, Evidence: append([]int64{}, it.Evidence...),
		})
	}
	return out
}

// planRow is one row of the improvement plan being built: one item and gap kind, across the
// deciding teams of a decision.
type planRow struct {
	first Item
	kind  string
	teams []string
	lost  *big.Rat
	place int
}

// improvementPlan proposes one corrective action per item and gap kind, the items of one
// decision across teams in one row, ordered by the credit the gap lost (Σ weight × (1 −
// credit)), highest first, then by the item's place in the files (the plan's actions, then
// the scenario's decisions), then by GapOrder. The HSEEP element fits the kind of gap:
// lateness is trained away, a wrong owner is a question of organisation, a missed or
// out-of-order step needs the plan to make its trigger or sequence explicit. Each says why
// the plan itself was not changed.
func (s *scoring) improvementPlan(items []Item) []CorrectiveAction {
	place := s.filePlaces()
	var rows []*planRow
	byKey := map[string]*planRow{}
	for _, it := range items {
		if !it.Scored() {
			continue
		}
		for _, kind := range it.Gaps {
			key := it.Kind + "\x00" + it.ID + "\x00" + kind
			row := byKey[key]
			if row == nil {
				row = &planRow{first: it, kind: kind, lost: new(big.Rat), place: place[it.Kind+"\x00"+it.ID]}
				byKey[key] = row
				rows = append(rows, row)
			}
			if !slices.Contains(row.teams, it.Team) {
				row.teams = append(row.teams, it.Team)
			}
			row.lost.Add(row.lost, CreditLost(*it.Credit, it.Weight))
		}
	}
	slices.SortStableFunc(rows, func(a, b *planRow) int {
		if c := b.lost.Cmp(a.lost); c != 0 {
			return c
		}
		if a.place != b.place {
			return cmp.Compare(a.place, b.place)
		}
		return cmp.Compare(slices.Index(GapOrder, a.kind), slices.Index(GapOrder, b.kind))
	})
	out := []CorrectiveAction{}
	for _, row := range rows {
		out = append(out, s.correctiveAction(row))
	}
	return out
}

// filePlaces numbers the items' sources in file order: the plan's actions, then the
// scenario's decisions in inject order.
func (s *scoring) filePlaces() map[string]int {
	place := map[string]int{}
	for _, a := range s.plan.Actions {
		place[KindAction+"\x00"+a.Name] = len(place)
	}
	for _, inj := range s.sc.Injects {
		if inj.Decision != nil {
			place[KindDecision+"\x00"+inj.Decision.Name] = len(place)
		}
	}
	return place
}

// correctiveAction writes the improvement plan's row for one item and gap kind.
func (s *scoring) correctiveAction(row *planRow) CorrectiveAction {
	it := row.first
	ca := CorrectiveAction{Item: it.ID, ItemKind: it.Kind, Gap: row.kind, Capability: it.Capability,
		Teams: row.teams, Responsible: row.teams[0], CreditLost: ratFloat(row.lost)}
	var titles []string
	for _, t := range row.teams {
		titles = append(titles, s.teamTitle(t))
	}
	team, teams := titles[0], strings.Join(titles, ", ")
	title := it.ID
	a := s.actions[it.ID]
	if it.Kind != KindAction || a == nil {
		a = &scenarios.Action{Name: it.ID}
	}
	if a.Title != "" {
		title = a.Title
	}
	name := s.actionTitle(it.ID)
	due := HumanDuration(durOf(it.Due))
	var after []string
	for _, p := range afterOf(s.actions[it.ID]) {
		after = append(after, s.actionTitle(p))
	}
	const evidenceRule = " The plan is not changed on one exercise: ttx revise changes it only when the same gap is seen in at least 2 exercises."
	switch {
	case row.kind == GapLate && it.Kind == KindDecision:
		ca.Element = ElementTraining
		ca.Area = fmt.Sprintf("Timeliness: decision %s", it.ID)
		ca.Action = fmt.Sprintf("Rehearse how %s takes decision %s within its %s, with who convenes and who decides. The plan is not changed: ttx revise never changes a decision's deadline.", teams, it.ID, due)
	case row.kind == GapLate:
		ca.Element = ElementTraining
		ca.Area = fmt.Sprintf("Timeliness: %s", title)
		ca.Action = fmt.Sprintf("Drill %s on %s until it is done within %s of its trigger.", team, name, due)
		switch {
		case a.Fixed:
			ca.Action += " The plan is not changed: the deadline is fixed (a legal deadline), and the procedure must meet it."
		case a.Critical:
			ca.Action += " The plan is not changed: this is a safety-critical step, whose deadline is never relaxed."
		default:
			ca.Action += " If the deadline cannot be met, review it in the plan." + evidenceRule
		}
	case row.kind == GapWrongOwner:
		ca.Element = ElementOrganisation
		ca.Area = fmt.Sprintf("Ownership: %s", title)
		ca.Action = fmt.Sprintf("Confirm who owns %s: brief %s on its responsibility and the team that stepped in on the hand-over, or reassign it in the plan.", name, team) + evidenceRule
	case row.kind == GapPrompted:
		ca.Element = ElementTraining
		ca.Area = fmt.Sprintf("Initiative: %s", title)
		ca.Action = fmt.Sprintf("Train %s to start %s on its own signal, without being told: the scenario had to prompt it. The plan is not changed: the step is right, the team needs it in hand.", team, name)
	case row.kind == GapOutOfOrder:
		ca.Element = ElementPlanning
		ca.Area = fmt.Sprintf("Sequence: %s", title)
		ca.Action = fmt.Sprintf("Add a checklist to %s's playbook so that %s is done before %s. The plan is not changed: its order is right, the playbook should carry it.", team, strings.Join(after, ", "), name)
	case row.kind == GapMissed && it.Kind == KindAction:
		ca.Element = ElementPlanning
		ca.Area = fmt.Sprintf("Not performed: %s", title)
		ca.Action = fmt.Sprintf("Make the trigger of %s explicit in %s's playbook (who starts it, on what signal) and train the team on it. The plan is not changed: a step not done is not a step to drop.", name, team)
	case row.kind == GapMissed:
		ca.Element = ElementOrganisation
		ca.Area = fmt.Sprintf("Decision not taken: %s", it.ID)
		ca.Action = fmt.Sprintf("Name who in %s decides %s, with a deputy, and how the decision is recorded. The plan is not changed: a decision not taken is a question of who takes it.", teams, it.ID)
	case row.kind == GapPartial:
		ca.Element = ElementTraining
		ca.Area = fmt.Sprintf("Decision criteria: %s", it.ID)
		ca.Action = fmt.Sprintf("Go through the options of %s with %s and why the plan prefers one. The plan is not changed: its criteria stand until the organisation revises them.", it.ID, teams)
	case row.kind == GapWrongChoice:
		ca.Element = ElementTraining
		ca.Area = fmt.Sprintf("Decision criteria: %s", it.ID)
		ca.Action = fmt.Sprintf("Brief %s on the plan's criteria for %s, or document in the plan why another answer is now preferred. The plan is not changed by an exercise's answer.", teams, it.ID)
	}
	return ca
}

func durOf(d *Duration) time.Duration {
	if d == nil {
		return 0
	}
	return time.Duration(*d)
}
