// Package facilitator runs many live exercises on one server: it creates them from the
// scenario library, hands out and checks the credentials of protocol.md (admin, facilitator
// and reviewer tokens, per-team join codes), drives each exercise's clock, and brings every
// exercise back from its log after a restart.
//
// Credentials are stored only as SHA-256 hashes in the exercise record: tokens are 32 random
// bytes and join codes eight characters of a 30-character alphabet, random enough that a fast
// hash is enough (the web package slows guessing down).
package facilitator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing/fstest"
	"time"

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
	credTeamPrefix  = "team:"
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

	ctx    context.Context // the Run goroutines' context, cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.RWMutex
	exercises map[string]*Listed
	tokens    map[string]Principal // by token hash
	codes     map[string]Principal // by join code hash
	closed    bool

	replication // with WithReplicas
}

// Option configures a Manager.
type Option func(*Manager)

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
		tokens:    make(map[string]Principal),
		codes:     make(map[string]Principal),
	}
	for _, opt := range opts {
		opt(m)
	}
	if m.replicas != nil {
		m.startReplication()
	}
	return m
}

// Library returns the scenarios new exercises can be created from.
func (m *Manager) Library() *scenarios.Set { return m.lib }

// Created is what creating an exercise hands out, once: the only time the tokens and codes
// are seen in clear.
type Created struct {
	ID               string            `json:"id"`
	FacilitatorToken string            `json:"facilitator_token"`
	ReviewerToken    string            `json:"reviewer_token"`
	Teams            map[string]string `json:"teams"` // join code by team name
}

// Listed is a live exercise of the manager with what is known about it besides its state.
type Listed struct {
	*engine.Exercise
	ScenarioName string
	PlanName     string
	CreatedAt    time.Time
}

// Create starts a new exercise of the scenario named scenarioName at speed, stores it, and
// starts its clock driver. The exercise waits for its facilitator to start it.
func (m *Manager) Create(ctx context.Context, scenarioName string, speed float64) (Created, error) {
	sc, ok := m.lib.Scenarios[scenarioName]
	if !ok {
		return Created{}, engine.Errorf(engine.EInvalid,
			"scenario: there is no scenario named %q; GET /api/scenarios lists them", scenarioName)
	}
	if err := CheckSpeed(speed); err != nil {
		return Created{}, err
	}
	sources, err := m.sourcesOf(sc)
	if err != nil {
		return Created{}, err
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return Created{}, engine.Errorf(engine.EConflict, "the server is shutting down")
	}
	d, err := m.drawLocked(sc)
	if err != nil {
		return Created{}, err
	}
	rec := engine.ExerciseRecord{
		ID:          d.out.ID,
		Scenario:    sc.Name,
		Plan:        sc.PlanName,
		Sources:     sources,
		Credentials: d.creds,
		Speed:       speed,
		CreatedAt:   m.clock.Now().UTC(),
	}
	if err := m.store.CreateExercise(ctx, rec); err != nil {
		return Created{}, fmt.Errorf("store exercise %s: %w", rec.ID, err)
	}
	x := m.newExercise(rec, sc)
	m.addLocked(rec, x)
	return d.out, nil
}

// drawn is a new exercise's id and credentials: in clear for its creator, hashed for the
// record.
type drawn struct {
	out   Created
	creds map[string]string // the record's Credentials
}

// drawLocked draws an unused exercise id, the two tokens and a join code per team of sc,
// unused across every live exercise.
func (m *Manager) drawLocked(sc *scenarios.Scenario) (drawn, error) {
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
		if _, taken := m.exercises[d.out.ID]; !taken {
			break
		}
	}
	for _, t := range []struct {
		key   string
		token *string
	}{
		{credFacilitator, &d.out.FacilitatorToken},
		{credReviewer, &d.out.ReviewerToken},
	} {
		if *t.token, err = newToken(m.rand); err != nil {
			return drawn{}, err
		}
		d.creds[t.key] = hashSecret(kindToken, *t.token)
	}
	takenHere := make(map[string]bool)
	for _, team := range sc.Plan.Teams {
		for attempt := 0; ; attempt++ {
			if attempt == maxDraws {
				return drawn{}, errNotRandom
			}
			code, err := newJoinCode(m.rand)
			if err != nil {
				return drawn{}, err
			}
			h := hashSecret(kindCode, NormalizeJoinCode(code))
			if _, takenLive := m.codes[h]; takenLive || takenHere[h] {
				continue
			}
			takenHere[h] = true
			d.out.Teams[team.Name] = code
			d.creds[credTeamPrefix+team.Name] = h
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

// addLocked registers a live exercise and the principals its record's credentials prove, and
// starts its clock driver (startDriving). An exercise live already is kept.
func (m *Manager) addLocked(rec engine.ExerciseRecord, x *engine.Exercise) {
	if _, live := m.exercises[rec.ID]; live {
		return // a replica loading what another replica created, twice at once
	}
	m.exercises[rec.ID] = &Listed{Exercise: x, ScenarioName: rec.Scenario, PlanName: rec.Plan, CreatedAt: rec.CreatedAt}
	for key, h := range rec.Credentials {
		switch {
		case key == credFacilitator:
			m.tokens[h] = Principal{Role: RoleFacilitator, Exercise: rec.ID}
		case key == credReviewer:
			m.tokens[h] = Principal{Role: RoleReviewer, Exercise: rec.ID}
		case strings.HasPrefix(key, credTeamPrefix):
			m.codes[h] = Principal{Role: RoleParticipant, Exercise: rec.ID, Team: strings.TrimPrefix(key, credTeamPrefix)}
		}
	}
	m.startDriving(x)
}

// Restore brings back every stored exercise from its log (engine.Restore: one that was
// running comes back paused) and starts its clock driver. An exercise that cannot be restored
// is left out and its error returned, joined with the others; the rest are restored.
func (m *Manager) Restore(ctx context.Context) error {
	recs, err := m.store.Exercises(ctx)
	if err != nil {
		return fmt.Errorf("list stored exercises: %w", err)
	}
	var errs []error
	for _, rec := range recs {
		if err := m.restore(ctx, rec); err != nil {
			errs = append(errs, fmt.Errorf("restore exercise %s: %w", rec.ID, err))
		}
	}
	return errors.Join(errs...)
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
	m.addLocked(rec, x)
	return nil
}

// Exercise returns the live exercise id, or ENotFound.
func (m *Manager) Exercise(id string) (*Listed, error) {
	m.mu.RLock()
	x, ok := m.exercises[id]
	m.mu.RUnlock()
	if !ok && m.replicas != nil {
		// Created on another replica, whose notice has not arrived yet.
		ctx, cancel := context.WithTimeout(m.ctx, lookupTimeout)
		defer cancel()
		return m.load(ctx, id)
	}
	if !ok {
		return nil, engine.Errorf(engine.ENotFound, "there is no exercise %q", truncate(id))
	}
	return x, nil
}

// Exercises returns every live exercise, oldest first.
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

// Close stops every exercise's clock driver and waits for them. It does not close the store.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

// sourcesOf returns the HCL text of the files sc and its plan came from, keyed by a path
// that is valid in an fs.FS, so that ScenarioFromSources can load them again.
func (m *Manager) sourcesOf(sc *scenarios.Scenario) (map[string]string, error) {
	sources := make(map[string]string)
	for _, name := range []string{sc.DeclRange.Filename, sc.Plan.DeclRange.Filename} {
		f, ok := m.lib.Files[name]
		if !ok {
			return nil, fmt.Errorf("the source of scenario %s is not in the library (file %q)", sc.Name, name)
		}
		sources[sourceKey(name)] = string(f.Bytes)
	}
	return sources, nil
}

// sourceKey turns a file name as loaded (maybe absolute, maybe with OS separators) into a
// valid fs.FS path that still says where the file came from.
func sourceKey(name string) string {
	key := path.Clean(strings.TrimLeft(filepath.ToSlash(filepath.Clean(name)), "/"))
	if !fs.ValidPath(key) || key == "." {
		key = path.Base(filepath.ToSlash(name))
	}
	if !fs.ValidPath(key) || key == "." || key == "/" {
		key = "source.hcl"
	}
	return key
}

// ScenarioFromSources loads the scenario of rec from the HCL text stored with it, so that an
// exercise always replays exactly the scenario it ran.
func ScenarioFromSources(rec engine.ExerciseRecord) (*scenarios.Scenario, error) {
	fsys := fstest.MapFS{}
	paths := make([]string, 0, len(rec.Sources))
	for name, text := range rec.Sources {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
		paths = append(paths, name)
	}
	sort.Strings(paths)
	set, diags := scenarios.LoadFS(fsys, paths...)
	if diags.HasErrors() {
		return nil, fmt.Errorf("load the stored sources of scenario %s: %s", rec.Scenario, diags.Error())
	}
	sc, ok := set.Scenarios[rec.Scenario]
	if !ok {
		return nil, fmt.Errorf("the stored sources hold no scenario %q", rec.Scenario)
	}
	return sc, nil
}

func truncate(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}
