package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/hashicorp/hcl/v2"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios"
)

// Inject states of the console's MSEL tab.
const (
	injectDelivered  = "delivered"
	injectSkipped    = "skipped"
	injectHeld       = "held"
	injectUpcoming   = "upcoming"
	injectNotReached = "not_reached"
)

// injectStateJSON is one scenario inject of GET /api/exercises/:id/injects: where it stands,
// when it comes due as written, what it expects, its controllers' notes and a preview.
type injectStateJSON struct {
	Name      string   `json:"name"`
	Subject   string   `json:"subject"`
	Channel   string   `json:"channel"`
	From      string   `json:"from,omitempty"`
	To        []string `json:"to"`
	State     string   `json:"state"`            // delivered, skipped, held, upcoming or not_reached
	At        string   `json:"at,omitempty"`     // delivered or skipped: when; upcoming or held: when due, if known
	Reason    string   `json:"reason,omitempty"` // skipped: why
	HasAt     bool     `json:"has_at"`
	WrittenAt string   `json:"written_at,omitempty"` // its `at`, with HasAt
	AfterKind string   `json:"after_kind,omitempty"` // inject, decision or action
	After     string   `json:"after,omitempty"`
	Delay     string   `json:"delay,omitempty"`
	Condition string   `json:"condition,omitempty"` // its `when`, as written
	Triggers  []string `json:"triggers"`            // the actions its delivery starts
	Prompts   []string `json:"prompts"`             // the actions it tells its teams to do
	Decision  string   `json:"decision,omitempty"`  // the decision's prompt
	Expected  string   `json:"expected,omitempty"`  // the expected option's label
	Notes     string   `json:"notes,omitempty"`
	Preview   string   `json:"preview,omitempty"` // the start of its body
}

// previewRunes bounds an inject's body preview.
const previewRunes = 240

// injectStates is GET /api/exercises/:id/injects: every scenario inject, in file order, with
// where it stands now (the console's MSEL tab), for the facilitator and the admin.
func (s *Server) injectStates(c *gin.Context) {
	x, ok := s.exercise(c)
	if !ok {
		return
	}
	snap := x.Snapshot()
	happened := make(map[string]engine.Event)
	for _, e := range x.EventsSince(0) {
		if (e.Kind == engine.KindInjectDelivered || e.Kind == engine.KindInjectSkipped) && e.Inject != "" {
			happened[e.Inject] = e
		}
	}
	upcoming := make(map[string]engine.UpcomingInject, len(snap.Upcoming))
	for _, u := range snap.Upcoming {
		upcoming[u.Name] = u
	}
	sc, files := storedScenario(x)
	out := make([]injectStateJSON, 0, len(sc.Injects))
	for _, in := range sc.Injects {
		j := describeInject(in, files)
		switch e, done := happened[in.Name]; {
		case done && e.Kind == engine.KindInjectDelivered:
			j.State, j.At = injectDelivered, e.T.String()
		case done:
			j.State, j.At, j.Reason = injectSkipped, e.T.String(), e.Reason
		case engine.HasEnded(snap.Status):
			j.State = injectNotReached
		default:
			u := upcoming[in.Name]
			j.State = injectUpcoming
			if u.Held {
				j.State = injectHeld
			}
			if u.Scheduled {
				j.At = u.Due.String()
			}
		}
		out = append(out, j)
	}
	c.JSON(http.StatusOK, out)
}

// describeInject is what the scenario says of an inject, for the MSEL tab.
func describeInject(in *scenarios.Inject, files map[string]*hcl.File) injectStateJSON {
	j := injectStateJSON{Name: in.Name, Subject: in.Subject, Channel: in.Channel, From: in.From,
		To: append([]string{}, in.To...), HasAt: in.HasAt, Notes: strings.TrimSpace(in.Notes),
		Triggers: append([]string{}, in.Triggers...), Prompts: append([]string{}, in.Prompts...),
		Preview: preview(in.Body)}
	if in.HasAt {
		j.WrittenAt = in.At.String()
	} else {
		j.AfterKind, j.After = in.AfterKind, in.After
		if j.AfterKind == "" {
			j.AfterKind = scenarios.AfterInject
		}
		if in.Delay > 0 {
			j.Delay = in.Delay.String()
		}
	}
	if in.When != nil {
		j.Condition = exprSource(in.When, files)
	}
	if d := in.Decision; d != nil {
		j.Decision = d.Prompt
		for _, o := range d.Options {
			if o.Key == d.Expected {
				j.Expected = o.Label
			}
		}
	}
	return j
}

// preview is the start of a Markdown body as plain words: at most previewRunes runes.
func preview(body string) string {
	text := strings.Join(strings.Fields(strings.NewReplacer("**", "", "__", "", "`", "", "#", "").Replace(body)), " ")
	if utf8.RuneCountInString(text) <= previewRunes {
		return text
	}
	r := []rune(text)
	return strings.TrimSpace(string(r[:previewRunes])) + "…"
}

// storedScenario is the exercise's scenario loaded again from its stored sources, with the
// parsed files, for copying a condition as written; the live scenario without files when
// they cannot be loaded (the conditions are then left out).
func storedScenario(x *facilitator.Listed) (*scenarios.Scenario, map[string]*hcl.File) {
	set, err := facilitator.SetFromSources(x.Record())
	if err != nil {
		return x.Scenario(), nil
	}
	return set.Scenarios[x.ScenarioName], set.Files
}

// exprSource is the text an expression was written as, from its file.
func exprSource(expr hcl.Expression, files map[string]*hcl.File) string {
	rng := expr.Range()
	f := files[rng.Filename]
	if f == nil || rng.End.Byte > len(f.Bytes) || rng.Start.Byte > rng.End.Byte {
		return ""
	}
	return string(f.Bytes[rng.Start.Byte:rng.End.Byte])
}
