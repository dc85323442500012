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
type Response struct {
	Team, Name, Ref string
	Participant     string
}

// Act records that r.Team did a plan action. A team may record another team's action: that is
// a finding for the report, not an error.
func (x *Exercise) Act(ctx context.Context, r Response, action string) (Event, error) {
	return x.respond(ctx, r, func(b *batch) (Event, error) {
		if err := checkName("action", action, true); err != nil {
			return Event{}, err
		}
		if x.st.ix.actions[action] == nil {
			return Event{}, Errorf(EInvalid, "action: the plan has no action %q", action)
		}
		return x.emit(b, Event{T: b.now, Kind: KindActionRecorded, Team: r.Team, Name: r.Name, Ref: r.Ref, Action: action}), nil
	})
}

// Choose records r.Team's answer to a decision that a delivered inject put to it. Only the
// team's first answer counts for scoring; later ones are recorded too.
func (x *Exercise) Choose(ctx context.Context, r Response, decision, option string) (Event, error) {
	return x.respond(ctx, r, func(b *batch) (Event, error) {
		if err := checkName("decision", decision, true); err != nil {
			return Event{}, err
		}
		if err := checkName("option", option, true); err != nil {
			return Event{}, err
		}
		in := x.st.ix.decisions[decision]
		if in == nil {
			return Event{}, Errorf(EInvalid, "decision: the scenario has no decision %q", decision)
		}
		if !x.st.Put[decision][r.Team] {
			return Event{}, Errorf(EInvalid, "decision: %s has not been put to team %s", decision, r.Team)
		}
		if !slices.ContainsFunc(in.Decision.Options, func(o scenarios.Option) bool { return o.Key == option }) {
			return Event{}, Errorf(EInvalid, "option: %q is not an option of decision %s; choose one of %s", option, decision, optionKeys(in.Decision))
		}
		return x.emit(b, Event{T: b.now, Kind: KindDecisionAnswered, Team: r.Team, Name: r.Name, Ref: r.Ref, Decision: decision, Option: option}), nil
	})
}

// Escalate sends text from r.Team to another team's feed, and records every action of
// r.Team's whose escalate_to is that team.
func (x *Exercise) Escalate(ctx context.Context, r Response, to, text string) (Event, error) {
	return x.respond(ctx, r, func(b *batch) (Event, error) {
		if err := checkName("to", to, true); err != nil {
			return Event{}, err
		}
		if x.st.ix.teams[to] == nil {
			return Event{}, Errorf(EInvalid, "to: the plan has no team %q", to)
		}
		if to == r.Team {
			return Event{}, Errorf(EInvalid, "to: team %s cannot escalate to itself", to)
		}
		if err := checkText("text", text); err != nil {
			return Event{}, err
		}
		e := x.emit(b, Event{T: b.now, Kind: KindEscalation, Team: r.Team, Name: r.Name, Ref: r.Ref, To: []string{to}, Text: text})
		for _, a := range x.sc.Plan.Actions {
			if a.Owner == r.Team && a.EscalateTo == to {
				x.emit(b, Event{T: b.now, Kind: KindActionRecorded, Team: r.Team, Name: r.Name, Action: a.Name})
			}
		}
		return e, nil
	})
}

// Note records a note of r.Team's, for its own feed and the report.
func (x *Exercise) Note(ctx context.Context, r Response, text string) (Event, error) {
	return x.respond(ctx, r, func(b *batch) (Event, error) {
		if err := checkText("text", text); err != nil {
			return Event{}, err
		}
		return x.emit(b, Event{T: b.now, Kind: KindNote, Team: r.Team, Name: r.Name, Ref: r.Ref, Text: text}), nil
	})
}

// respond checks what every response shares (the exercise is on, the team exists, the
// bounds), answers a retry with its first event, and records the rest with fn.
func (x *Exercise) respond(ctx context.Context, r Response, fn func(b *batch) (Event, error)) (Event, error) {
	if err := checkName("team", r.Team, true); err != nil {
		return Event{}, err
	}
	if err := checkName("name", r.Name, false); err != nil {
		return Event{}, err
	}
	if err := checkName("ref", r.Ref, false); err != nil {
		return Event{}, err
	}
	if err := checkName("participant", r.Participant, false); err != nil {
		return Event{}, err
	}
	var retry int64
	e, err := x.do(ctx, func(b *batch) (Event, error) {
		b.resp = &r
		if r.Ref != "" {
			if seq, ok := x.st.Refs[RefKeyOf(r.Team, r.Name, r.Participant, r.Ref)]; ok {
				retry = seq
				return Event{}, nil
			}
		}
		if err := x.conflictUnless("record a response", StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		if err := x.checkBudget(r); err != nil {
			return Event{}, err
		}
		if x.st.ix.teams[r.Team] == nil {
			return Event{}, Errorf(EInvalid, "team: the plan has no team %q", r.Team)
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
	if err := checkName("from", in.From, false); err != nil {
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
			if x.st.ix.teams[team] == nil {
				return Event{}, Errorf(EInvalid, "to: the plan has no team %q", team)
			}
			if !slices.Contains(teams, team) {
				teams = append(teams, team)
			}
		}
		content := in
		return x.emit(b, Event{T: b.now, Kind: KindInjectDelivered, To: teams, AdHoc: &content}), nil
	})
}

// Observe records a facilitator's observation with its HSEEP rating (P, S, M or U).
func (x *Exercise) Observe(ctx context.Context, text, capability, rating string) (Event, error) {
	if err := checkText("text", text); err != nil {
		return Event{}, err
	}
	if err := checkName("capability", capability, false); err != nil {
		return Event{}, err
	}
	if !slices.Contains(Ratings, rating) {
		return Event{}, Errorf(EInvalid, "rating: %q is not a rating; use P, S, M or U", rating)
	}
	return x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("record an observation", StatusRunning, StatusPaused); err != nil {
			return Event{}, err
		}
		return x.emit(b, Event{T: b.now, Kind: KindObservation, Text: text, Capability: capability, Rating: rating}), nil
	})
}

func optionKeys(d *scenarios.Decision) string {
	keys := make([]string, len(d.Options))
	for i, o := range d.Options {
		keys[i] = o.Key
	}
	return strings.Join(keys, ", ")
}
