package engine

import (
	"context"
	"slices"
	"strings"

	"github.com/ttx-dev/ttx/scenarios"
)

// Input bounds: longer input is rejected, never truncated.
const (
	MaxTextRunes = 4000 // bodies, notes, escalations, observations
	MaxNameRunes = 100  // names, refs, options, capabilities
)

// Ratings are the HSEEP performance ratings an observation may carry.
var Ratings = []string{"P", "S", "M", "U"}

// Response says who answers: the team, the participant's display name and the client's ref,
// and the participant's id (protocol.md v2) when it has one. A repeated ref (RefKeyOf) is
// recorded once: the retry gets the first event again.
//
// Issued is the id a welcome handed to a participant whose hello presented none (Participant
// is then empty): its refs are keyed by name, as in v1, and by Issued as well, so that a
// reconnection presenting the id, as protocol.md asks, still finds them.
type Response struct {
	Team, Name, Ref string
	Participant     string
	Issued          string
}

// Act records that r.Team did a plan action. A team may record another team's action: that is
// a finding for the report, not an error.
func (x *Exercise) Act(ctx context.Context, r Response, action string) (Event, error) {
	return x.respond(ctx, r, ruleAct, func(b *batch) (Event, error) {
		if err := CheckName("action", action, true); err != nil {
			return Event{}, err
		}
		if x.st.ix.actions[action] == nil {
			return Event{}, Errorf(EInvalid, "action: the plan has no action %q", action)
		}
		return x.emit(b, Event{T: b.now, Kind: KindActionRecorded, Team: r.Team, Name: r.Name, Ref: r.Ref, Action: action}), nil
	})
}

// Choose records r.Team's answer to a decision that a delivered inject put to it (v2: a team
// of its decided_by; any other team's answer is refused with an error that names the teams
// that decide). Only the team's first answer counts for scoring; later ones are recorded too.
// (v2) Once the decision's due has passed and the team was given its default, its answer is
// refused.
func (x *Exercise) Choose(ctx context.Context, r Response, decision, option string) (Event, error) {
	return x.respond(ctx, r, ruleChoose, func(b *batch) (Event, error) {
		if err := CheckName("decision", decision, true); err != nil {
			return Event{}, err
		}
		if err := CheckName("option", option, true); err != nil {
			return Event{}, err
		}
		in := x.st.ix.decisions[decision]
		if in == nil {
			return Event{}, Errorf(EInvalid, "decision: the scenario has no decision %q", decision)
		}
		if deciders := x.st.ix.deciders[decision]; !slices.Contains(deciders, r.Team) {
			return Event{}, Errorf(EInvalid, "decision: %s is decided by %s; team %s cannot answer it", decision, strings.Join(deciders, ", "), r.Team)
		}
		if !x.st.Put[decision][r.Team] {
			return Event{}, Errorf(EInvalid, "decision: %s has not been put to team %s", decision, r.Team)
		}
		if !slices.ContainsFunc(in.Decision.Options, func(o scenarios.Option) bool { return o.Key == option }) {
			return Event{}, Errorf(EInvalid, "option: %q is not an option of decision %s; choose one of %s", option, decision, strings.Join(in.Decision.OptionKeys(), ", "))
		}
		if def := x.st.Defaulted(decision, r.Team); def != "" {
			return Event{}, Errorf(EConflict, "decision: the time to answer %s ran out at %s; team %s was given its default, %s",
				decision, x.st.Injects[in.Name].At+in.Decision.Due, r.Team, def)
		}
		return x.emit(b, Event{T: b.now, Kind: KindDecisionAnswered, Team: r.Team, Name: r.Name, Ref: r.Ref, Decision: decision, Option: option}), nil
	})
}

// Escalate sends text from r.Team to another team's feed, and records every action of
// r.Team's whose escalate_to is that team.
func (x *Exercise) Escalate(ctx context.Context, r Response, to, text string) (Event, error) {
	return x.respond(ctx, r, ruleEscalate, func(b *batch) (Event, error) {
		if err := CheckName("to", to, true); err != nil {
			return Event{}, err
		}
		if err := x.checkPlanTeam("to", to); err != nil {
			return Event{}, err
		}
		if to == r.Team {
			return Event{}, Errorf(EInvalid, "to: team %s cannot escalate to itself", to)
		}
		if err := checkText("text", text); err != nil {
			return Event{}, err
		}
		e := x.emit(b, Event{T: b.now, Kind: KindEscalation, Team: r.Team, Name: r.Name, Ref: r.Ref, To: []string{to}, Text: text})
		for _, a := range x.sc.Plan.EscalatedActions(r.Team, []string{to}) {
			x.emit(b, Event{T: b.now, Kind: KindActionRecorded, Team: r.Team, Name: r.Name, Action: a.Name})
		}
		return e, nil
	})
}

// Note records a note of r.Team's, for its own feed and the report.
func (x *Exercise) Note(ctx context.Context, r Response, text string) (Event, error) {
	return x.respond(ctx, r, ruleNote, func(b *batch) (Event, error) {
		if err := checkText("text", text); err != nil {
			return Event{}, err
		}
		return x.emit(b, Event{T: b.now, Kind: KindNote, Team: r.Team, Name: r.Name, Ref: r.Ref, Text: text}), nil
	})
}

// responseRule says which teams may send a kind of response, and when (language.md and
// protocol.md v2): teams in play always; external teams only what control plays for them
// (escalations and notes); after the end only what the hot wash takes.
type responseRule struct {
	what     string // for errors: "record an action"
	external bool   // external teams may send it
	hotWash  bool   // taken after the end too, until Close
}

var (
	ruleAct      = responseRule{what: "record an action"}
	ruleChoose   = responseRule{what: "answer a decision"}
	ruleEscalate = responseRule{what: "escalate", external: true}
	ruleNote     = responseRule{what: "write a note", external: true}
	ruleAnswer   = responseRule{what: "answer a question", hotWash: true}
	ruleFeedback = responseRule{what: "send feedback", hotWash: true}
)

// checkTeam returns an EForbidden error when team may not send a response of rule: an
// external team, unless rule lets it; a team that sits out.
func (x *Exercise) checkTeam(team string, rule responseRule) error {
	switch t := x.st.ix.teams[team]; {
	case t.External && !rule.external:
		return Errorf(EForbidden, "team: %s is an external team: it may escalate and write notes, not %s", team, rule.what)
	case x.sitsOut(t):
		return Errorf(EForbidden, "team: %s is not in play in this exercise", team)
	}
	return nil
}

// checkPlanTeam returns an EInvalid error, under field, when the plan has no team named team.
func (x *Exercise) checkPlanTeam(field, team string) error {
	if x.st.ix.teams[team] == nil {
		return Errorf(EInvalid, "%s: the plan has no team %q", field, team)
	}
	return nil
}

// sitsOut reports whether t is a team of the organisation that is not in play in this
// exercise (an external team is never in play, yet control plays it). The rec's teams and the
// plan never change, so it needs no lock.
func (x *Exercise) sitsOut(t *scenarios.Team) bool {
	return !t.External && !x.inPlay[t.Name]
}

// respond checks what every response shares (the exercise is on, the team exists and may send
// it, the bounds), answers a retry with its first event, and records the rest with fn.
func (x *Exercise) respond(ctx context.Context, r Response, rule responseRule, fn func(b *batch) (Event, error)) (Event, error) {
	if err := CheckName("team", r.Team, true); err != nil {
		return Event{}, err
	}
	if err := CheckName("name", r.Name, false); err != nil {
		return Event{}, err
	}
	if err := CheckName("ref", r.Ref, false); err != nil {
		return Event{}, err
	}
	if err := CheckName("participant", r.Participant, false); err != nil {
		return Event{}, err
	}
	var retry int64
	e, err := x.do(ctx, func(b *batch) (Event, error) {
		b.resp = &r
		if x.st.Status == StatusClosed {
			return Event{}, x.conflictUnless("record a response")
		}
		if r.Ref != "" {
			if seq, ok := x.st.Refs[RefKeyOf(r.Team, r.Name, r.Participant, r.Ref)]; ok {
				retry = seq
				return Event{}, nil
			}
		}
		statuses := []string{StatusRunning, StatusPaused}
		if rule.hotWash {
			statuses = append(statuses, StatusEnded)
		}
		if err := x.conflictUnless("record a response", statuses...); err != nil {
			return Event{}, err
		}
		if err := x.checkBudget(r); err != nil {
			return Event{}, err
		}
		if err := x.checkPlanTeam("team", r.Team); err != nil {
			return Event{}, err
		}
		if err := x.checkTeam(r.Team, rule); err != nil {
			return Event{}, err
		}
		return fn(b)
	})
	if err == nil && retry > 0 {
		return x.log.committed(ctx, retry)
	}
	return e, err
}

// AdHoc delivers an inject the facilitator wrote, now, to the teams in to.
func (x *Exercise) AdHoc(ctx context.Context, to []string, in AdHocInject) (Event, error) {
	if len(to) == 0 {
		return Event{}, Errorf(EInvalid, "to: name at least one team")
	}
	if !slices.Contains(scenarios.Channels, in.Channel) {
		return Event{}, Errorf(EInvalid, "channel: %q is not a channel; use one of %s", in.Channel, strings.Join(scenarios.Channels, ", "))
	}
	if err := CheckName("from", in.From, false); err != nil {
		return Event{}, err
	}
	if err := checkText("subject", in.Subject); err != nil {
		return Event{}, err
	}
	if in.Body != "" {
		if err := checkText("body", in.Body); err != nil {
			return Event{}, err
		}
	}
	return x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("send an inject", StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		var teams []string
		for _, team := range to {
			if err := x.checkPlanTeam("to", team); err != nil {
				return Event{}, err
			}
			if !slices.Contains(teams, team) {
				teams = append(teams, team)
			}
		}
		content := in
		return x.emit(b, Event{T: b.now, Kind: KindInjectDelivered, To: teams, AdHoc: &content}), nil
	})
}

// Observation is what a facilitator or evaluator records about the play: a text with its
// HSEEP rating (P, S, M or U), the capability it is about, who recorded it (By: the role) and
// (v2) optionally the team it is about.
type Observation struct {
	Text       string
	Capability string
	Rating     string
	By         string // the role that recorded it, such as "facilitator" or "evaluator"
	Team       string // optional; a team of the plan
}

// Observe records an observation. It is taken while the exercise runs or is paused and (v2)
// in the hot wash after the end, stamped with the end's time.
func (x *Exercise) Observe(ctx context.Context, o Observation) (Event, error) {
	if err := checkText("text", o.Text); err != nil {
		return Event{}, err
	}
	if err := CheckName("capability", o.Capability, false); err != nil {
		return Event{}, err
	}
	if !slices.Contains(Ratings, o.Rating) {
		return Event{}, Errorf(EInvalid, "rating: %q is not a rating; use P, S, M or U", o.Rating)
	}
	if err := CheckName("by", o.By, true); err != nil {
		return Event{}, err
	}
	if err := CheckName("team", o.Team, false); err != nil {
		return Event{}, err
	}
	return x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("record an observation", StatusRunning, StatusPaused, StatusEnded); err != nil {
			return Event{}, err
		}
		if o.Team != "" {
			if err := x.checkPlanTeam("team", o.Team); err != nil {
				return Event{}, err
			}
		}
		return x.emit(b, Event{T: b.now, Kind: KindObservation, Text: o.Text, Capability: o.Capability, Rating: o.Rating, By: o.By, Team: o.Team}), nil
	})
}

// Answer records r.Team's free-text answer to a discussion question (v2), by its ID
// ("module.NAME.N" or "inject.NAME.N"): a module's question once that module has started, an
// inject's once that inject was delivered to the team. A team answers as often as it likes;
// answers are taken in the hot wash too.
func (x *Exercise) Answer(ctx context.Context, r Response, question, text string) (Event, error) {
	return x.respond(ctx, r, ruleAnswer, func(b *batch) (Event, error) {
		if err := CheckName("question", question, true); err != nil {
			return Event{}, err
		}
		if err := checkText("text", text); err != nil {
			return Event{}, err
		}
		src, ok := x.st.ix.questions[question]
		if !ok {
			return Event{}, Errorf(EInvalid, "question: the scenario has no question %q", question)
		}
		switch {
		case src.module != nil:
			if _, started := x.st.ModuleStarts[src.module.Name]; !started {
				return Event{}, Errorf(EInvalid, "question: %s has not been put yet: module %s starts at %s", question, src.module.Name, src.module.At)
			}
		case !x.st.Injects[src.inject.Name].Delivered || !slices.Contains(src.inject.To, r.Team):
			return Event{}, Errorf(EInvalid, "question: %s has not been put to team %s", question, r.Team)
		}
		return x.emit(b, Event{T: b.now, Kind: KindAnswerRecorded, Team: r.Team, Name: r.Name, Ref: r.Ref, Question: question, Text: text}), nil
	})
}
