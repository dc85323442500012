// Package facilitator runs many live exercises on one server: it creates them from the
// scenario library, hands out and checks the credentials of protocol.md (admin, facilitator
// and reviewer tokens, per-team join codes), drives each exercise's clock, and brings every
// exercise back from its log after a restart.
//
// Tokens are stored only as SHA-256 hashes in the exercise record: 32 random bytes, random
// enough that a fast hash is enough. Join codes (eight characters of a 30-character alphabet;
// the web package slows guessing down) are checked against their hash too, and also kept in
// clear beside it, so that the facilitator and the admin can show them again at any time
// (docs/reliability.md says why).
package facilitator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// Hash kinds, and the keys of engine.ExerciseRecord.Credentials.
const (
	kindToken = "token"
	kindCode  = "code"

	credFacilitator = "facilitator"
	credReviewer    = "reviewer"
	credEvaluator   = "evaluator"
	credTeamPrefix  = "team:"
	credCodePrefix  = "code:" // a team's join code in clear, beside its hash
)

// MinSpeed and MaxSpeed bound an exercise's speed: simulated seconds per real second.
const (
	MinSpeed = engine.MinSpeed
	MaxSpeed = engine.MaxSpeed
)

// Manager holds the live exercises of a server. Safe for concurrent use.
type Manager struct {
	store     engine.Store
	lib       *scenarios.Set
	clock     clockwork.Clock
	rand      io.Reader
	adminHash string
	budget    int // responses per participant and exercise; 0 is the engine's default

	ctx    context.Context // the Run goroutines' context, cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	loadMu sync.Mutex // one load of an archived exercise at a time

	archiveMu    sync.Mutex  // one fileArchive at a time
	archiveFiled atomic.Bool // the ended exercises of the catalogue are in archive

	mu        sync.RWMutex
	exercises map[string]*Listed // in memory: live, and ended ones asked for (resident)
	archive   map[string]*archived
	resident  map[string]*resident
	stops     map[string]context.CancelFunc // each in-memory exercise's clock driver
	lost      map[string]Unrestored         // stored exercises that could not be restored, by id
	tokens    map[string]Principal          // by token hash
	codes     map[string]Principal          // by join code hash
	closed    bool

	replication // with WithReplicas
}

// Option configures a Manager.
type Option func(*Manager)

// WithResponseBudget sets how many responses one participant may record in one exercise
// (engine.DefaultResponseBudget without it).
func WithResponseBudget(n int) Option {
	return func(m *Manager) { m.budget = n }
}

// WithAdminToken sets the server's admin token. Without it nobody is admin.
func WithAdminToken(token string) Option {
	return func(m *Manager) {
		if token != "" {
			m.adminHash = hashSecret(kindToken, token)
		}
	}
}

// NewManager returns a Manager that keeps exercises in store, creates them from the
// scenarios of lib, reads time from clock (the simulated clocks run on it) and draws ids,
// tokens and codes from rand (crypto/rand.Reader in production).
func NewManager(store engine.Store, lib *scenarios.Set, clock clockwork.Clock, rand io.Reader, opts ...Option) *Manager {
	ctx, cancel := context.WithCancel(context.Background())
	m := &Manager{
		store:     store,
		lib:       lib,
		clock:     clock,
		rand:      rand,
		ctx:       ctx,
		cancel:    cancel,
		exercises: make(map[string]*Listed),
		archive:   make(map[string]*archived),
		resident:  make(map[string]*resident),
		stops:     make(map[string]context.CancelFunc),
		lost:      make(map[string]Unrestored),
		tokens:    make(map[string]Principal),
		codes:     make(map[string]Principal),
	}
	for _, opt := range opts {
		opt(m)
	}
	if _, ok := store.(engine.Cataloguer); !ok {
		m.archiveFiled.Store(true) // Restore restores every exercise, as before
	}
	if m.replicas != nil {
		m.startReplication()
	}
	return m
}

// Library returns the scenarios new exercises can be created from.
func (m *Manager) Library() *scenarios.Set { return m.lib }

// Idempotency returns the store as the keeper of the claims and answers of commands sent with
// an Idempotency-Key (engine.IdempotencyKeeper), so that a retry is recognised after a restart
// and on every replica; nil when the store keeps none.
func (m *Manager) Idempotency() engine.IdempotencyKeeper {
	k, _ := m.store.(engine.IdempotencyKeeper)
	return k
}

// Created is what creating an exercise hands out, once: the only time the tokens and codes
// are seen in clear.
type Created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitator_token"`
	ReviewerToken    string            `json:"reviewer_token"`
	EvaluatorToken   string            `json:"evaluator_token"` // (v2) watches, observes, reads the report
	Teams            map[string]string `json:"teams"`           // join code by team name: the teams in play and the external teams
	Mode             string            `json:"mode"`            // (v2) engine.ModeEvaluation or engine.ModeTraining
}

// Listed is a live exercise of the manager with what is known about it besides its state.
type Listed struct {
	*engine.Exercise
	ScenarioName string
	PlanName     string
	CreatedAt    time.Time
}

// Mode returns the exercise's mode (protocol.md v2): an exercise stored before v2 is training.
func (x *Listed) Mode() string {
	if m := x.Record().Mode; m != "" {
		return m
	}
	return engine.ModeTraining
}

// TeamsInPlay returns the teams chosen at creation, in plan order: every team of the plan
// that is not external for an exercise stored before v2.
func (x *Listed) TeamsInPlay() []string {
	if teams := x.Record().Teams; len(teams) > 0 {
		return teams
	}
	return defaultTeams(x.Scenario().Plan)
}

// JoinCodes returns the join code of each team that has one, by team name, as handed out at
// creation: the teams in play and the external teams. An exercise stored before the codes
// were kept in clear has none.
func (x *Listed) JoinCodes() map[string]string {
	out := make(map[string]string)
	for key, code := range x.Record().Credentials {
		if team, ok := strings.CutPrefix(key, credCodePrefix); ok {
			out[team] = code
		}
	}
	return out
}

// Spec is what an exercise is created with (protocol.md v2).
type Spec struct {
	Scenario string
	Speed    float64
	Mode     string   // engine.ModeEvaluation or engine.ModeTraining; "" is evaluation
	Teams    []string // the teams in play; nil: every team of the plan that is not external
}

// Create creates an exercise of the scenario named scenarioName at speed, in evaluation mode
// with every team that is not external in play: CreateExercise with those defaults.
func (m *Manager) Create(ctx context.Context, scenarioName string, speed float64) (Created, error) {
	return m.CreateExercise(ctx, Spec{Scenario: scenarioName, Speed: speed})
}

// CreateExercise starts a new exercise of spec's scenario at its speed, mode and teams, stores
// it, and starts its clock driver. The exercise waits for its facilitator to start it. A join
// code is drawn for each team in play and each external team (which control may play).
func (m *Manager) CreateExercise(ctx context.Context, spec Spec) (Created, error) {
	sc, ok := m.lib.Scenarios[spec.Scenario]
	if !ok {
		return Created{}, engine.Errorf(engine.EInvalid,
			"scenario: there is no scenario named %q; GET /api/scenarios lists them", spec.Scenario)
	}
	if err := CheckSpeed(spec.Speed); err != nil {
		return Created{}, err
	}
	mode, err := checkMode(spec.Mode)
	if err != nil {
		return Created{}, err
	}
	teams, err := teamsInPlay(sc.Plan, spec.Teams)
	if err != nil {
		return Created{}, err
	}
	sources, err := m.sourcesOf(sc)
	if err != nil {
		return Created{}, err
	}
	// What is stored must load again after a restart: check it now, not then.
	if _, err := ScenarioFromSources(engine.ExerciseRecord{Scenario: sc.Name, Sources: sources}); err != nil {
		return Created{}, fmt.Errorf("the sources of scenario %s do not load on their own: %w", sc.Name, err)
	}

	if err := m.fileArchive(); err != nil { // a new id is drawn unlike every stored one
		return Created{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return Created{}, engine.Errorf(engine.EConflict, "the server is shutting down")
	}
	d, err := m.drawLocked(joinable(sc.Plan, teams))
	if err != nil {
		return Created{}, err
	}
	d.out.Mode = mode
	rec := engine.ExerciseRecord{
		ID:          d.out.ID,
		Scenario:    sc.Name,
		Plan:        sc.PlanName,
		Sources:     sources,
		Credentials: d.creds,
		Speed:       spec.Speed,
		CreatedAt:   m.clock.Now().UTC(),
		Mode:        mode, // evaluation unless asked (checkMode)
		Teams:       teams,
		Kind:        engine.ExerciseLive,
	}
	if err := m.store.CreateExercise(ctx, rec); err != nil {
		return Created{}, fmt.Errorf("store exercise %s: %w", rec.ID, err)
	}
	x := m.newExercise(rec, sc)
	m.addLocked(m.ctx, rec, x)
	return d.out, nil
}

// checkMode returns the mode asked for, evaluation when none, or EInvalid naming the field.
func checkMode(mode string) (string, error) {
	switch mode {
	case "":
		return engine.ModeEvaluation, nil
	case engine.ModeEvaluation, engine.ModeTraining:
		return mode, nil
	}
	return "", engine.Errorf(engine.EInvalid, "mode: %q is not a mode; use %s (the default) or %s",
		truncate(mode), engine.ModeEvaluation, engine.ModeTraining)
}

// teamsInPlay checks the teams asked for against the plan and returns them in plan order:
// every team that is not external when none were asked for.
func teamsInPlay(p *scenarios.Plan, asked []string) ([]string, error) {
	if asked == nil {
		return defaultTeams(p), nil
	}
	if len(asked) == 0 {
		return nil, engine.Errorf(engine.EInvalid, "teams: name at least one team of plan %s, or leave teams out to play them all", p.Name)
	}
	want := make(map[string]bool, len(asked))
	for _, name := range asked {
		i := slices.IndexFunc(p.Teams, func(t *scenarios.Team) bool { return t.Name == name })
		switch {
		case i < 0:
			return nil, engine.Errorf(engine.EInvalid, "teams: plan %s has no team %q; its teams are %s", p.Name, truncate(name), strings.Join(defaultTeams(p), ", "))
		case p.Teams[i].External:
			return nil, engine.Errorf(engine.EInvalid, "teams: %s is an external team, played by control; choose among %s", name, strings.Join(defaultTeams(p), ", "))
		case want[name]:
			return nil, engine.Errorf(engine.EInvalid, "teams: %s is listed twice", name)
		}
		want[name] = true
	}
	var out []string
	for _, t := range p.Teams {
		if want[t.Name] {
			out = append(out, t.Name)
		}
	}
	return out, nil
}

// defaultTeams returns the plan's teams that are not external, in plan order.
func defaultTeams(p *scenarios.Plan) []string {
	var out []string
	for _, t := range p.Teams {
		if !t.External {
			out = append(out, t.Name)
		}
	}
	return out
}

// joinable returns the teams that get a join code: those in play and the external ones.
func joinable(p *scenarios.Plan, inPlay []string) []*scenarios.Team {
	var out []*scenarios.Team
	for _, t := range p.Teams {
		if t.External || slices.Contains(inPlay, t.Name) {
			out = append(out, t)
		}
	}
	return out
}

// drawn is a new exercise's id and credentials: in clear for its creator, hashed for the
// record.
type drawn struct {
	out   Created
	creds map[string]string // the record's Credentials
}

// drawLocked draws an unused exercise id, the three tokens and a join code per team of teams,
// unused across every live exercise.
func (m *Manager) drawLocked(teams []*scenarios.Team) (drawn, error) {
	d := drawn{
		out:   Created{Teams: make(map[string]string)},
		creds: make(map[string]string),
	}
	var err error
	for attempt := 0; ; attempt++ {
		if attempt == maxDraws {
			return drawn{}, errNotRandom
		}
		if d.out.ID, err = newExerciseID(m.rand); err != nil {
			return drawn{}, err
		}
		_, filed := m.archive[d.out.ID]
		if _, taken := m.exercises[d.out.ID]; !taken && !filed {
			break
		}
	}
	for _, t := range []struct {
		key   string
		token *string
	}{
		{credFacilitator, &d.out.FacilitatorToken},
		{credReviewer, &d.out.ReviewerToken},
		{credEvaluator, &d.out.EvaluatorToken},
	} {
		if *t.token, err = newToken(m.rand); err != nil {
			return drawn{}, err
		}
		d.creds[t.key] = hashSecret(kindToken, *t.token)
	}
	takenHere := make(map[string]bool)
	for _, team := range teams {
		for attempt := 0; ; attempt++ {
			if attempt == maxDraws {
				return drawn{}, errNotRandom
			}
			code, err := newJoinCode(m.rand)
			if err != nil {
				return drawn{}, err
			}
			h := hashSecret(kindCode, NormalizeJoinCode(code))
			if _, takenLive := m.codes[h]; takenLive || takenHere[h] || m.filedCredential(h) {
				continue
			}
			takenHere[h] = true
			d.out.Teams[team.Name] = code
			d.creds[credTeamPrefix+team.Name] = h
			d.creds[credCodePrefix+team.Name] = code
			break
		}
	}
	return d, nil
}

// maxDraws bounds the draws of an id or a join code that is already taken: with a working
// random source a second draw is already a rarity.
const maxDraws = 64

var errNotRandom = errors.New("could not draw an unused exercise id or join code: the random source repeats itself")

// CheckSpeed returns EInvalid unless speed is within MinSpeed..MaxSpeed.
func CheckSpeed(speed float64) error {
	if !(speed >= MinSpeed && speed <= MaxSpeed) {
		return engine.Errorf(engine.EInvalid,
			"speed: %v is out of range; use simulated seconds per real second from %v to %v (60 = an hour a minute)",
			speed, MinSpeed, MaxSpeed)
	}
	return nil
}

// addLocked registers an exercise in memory and the principals its record's credentials
// prove, and starts its clock driver (startDriving), which runs until ctx is done. An
// exercise in memory already is kept.
func (m *Manager) addLocked(ctx context.Context, rec engine.ExerciseRecord, x *engine.Exercise) {
	if _, live := m.exercises[rec.ID]; live {
		return // a replica loading what another replica created, twice at once
	}
	x.SetResponseBudget(m.budget)
	m.exercises[rec.ID] = &Listed{Exercise: x, ScenarioName: rec.Scenario, PlanName: rec.Plan, CreatedAt: rec.CreatedAt}
	m.addCredentialsLocked(rec)
	ctx, stop := context.WithCancel(ctx)
	m.stops[rec.ID] = stop
	m.startDriving(ctx, x)
}

// addCredentialsLocked registers the principals rec's credentials prove.
func (m *Manager) addCredentialsLocked(rec engine.ExerciseRecord) {
	for key, h := range rec.Credentials {
		p, kind, ok := principalOf(rec.ID, key)
		switch {
		case !ok:
		case kind == kindToken:
			m.tokens[h] = p
		default:
			m.codes[h] = p
		}
	}
}

// principalOf returns who the credential key of exercise id's record proves its holder to
// be, and whether it is a token or a join code (kindToken, kindCode).
func principalOf(id, key string) (Principal, string, bool) {
	switch {
	case key == credFacilitator:
		return Principal{Role: RoleFacilitator, Exercise: id}, kindToken, true
	case key == credReviewer:
		return Principal{Role: RoleReviewer, Exercise: id}, kindToken, true
	case key == credEvaluator:
		return Principal{Role: RoleEvaluator, Exercise: id}, kindToken, true
	case strings.HasPrefix(key, credTeamPrefix):
		return Principal{Role: RoleParticipant, Exercise: id, Team: strings.TrimPrefix(key, credTeamPrefix)}, kindCode, true
	}
	return Principal{}, "", false
}

// Restore brings back every stored exercise that can still change (created, running or
// paused) from its log (engine.Restore: one that was running comes back paused) and starts
// its clock driver. An ended one is only filed, with its credentials, when the store is an
// engine.Cataloguer: it is read from the store when first asked for (Exercise). An exercise
// that cannot be restored is left out, listed by Unrestored with the reason, and its error
// returned, joined with the others; the rest are restored. Its record and log stay in the
// store as they were, for `ttx report` and for a later restart.
func (m *Manager) Restore(ctx context.Context) error {
	if cat, ok := m.store.(engine.Cataloguer); ok {
		return m.restoreCatalogue(ctx, cat)
	}
	recs, err := m.store.Exercises(ctx)
	if err != nil {
		return fmt.Errorf("list stored exercises: %w", err)
	}
	var errs []error
	for _, rec := range recs {
		if err := m.restore(ctx, rec); err != nil {
			errs = append(errs, m.lose(rec, err))
		}
	}
	return joinErrors(errs)
}

func joinErrors(errs []error) error { return errors.Join(errs...) }

// Unrestored is a stored exercise that Restore could not bring back, and why.
type Unrestored struct {
	ID        string
	Scenario  string
	Plan      string
	CreatedAt time.Time
	Reason    string
}

// Unrestored returns the stored exercises Restore could not bring back, oldest first.
func (m *Manager) Unrestored() []Unrestored {
	m.mu.RLock()
	out := make([]Unrestored, 0, len(m.lost))
	for _, u := range m.lost {
		out = append(out, u)
	}
	m.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (m *Manager) restore(ctx context.Context, rec engine.ExerciseRecord) error {
	m.mu.RLock()
	_, live := m.exercises[rec.ID]
	m.mu.RUnlock()
	if live {
		return nil
	}
	sc, err := ScenarioFromSources(rec)
	if err != nil {
		return err
	}
	x, err := m.restoreExercise(ctx, rec, sc)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return engine.Errorf(engine.EConflict, "the server is shutting down")
	}
	delete(m.lost, rec.ID)
	m.addLocked(m.ctx, rec, x)
	return nil
}

// Exercise returns the exercise id, bringing an ended one into memory from the store when it
// is not (it leaves again when idle: Sweep), or ENotFound.
func (m *Manager) Exercise(id string) (*Listed, error) {
	m.mu.RLock()
	x, ok := m.exercises[id]
	r, isResident := m.resident[id]
	m.mu.RUnlock()
	if !ok && m.replicas != nil && !m.filed(id) {
		// Created on another replica, whose notice has not arrived yet.
		ctx, cancel := context.WithTimeout(m.ctx, lookupTimeout)
		defer cancel()
		return m.load(ctx, id)
	}
	if !ok {
		return m.loadArchived(id)
	}
	if isResident {
		r.lastUsed.Store(m.clock.Now().UnixNano())
	}
	return x, nil
}

// Exercises returns every exercise in memory, oldest first: the live ones, and the ended ones
// asked for lately (Filed lists them all).
func (m *Manager) Exercises() []*Listed {
	m.mu.RLock()
	out := make([]*Listed, 0, len(m.exercises))
	for _, x := range m.exercises {
		out = append(out, x)
	}
	m.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID() < out[j].ID()
	})
	return out
}

// PauseForStop pauses every running exercise at its current simulated time
// (engine.Exercise.PauseForStop): a graceful stop loses no simulated time, and the restart
// finds each paused by the server. The server calls it when it stops, before Close; the error
// joins the pauses that could not be logged.
func (m *Manager) PauseForStop(ctx context.Context) error {
	var errs []error
	for _, x := range m.Exercises() {
		if err := x.PauseForStop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("pause exercise %s for the stop: %w", x.ID(), err))
		}
	}
	return errors.Join(errs...)
}

// Close stops every exercise's clock driver and waits for them. It does not close the store.
func (m *Manager) Close() {
	m.mu.Lock()
	// What the list shows of each ended exercise is kept, so that the next start lists
	// them without loading them.
	for id, x := range m.exercises {
		if x.Ended() {
			m.keepListingLocked(id, filedOfListed(x))
		}
	}
	m.closed = true
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

// truncate shortens a caller's string before it is quoted in an error: 40 characters, never
// a cut through one.
func truncate(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
