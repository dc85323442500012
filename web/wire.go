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
		Mode        string       `json:"mode"` // (v2) evaluation or training, as in exercise
		Exercise    exerciseWire `json:"exercise"`
		Plan        planWire     `json:"plan"`
	}
	exerciseWire struct {
		ID       string   `json:"id"`
		Title    string   `json:"title"`
		Status   string   `json:"status"`
		Speed    float64  `json:"speed"`
		SimTime  string   `json:"sim_time"`
		Severity string   `json:"severity"`
		Mode     string   `json:"mode"`          // (v2)
		InPlay   []string `json:"teams_in_play"` // (v2) the teams playing; the others are external or not played
		// PauseReason says the server paused it ("server stopped", "server restarted"); ""
		// when the facilitator did, or it is not paused.
		PauseReason string `json:"pause_reason,omitempty"`
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
		// External (v2): a party outside the organisation, played by control.
		External bool `json:"external,omitempty"`
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

		// Version 2.
		Module   *moduleWire      `json:"module,omitempty"`   // module_started
		Question string           `json:"question,omitempty"` // answer_recorded
		By       string           `json:"by,omitempty"`       // observation
		Feedback *engine.Feedback `json:"feedback,omitempty"` // feedback_recorded (never to participants)
	}
	moduleWire struct {
		Name      string         `json:"name"`
		Title     string         `json:"title"`
		Questions []questionWire `json:"questions"`
	}
	questionWire struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	injectWire struct {
		Name     string        `json:"name"`
		To       []string      `json:"to"`
		Channel  string        `json:"channel"`
		From     string        `json:"from"`
		Subject  string        `json:"subject"`
		BodyHTML string        `json:"body_html"`
		Decision *decisionWire `json:"decision"`
		// Questions (v2) are the inject's discussion questions, put to its teams.
		Questions []questionWire `json:"questions"`
		// Notes and Prompts (v2) are for facilitators and evaluators only: the participants'
		// form of an event never carries them (eventFor).
		Notes   string   `json:"notes,omitempty"`
		Prompts []string `json:"prompts,omitempty"`
	}
	injectRef struct {
		Name string `json:"name"`
	}
	// decisionWire is a decision as teams see it (protocol.md v2): never its expected option
	// or credit.
	decisionWire struct {
		Name      string       `json:"name"`
		Prompt    string       `json:"prompt"`
		Options   []optionWire `json:"options"`    // in the order written
		DecidedBy []string     `json:"decided_by"` // the teams that decide; the others see it read-only
		Due       *string      `json:"due"`        // the time to answer from delivery, or null
		Default   *string      `json:"default"`    // the option recorded at due for a team that has not answered, or null
	}
	// optionWire carries v2's name and text beside v1's key and label: the same two strings.
	optionWire struct {
		Name  string `json:"name"`
		Text  string `json:"text"`
		Key   string `json:"key"`
		Label string `json:"label"`
	}

	// statusMessage tells a participant that the exercise's status changed where no event of
	// its feed says so: the close, whose exercise_closed event is for facilitators (protocol.md
	// v2). An addition of this server (docs/api.md).
	statusMessage struct {
		Type   string `json:"type"` // "status"
		Status string `json:"status"`
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
	modules    map[string]*scenarios.Module
	plan       planWire
	loaded     *scenarios.Plan // the plan as loaded, for who decides a decision
	severities map[string]*scenarios.Severity
	render     *renderer
}

func newWireScenario(sc *scenarios.Scenario, render *renderer) *wireScenario {
	w := &wireScenario{
		injects:    make(map[string]*scenarios.Inject, len(sc.Injects)),
		modules:    make(map[string]*scenarios.Module, len(sc.Modules)),
		loaded:     sc.Plan,
		severities: make(map[string]*scenarios.Severity),
		render:     render,
		plan:       planOf(sc.Plan),
	}
	for _, in := range sc.Injects {
		w.injects[in.Name] = in
	}
	for _, m := range sc.Modules {
		w.modules[m.Name] = m
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
		out.Teams = append(out.Teams, teamWire{Name: t.Name, Title: t.Title, Tier: t.Tier, External: t.External})
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

// event returns the wire form of e for facilitators (and evaluators): with an inject's notes
// and prompts.
func (w *wireScenario) event(e engine.Event) eventMessage { return w.eventFor(e, false) }

// eventFor returns the wire form of e; a participant's form never carries what only the
// exercise's designers and evaluators should know (protocol.md v2): an inject's notes and
// prompts, a feedback form, who recorded an observation.
func (w *wireScenario) eventFor(e engine.Event, participant bool) eventMessage {
	m := eventMessage{
		Type: "event", Seq: e.Seq, T: e.T.String(), Kind: e.Kind,
		Team: e.Team, Name: e.Name, Action: e.Action, Decision: e.Decision, Option: e.Option,
		Text: e.Text, Clock: e.Clock, Capability: e.Capability, Rating: e.Rating, Reason: e.Reason,
		Question: e.Question,
	}
	if !participant {
		m.By, m.Feedback = e.By, e.Feedback
	}
	switch e.Kind {
	case engine.KindInjectDelivered:
		in := w.inject(e)
		if participant {
			in.Notes, in.Prompts = "", nil
		}
		m.Inject = in
	case engine.KindModuleStarted:
		m.Module = w.module(e.Module)
	case engine.KindInjectSkipped, engine.KindInjectHeld, engine.KindInjectReleased:
		m.Inject = injectRef{Name: e.Inject}
	case engine.KindInjectRescheduled:
		m.Inject = injectRef{Name: e.Inject}
		m.Deadline = e.Due.String() // the new due time, from the start
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
			Subject: e.AdHoc.Subject, BodyHTML: w.render.HTML(e.AdHoc.Body, false), Questions: []questionWire{}}
	}
	in, ok := w.injects[e.Inject]
	if !ok {
		return &injectWire{Name: e.Inject, To: to, Questions: []questionWire{}}
	}
	out := &injectWire{Name: in.Name, To: to, Channel: in.Channel, From: in.From,
		Subject: in.Subject, BodyHTML: w.render.HTML(in.Body, true), Questions: questionsOf(in.Questions),
		Notes: in.Notes, Prompts: in.Prompts}
	if d := in.Decision; d != nil {
		out.Decision = w.decision(in, d)
	}
	return out
}

// decision returns the wire form of d, which in carries: its options in the order written,
// the teams that decide (the inject's teams that are not external when the scenario does not
// say), its due and default.
func (w *wireScenario) decision(in *scenarios.Inject, d *scenarios.Decision) *decisionWire {
	dw := &decisionWire{Name: d.Name, Prompt: d.Prompt, Options: []optionWire{}, DecidedBy: append([]string{}, w.loaded.DecidingTeams(d, in.To)...)}
	for _, o := range d.Options {
		dw.Options = append(dw.Options, optionWire{Name: o.Key, Text: o.Label, Key: o.Key, Label: o.Label})
	}
	if d.Due > 0 {
		due := d.Due.String()
		dw.Due = &due
	}
	if d.Default != "" {
		def := d.Default
		dw.Default = &def
	}
	return dw
}

func (w *wireScenario) module(name string) *moduleWire {
	m, ok := w.modules[name]
	if !ok {
		return &moduleWire{Name: name, Questions: []questionWire{}}
	}
	return &moduleWire{Name: m.Name, Title: m.Title, Questions: questionsOf(m.Questions)}
}

func questionsOf(qs []scenarios.Question) []questionWire {
	out := make([]questionWire, 0, len(qs))
	for _, q := range qs {
		out = append(out, questionWire{ID: q.ID, Text: q.Text})
	}
	return out
}
