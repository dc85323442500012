package scenarios

import (
	"slices"
)

// warnCoverage warns of what loads but will not play as the author meant (language.md v2):
// plan actions the scenario can never trigger, deadlines that can never be missed, and teams
// the scenario never addresses. Each warning names the scenario, since a plan serves several.
func (p *problems) warnCoverage(d *scenarioDraft, ix *planIndex) {
	p.warnUntriggered(d.scenario, ix.plan)
	p.warnDeadlinesPastEnd(d, ix.plan)
	p.warnTeamsNotAddressed(d.scenario, ix.plan)
}

// warnUntriggered warns, at the action, of each plan action that no inject of s triggers and
// whose on_severity is above every severity s can reach: the plan's lowest and every inject's
// severity.
func (p *problems) warnUntriggered(s *Scenario, plan *Plan) {
	if len(plan.Severities) == 0 {
		return
	}
	levels := make(map[string]*Severity, len(plan.Severities))
	for _, sev := range plan.Severities {
		levels[sev.Name] = sev
	}
	highest := plan.Severities[0]
	triggered := map[string]bool{}
	for _, in := range s.Injects {
		if sev := levels[in.Severity]; sev != nil && sev.Level > highest.Level {
			highest = sev
		}
		for _, a := range in.Triggers {
			triggered[a] = true
		}
	}
	for _, a := range plan.Actions {
		if triggered[a.Name] {
			continue
		}
		// An action without on_severity is triggered only by an inject's triggers, and a
		// scenario may leave it out on purpose (scoring.md: not in play); the warning is for an
		// on_severity the scenario never reaches (language.md v2).
		if on := levels[a.OnSeverity]; on != nil && on.Level > highest.Level {
			p.warnf(a.DeclRange, "Action never triggered",
				"In scenario %q, nothing triggers action %q: no inject's triggers names it, and its on_severity, %s (level %d), is above every severity the scenario reaches (at most %s, level %d). Add it to an inject's triggers, or give an inject severity = severity.%s.",
				s.Name, a.Name, on.Name, on.Level, highest.Name, highest.Level, on.Name)
		}
	}
}

// warnDeadlinesPastEnd warns, at the trigger, of each action an at inject triggers whose
// deadline (at + due) lies past the scenario's duration: it can never be missed, and stays
// open when nobody records it.
func (p *problems) warnDeadlinesPastEnd(d *scenarioDraft, plan *Plan) {
	s := d.scenario
	if s.Duration <= 0 {
		return
	}
	actions := make(map[string]*Action, len(plan.Actions))
	for _, a := range plan.Actions {
		actions[a.Name] = a
	}
	for _, r := range d.refs {
		in := r.inject
		if !in.HasAt {
			continue
		}
		for _, t := range r.triggers {
			a := actions[t.Name]
			if a == nil || !slices.Contains(in.Triggers, a.Name) || in.At+a.Due <= s.Duration {
				continue
			}
			p.warnf(t.Range, "Deadline past the end",
				"In scenario %q, inject %q at %s triggers action %q, due %s later: its deadline, %s, lies past the end (%s), so it can never be missed; unrecorded, it stays open. Trigger it earlier, or lengthen duration.",
				s.Name, in.Name, in.At, a.Name, a.Due, in.At+a.Due, s.Duration)
		}
	}
}

// warnTeamsNotAddressed warns, at the team, of each team of the plan, not external, that no
// inject of s is sent to.
func (p *problems) warnTeamsNotAddressed(s *Scenario, plan *Plan) {
	addressed := map[string]bool{}
	for _, in := range s.Injects {
		for _, t := range in.To {
			addressed[t] = true
		}
	}
	for _, t := range plan.Teams {
		if !t.External && !addressed[t.Name] {
			p.warnf(t.DeclRange, "Team sent no inject",
				"In scenario %q, no inject is sent to team %q, so it has nothing to respond to. Add team.%s to the to of an inject, or leave the team out of the exercise.",
				s.Name, t.Name, t.Name)
		}
	}
}
