package engine

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// FeedbackStatements are the keys of a Feedback's ratings (protocol.md v2), the statements of
// HSEEP's participant feedback form: the exercise was well structured; the scenario was
// realistic; the facilitation kept it on target; the right people took part; it increased my
// understanding of our plan and resources; it let us make the significant decisions.
var FeedbackStatements = []string{"structured", "realistic", "facilitated", "right_people", "understanding", "decisions"}

// Feedback ratings run from MinFeedbackRating to MaxFeedbackRating.
const (
	MinFeedbackRating = 1
	MaxFeedbackRating = 5
)

// Feedback records a participant's feedback form in the hot wash (v2): only after the end and
// before Close, once per participant (FeedbackKey); a second form is refused. Ratings are keyed
// by FeedbackStatements, each 1–5, any left out; the texts may be empty.
func (x *Exercise) Feedback(ctx context.Context, r Response, fb Feedback) (Event, error) {
	if err := checkFeedback(fb); err != nil {
		return Event{}, err
	}
	return x.respond(ctx, r, ruleFeedback, func(b *batch) (Event, error) {
		if x.st.Status != StatusEnded {
			return Event{}, Errorf(EConflict, "cannot send feedback: the exercise has not ended yet")
		}
		e := Event{T: b.now, Kind: KindFeedbackRecorded, Team: r.Team, Name: r.Name, Ref: r.Ref, Participant: r.Participant, Issued: r.Issued}
		if _, sent := x.st.FeedbackFrom[FeedbackKey(e)]; sent {
			return Event{}, Errorf(EConflict, "feedback: %s of team %s has already sent feedback; it is taken once", displayName(r.Name), r.Team)
		}
		content := fb
		content.Ratings = maps.Clone(fb.Ratings)
		e.Feedback = &content
		return x.emit(b, e), nil
	})
}

func displayName(name string) string {
	if name == "" {
		return "this participant"
	}
	return name
}

func checkFeedback(fb Feedback) error {
	for _, key := range slices.Sorted(maps.Keys(fb.Ratings)) {
		if !slices.Contains(FeedbackStatements, key) {
			if err := CheckName("ratings", key, true); err != nil {
				return err // and a key of any length is not quoted back
			}
			return Errorf(EInvalid, "ratings: %q is not a statement of the form; use %s", key, strings.Join(FeedbackStatements, ", "))
		}
		if v := fb.Ratings[key]; v < MinFeedbackRating || v > MaxFeedbackRating {
			return Errorf(EInvalid, "ratings: %s is rated %d; ratings run from %d to %d", key, v, MinFeedbackRating, MaxFeedbackRating)
		}
	}
	for _, f := range []struct{ field, v string }{{"strengths", fb.Strengths}, {"improvements", fb.Improvements}, {"comment", fb.Comment}} {
		if f.v == "" {
			continue
		}
		if err := checkText(f.field, f.v); err != nil {
			return err
		}
	}
	return nil
}

// TeamJoined records that a team's first participant joined (v2: team_joined), once per team;
// the web calls it at every hello, so a team that has joined, or an exercise that is closed,
// records nothing. EInvalid for a team the plan does not have.
func (x *Exercise) TeamJoined(ctx context.Context, team string) error {
	if err := CheckName("team", team, true); err != nil {
		return err
	}
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.checkPlanTeam("team", team); err != nil {
			return Event{}, err
		}
		if _, joined := x.st.Joined[team]; joined || x.st.Status == StatusClosed {
			return Event{}, nil
		}
		return x.emit(b, Event{T: b.now, Kind: KindTeamJoined, Team: team}), nil
	})
	return err
}

// MarkPlayed records the facilitator's word that a team played (v2: team_marked_played), for
// a team nobody joined online; once per team, a second mark records nothing. EInvalid for a
// team the plan does not have or an external one; EConflict once the exercise is closed.
func (x *Exercise) MarkPlayed(ctx context.Context, team string) error {
	if err := CheckName("team", team, true); err != nil {
		return err
	}
	_, err := x.do(ctx, func(b *batch) (Event, error) {
		if err := x.conflictUnless("mark a team as played", StatusCreated, StatusRunning, StatusPaused, StatusEnded); err != nil {
			return Event{}, err
		}
		switch t := x.st.ix.teams[team]; {
		case t == nil:
			return Event{}, Errorf(EInvalid, "team: the plan has no team %q", team)
		case t.External:
			return Event{}, Errorf(EInvalid, "team: %s is an external team: it is never scored, so never marked as played", team)
		}
		if _, marked := x.st.MarkedPlayed[team]; marked {
			return Event{}, nil
		}
		return x.emit(b, Event{T: b.now, Kind: KindTeamMarkedPlayed, Team: team}), nil
	})
	return err
}
