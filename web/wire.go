package web

import (
	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// The server's WebSocket messages (design/protocol.md and the web contract).
type (
	// welcomeMessage answers a hello.
	welcomeMessage struct {
		Type string `json:"type"` // "welcome"
		Role string `json:"role"`
		Team string `json:"team,omitempty"`
		Name string `json:"name,omitempty"`
		// Participant is the participant's id, to present in later hellos (protocol.md v2).
		Participant string       `json:"participant,omitempty"`
		Seq         int64        `json:"seq"`
		Exercise    exerciseWire `json:"exercise"`
		Plan        planWire     `json:"plan"`
	}
	exerciseWire struct {
		ID       string  `json:"id"`
		Title    string  `json:"title"`
		Status   string  `json:"status"`
		Speed    float64 `json:"speed"`
		SimTime  string  `json:"sim_time"`
		Severity string  `json:"severity"`
	}
	planWire struct {
		Name       string         `json:"name"`
		Title      string         `json:"title"`
		Version    string         `json:"version"`
		Teams      []teamWire     `json:"teams"`
		Severities []severityWire `json:"severities"`
		Actions    []actionWire   `json:"actions"`
	}
	teamWire struct {
		Name  string `json:"name"`
		Title string `json:"title"`
		Tier  int    `json:"tier"`
	}
	severityWire struct {
		Name  string `json:"name"`
		Title string `json:"title"`
		Level int    `json:"level"`
	}
	actionWire struct {
		Name       string `json:"name"`
		Title      string `json:"title"`
		Owner      string `json:"owner"`
		Phase      string `json:"phase"`
		Due        string `json:"due"`
		EscalateTo string `json:"escalate_to"`
		Capability string `json:"capability"`
	}

	// eventMessage is one event of the log as clients see it.
	eventMessage struct {
		Type       string        `json:"type"` // "event"
		Seq        int64         `json:"seq"`
		T          string        `json:"t"`
		Kind       string        `json:"kind"`
		Inject     any           `json:"inject,omitempty"` // *injectWire, or injectRef for skips and holds
		Severity   *severityWire `json:"severity,omitempty"`
		Action     string        `json:"action,omitempty"`
		Team       string        `json:"team,omitempty"`
		Deadline   string        `json:"deadline,omitempty"`
		Name       string        `json:"name,omitempty"`
		Decision   string        `json:"decision,omitempty"`
		Option     string        `json:"option,omitempty"`
		To         string        `json:"to,omitempty"`
		Text       string        `json:"text,omitempty"`
		Clock      string        `json:"clock,omitempty"`
		Speed      float64       `json:"speed,omitempty"`
		SimTime    string        `json:"sim_time,omitempty"`
		Capability string        `json:"capability,omitempty"`
		Rating     string        `json:"rating,omitempty"`
		Reason     string        `json:"reason,omitempty"`
	}
	injectWire struct {
		Name     string        `json:"name"`
		To       []string      `json:"to"`
		Channel  string        `json:"channel"`
		From     string        `json:"from"`
		Subject  string        `json:"subject"`
		BodyHTML string        `json:"body_html"`
		Decision *decisionWire `json:"decision"`
	}
	injectRef struct {
		Name string `json:"name"`
	}
	decisionWire struct {
		Name    string       `json:"name"`
		Prompt  string       `json:"prompt"`
		Options []optionWire `json:"options"`
	}
	optionWire struct {
		Key   string `json:"key"`
		Label string `json:"label"`
	}

	// ackMessage confirms a participant's message once its event is on disk.
	ackMessage struct {
		Type string `json:"type"` // "ack"
		Ref  string `json:"ref"`
		Seq  int64  `json:"seq"`
	}
	// errorMessage refuses a client's message; Ref is empty when the message had none.
	errorMessage struct {
		Type  string `json:"type"` // "error"
		Ref   string `json:"ref,omitempty"`
		Error string `json:"error"`
	}
)

// wireScenario looks up what events name in one exercise's scenario.
type wireScenario struct {
	injects    map[string]*scenarios.Inject
	severities map[string]*scenarios.Severity
	plan       planWire
	render     *renderer
}

func newWireScenario(sc *scenarios.Scenario, render *renderer) *wireScenario {
	w := &wireScenario{
		injects:    make(map[string]*scenarios.Inject, len(sc.Injects)),
		severities: make(map[string]*scenarios.Severity),
		render:     render,
		plan:       planOf(sc.Plan),
	}
	for _, in := range sc.Injects {
		w.injects[in.Name] = in
	}
	for _, s := range sc.Plan.Severities {
		w.severities[s.Name] = s
	}
	return w
}

func planOf(p *scenarios.Plan) planWire {
	out := planWire{Name: p.Name, Title: p.Title, Version: p.Version,
		Teams: []teamWire{}, Severities: []severityWire{}, Actions: []actionWire{}}
	for _, t := range p.Teams {
		out.Teams = append(out.Teams, teamWire{Name: t.Name, Title: t.Title, Tier: t.Tier})
	}
	for _, s := range p.Severities {
		out.Severities = append(out.Severities, severityWire{Name: s.Name, Title: s.Title, Level: s.Level})
	}
	for _, a := range p.Actions {
		out.Actions = append(out.Actions, actionWire{Name: a.Name, Title: a.Title, Owner: a.Owner,
			Phase: a.Phase, Due: a.Due.String(), EscalateTo: a.EscalateTo, Capability: a.Capability})
	}
	return out
}

// event returns the wire form of e.
func (w *wireScenario) event(e engine.Event) eventMessage {
	m := eventMessage{
		Type: "event", Seq: e.Seq, T: e.T.String(), Kind: e.Kind,
		Team: e.Team, Name: e.Name, Action: e.Action, Decision: e.Decision, Option: e.Option,
		Text: e.Text, Clock: e.Clock, Capability: e.Capability, Rating: e.Rating, Reason: e.Reason,
	}
	switch e.Kind {
	case engine.KindInjectDelivered:
		m.Inject = w.inject(e)
	case engine.KindInjectSkipped, engine.KindInjectHeld, engine.KindInjectReleased:
		m.Inject = injectRef{Name: e.Inject}
	case engine.KindSeverityChanged:
		if s, ok := w.severities[e.Severity]; ok {
			m.Severity = &severityWire{Name: s.Name, Title: s.Title, Level: s.Level}
		} else {
			m.Severity = &severityWire{Name: e.Severity}
		}
	case engine.KindActionTriggered:
		m.Deadline = (e.T + e.Due).String()
	case engine.KindEscalation:
		if len(e.To) > 0 {
			m.To = e.To[0]
		}
	case engine.KindClock, engine.KindExerciseStarted:
		m.Speed = e.Speed
		m.SimTime = e.T.String()
	}
	return m
}

func (w *wireScenario) inject(e engine.Event) *injectWire {
	to := e.To
	if to == nil {
		to = []string{}
	}
	if e.AdHoc != nil {
		return &injectWire{Name: e.Inject, To: to, Channel: e.AdHoc.Channel, From: e.AdHoc.From,
			Subject: e.AdHoc.Subject, BodyHTML: w.render.HTML(e.AdHoc.Body, false)}
	}
	in, ok := w.injects[e.Inject]
	if !ok {
		return &injectWire{Name: e.Inject, To: to}
	}
	out := &injectWire{Name: in.Name, To: to, Channel: in.Channel, From: in.From,
		Subject: in.Subject, BodyHTML: w.render.HTML(in.Body, true)}
	if d := in.Decision; d != nil {
		dw := &decisionWire{Name: d.Name, Prompt: d.Prompt, Options: []optionWire{}}
		for _, o := range d.Options {
			dw.Options = append(dw.Options, optionWire{Key: o.Key, Label: o.Label})
		}
		out.Decision = dw
	}
	return out
}
