package scoring

import (
	"fmt"
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
				Evidence: gapEvidence(it, kind),
			})
		}
	}
	return out
}

// gapEvidence is the part of an item's evidence that shows one gap: the trigger (or delivery)
// and the record (or answer, or the end); an order gap adds the late prerequisites' records.
func gapEvidence(it Item, kind string) []int64 {
	if kind == GapOutOfOrder || len(it.Evidence) <= 2 {
		return append([]int64{}, it.Evidence...)
	}
	return append([]int64{}, it.Evidence[:2]...)
}

func (s *scoring) gapDetail(it Item, kind string) string {
	d := func(p *Duration) time.Duration {
		if p == nil {
			return 0
		}
		return time.Duration(*p)
	}
	name := it.ID
	if it.Title != "" && it.Kind == KindAction {
		name = fmt.Sprintf("%s (%q)", it.ID, it.Title)
	}
	switch kind {
	case GapLate:
		return fmt.Sprintf("The plan expects %s to do %s within %s of its trigger at %s, by %s; %s recorded it at %s, %s late.",
			it.Team, name, d(it.Due), it.TriggeredAt, d(it.Deadline), it.By, d(it.DoneAt), d(it.DoneAt)-d(it.Deadline))
	case GapWrongOwner:
		return fmt.Sprintf("The plan gives %s to %s; %s never recorded it, and %s did at %s.",
			name, it.Team, it.Team, it.By, d(it.DoneAt))
	case GapOutOfOrder:
		a := s.actions[it.ID]
		var parts []string
		if a != nil {
			for _, p := range s.prerequisitesMissing(a, d(it.DoneAt)) {
				if rs := s.records[p]; len(rs) > 0 {
					parts = append(parts, fmt.Sprintf("%s was only recorded at %s", p, rs[0].t))
				} else {
					parts = append(parts, fmt.Sprintf("%s was never recorded", p))
				}
			}
		}
		return fmt.Sprintf("The plan expects %s after %s; %s recorded it at %s, when %s.",
			it.ID, strings.Join(afterOf(a), ", "), it.By, d(it.DoneAt), strings.Join(parts, " and "))
	case GapMissed:
		if it.Kind == KindDecision {
			return fmt.Sprintf("The plan expects %s to answer decision %s (expected %q) put to it at %s; it gave no answer before %s.",
				it.Team, it.ID, it.Expected, it.TriggeredAt, s.endPhrase())
		}
		return fmt.Sprintf("The plan expects %s to do %s within %s of its trigger at %s, by %s; nobody recorded it before %s.",
			it.Team, name, d(it.Due), it.TriggeredAt, d(it.Deadline), s.endPhrase())
	case GapWrongChoice:
		return fmt.Sprintf("The plan expects %s to answer %q to decision %s; it answered %q at %s.",
			it.Team, it.Expected, it.ID, it.Answer, d(it.DoneAt))
	}
	return kind
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
				it.Team, it.Answer, it.ID, time.Duration(*it.DoneAt))
		} else {
			detail = fmt.Sprintf("%s did %s at %s, within its deadline of %s.",
				it.By, it.ID, time.Duration(*it.DoneAt), time.Duration(*it.Deadline))
		}
		out = append(out, Strength{
			Item: it.ID, ItemKind: it.Kind, Team: it.Team, Capability: it.Capability,
			Detail: detail, Evidence: append([]int64{}, it.Evidence...),
		})
	}
	return out
}

// improvementPlan proposes one corrective action per gap, with the HSEEP element that fits the
// kind of gap: lateness is trained away, a wrong owner is a question of organisation, a
// missed or out-of-order step needs the plan to make its trigger or sequence explicit.
func (s *scoring) improvementPlan(gaps []Gap) []CorrectiveAction {
	out := []CorrectiveAction{}
	for _, g := range gaps {
		ca := CorrectiveAction{Item: g.Item, Gap: g.Kind, Capability: g.Capability, Responsible: g.Team}
		title := g.Item
		a := s.actions[g.Item]
		if g.ItemKind != KindAction || a == nil {
			a = &scenarios.Action{Name: g.Item}
		}
		if a.Title != "" {
			title = a.Title
		}
		switch {
		case g.Kind == GapLate:
			ca.Element = ElementTraining
			ca.Area = fmt.Sprintf("Timeliness: %s", title)
			ca.Action = fmt.Sprintf("Drill %s on %s until it is done within %s of its trigger.", g.Team, g.Item, a.Due)
			if a.Fixed {
				ca.Action += " The deadline is fixed (legal): the procedure must meet it."
			} else {
				ca.Action += " If the deadline cannot be met, review it in the plan."
			}
		case g.Kind == GapWrongOwner:
			ca.Element = ElementOrganisation
			ca.Area = fmt.Sprintf("Ownership: %s", title)
			ca.Action = fmt.Sprintf("Confirm who owns %s: brief %s on its responsibility and the team that stepped in on the hand-over, or reassign it in the plan.", g.Item, g.Team)
		case g.Kind == GapOutOfOrder:
			ca.Element = ElementPlanning
			ca.Area = fmt.Sprintf("Sequence: %s", title)
			ca.Action = fmt.Sprintf("Add a checklist to %s's playbook so that %s is done before %s.", g.Team, strings.Join(afterOf(a), ", "), g.Item)
		case g.Kind == GapMissed && g.ItemKind == KindAction:
			ca.Element = ElementPlanning
			ca.Area = fmt.Sprintf("Not performed: %s", title)
			ca.Action = fmt.Sprintf("Make the trigger of %s explicit in %s's playbook (who starts it, on what signal) and train the team on it.", g.Item, g.Team)
		case g.Kind == GapMissed:
			ca.Element = ElementOrganisation
			ca.Area = fmt.Sprintf("Decision not taken: %s", g.Item)
			ca.Action = fmt.Sprintf("Name who in %s decides %s, with a deputy, and how the decision is recorded.", g.Team, g.Item)
		case g.Kind == GapWrongChoice:
			ca.Element = ElementTraining
			ca.Area = fmt.Sprintf("Decision criteria: %s", g.Item)
			ca.Action = fmt.Sprintf("Brief %s on the plan's criteria for %s, or document in the plan why another answer is now preferred.", g.Team, g.Item)
		}
		out = append(out, ca)
	}
	return out
}
