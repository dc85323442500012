package facilitator

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// Replicas is a store several servers share (engine/postgres), with what a Manager needs to
// run as one replica among others (design/scale.md): notices of what the others commit, where
// every log ends, the exercises' clock locks, and credentials by hash (engine.CredentialIndex,
// which finds those of exercises created on another replica).
type Replicas interface {
	engine.SharedStore
	engine.CredentialIndex
	// Listen reports, until ctx is done, changed(exercise, seq) when another replica has
	// grown a log to seq (seq 0: created the exercise or changed its credentials), and
	// resync() whenever notices may have
	// been missed (on each connection and every second); failed tells of a lost connection.
	Listen(ctx context.Context, changed func(exerciseID string, seq int64), resync func(), failed func(error))
	// LogEnds returns the last seq of every stored exercise's log.
	LogEnds(ctx context.Context) (map[string]int64, error)
	// TakeClocks beats the heartbeat of the clocks in beat and tries to take those in want,
	// returning the ones taken; an error means that none is held any more.
	TakeClocks(ctx context.Context, want, beat []string) ([]string, error)
	// ReleaseClocks lets go of clocks this replica holds; an error means that none is held.
	ReleaseClocks(ctx context.Context, ids []string) error
}

// ClockEvery is how often a replica claims the clocks nobody holds and beats the heartbeat of
// those it holds: a dead holder's exercises are taken over within about this much.
const ClockEvery = time.Second

// lookupTimeout bounds a look-up in the store of a credential or exercise this replica does
// not know yet.
const lookupTimeout = 5 * time.Second

// WithReplicas makes the Manager one replica among others on r: its exercises' commands run
// under their locks in r, it follows what the other replicas commit, looks up in r what it
// does not know before refusing it, and runs the clocks of the exercises whose clock locks it
// holds. report is told of what goes wrong in the background (a lost connection).
func WithReplicas(r Replicas, report func(error)) Option {
	return func(m *Manager) {
		m.replicas = r
		m.report = report
	}
}

// replication is a replica's part of a Manager.
type replication struct {
	replicas Replicas
	report   func(error)

	followMu sync.Mutex
	kicks    map[string]chan struct{} // by exercise: wakes its follower
	loading  map[string]bool
}

// startReplication starts following the other replicas and claiming clocks.
func (m *Manager) startReplication() {
	m.kicks = make(map[string]chan struct{})
	m.loading = make(map[string]bool)
	m.wg.Add(2)
	go func() {
		defer m.wg.Done()
		m.replicas.Listen(m.ctx, m.changed, m.resync, m.report)
	}()
	go func() {
		defer m.wg.Done()
		m.keepClocks()
	}()
}

// newExercise and restoreExercise make the engine's exercise of a record: a replica's on a
// shared store.
func (m *Manager) newExercise(rec engine.ExerciseRecord, sc *scenarios.Scenario) *engine.Exercise {
	if m.replicas != nil {
		return engine.NewReplica(rec, sc, m.clock, m.replicas)
	}
	return engine.New(rec, sc, m.clock, m.store)
}

func (m *Manager) restoreExercise(ctx context.Context, rec engine.ExerciseRecord, sc *scenarios.Scenario) (*engine.Exercise, error) {
	if m.replicas != nil {
		return engine.RestoreReplica(ctx, rec, sc, m.clock, m.replicas)
	}
	return engine.Restore(ctx, rec, sc, m.clock, m.store)
}

// startDriving starts what keeps a live exercise moving: on a lone server its clock driver;
// on a replica its follower, which folds what the others commit (the clock is keepClocks').
// Called with m.mu held.
func (m *Manager) startDriving(ctx context.Context, x *engine.Exercise) {
	if m.replicas == nil {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			x.Run(ctx)
		}()
		return
	}
	kick := make(chan struct{}, 1)
	m.followMu.Lock()
	m.kicks[x.ID()] = kick
	m.followMu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
			}
			if err := x.CatchUp(m.ctx); err != nil && m.ctx.Err() == nil {
				m.report(fmt.Errorf("exercise %s: catch up: %w", x.ID(), err))
			}
		}
	}()
}

// changed is a notice: exercise id's log has grown to seq, or (seq 0) it was created or its
// credentials changed. An exercise in memory catches up, or (seq 0) reads its facilitator
// token again (a replaced token stops working at once); one of the archive (ended, not in
// memory) is filed with its new last seq, so that nothing kept from before is served as its
// report, and stays in the store (its credentials answer from the store's index); any other
// one was created by another replica and is loaded.
func (m *Manager) changed(id string, seq int64) {
	m.mu.RLock()
	x, ok := m.exercises[id]
	m.mu.RUnlock()
	if ok {
		switch {
		case seq == 0:
			m.refreshInBackground(id)
		case seq > x.LastSeq():
			m.kick(id)
		}
		return
	}
	if m.fileArchive() != nil {
		return // the next resync tries again
	}
	if !m.refile(id, seq) {
		m.loadInBackground(id)
	}
}

// refreshInBackground reads exercise id's facilitator token again (refreshFacilitatorToken).
func (m *Manager) refreshInBackground(id string) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(m.ctx, lookupTimeout)
		defer cancel()
		if err := m.refreshFacilitatorToken(ctx, id); err != nil && m.ctx.Err() == nil {
			m.report(fmt.Errorf("refresh the facilitator token of %s: %w", id, err))
		}
	}()
}

// resync catches up whatever notice was missed: new exercises and logs that grew.
func (m *Manager) resync() {
	ctx, cancel := context.WithTimeout(m.ctx, lookupTimeout)
	defer cancel()
	ends, err := m.replicas.LogEnds(ctx)
	if err != nil {
		if m.ctx.Err() == nil {
			m.report(err)
		}
		return
	}
	for id, end := range ends {
		m.changed(id, end)
	}
}

// unfollow forgets the follower of exercise id, which has left memory (its context is done).
func (m *Manager) unfollow(id string) {
	if m.replicas == nil {
		return
	}
	m.followMu.Lock()
	delete(m.kicks, id)
	m.followMu.Unlock()
}

func (m *Manager) kick(id string) {
	m.followMu.Lock()
	kick := m.kicks[id]
	m.followMu.Unlock()
	select {
	case kick <- struct{}{}:
	default:
	}
}

// loadInBackground loads exercise id, created by another replica, unless it is loading.
func (m *Manager) loadInBackground(id string) {
	m.followMu.Lock()
	if m.loading[id] {
		m.followMu.Unlock()
		return
	}
	m.loading[id] = true
	m.followMu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(m.ctx, lookupTimeout)
		defer cancel()
		if _, err := m.load(ctx, id); err != nil && m.ctx.Err() == nil {
			m.report(fmt.Errorf("load exercise %s: %w", id, err))
		}
		m.followMu.Lock()
		delete(m.loading, id)
		m.followMu.Unlock()
	}()
}

// load brings exercise id from the store into this replica, if it is not live here yet, and
// returns it; ENotFound when the store has none.
func (m *Manager) load(ctx context.Context, id string) (*Listed, error) {
	m.mu.RLock()
	x, ok := m.exercises[id]
	m.mu.RUnlock()
	if ok {
		return x, nil
	}
	rec, err := m.store.Exercise(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := m.restore(ctx, rec); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if x, ok := m.exercises[id]; ok {
		return x, nil
	}
	return nil, engine.Errorf(engine.ENotFound, "there is no exercise %q", truncate(id))
}

// lookUp returns the principal of a credential of exercise id that this replica does not
// know, found in the store's index (storedPrincipal): the exercise, which another replica
// created, is loaded.
func (m *Manager) lookUp(ctx context.Context, id string, in func() (Principal, bool)) (Principal, bool) {
	if m.replicas == nil {
		return Principal{}, false
	}
	if _, err := m.load(ctx, id); err != nil {
		m.report(fmt.Errorf("load exercise %s: %w", id, err))
		return Principal{}, false
	}
	if p, ok := in(); ok {
		return p, true
	}
	// Live here already: the token may be one the admin replaced on another replica.
	if err := m.refreshFacilitatorToken(ctx, id); err != nil {
		m.report(fmt.Errorf("refresh the facilitator token of %s: %w", id, err))
	}
	return in()
}

// held is a clock this replica holds and drives.
type held struct {
	cancel context.CancelFunc
	ticked chan struct{} // closed once the first tick after taking it has run
}

// keepClocks claims, every ClockEvery, the clocks of the live exercises this replica does not
// hold, and beats the heartbeat of those it holds; each clock taken is driven until the
// replica loses it (its clock session) or closes.
func (m *Manager) keepClocks() {
	holding := make(map[string]*held)
	dropAll := func() {
		for id, h := range holding {
			h.cancel()
			delete(holding, id)
		}
	}
	defer dropAll()
	for {
		var want, beat, release []string
		inMemory := make(map[string]bool)
		for _, x := range m.Exercises() {
			inMemory[x.ID()] = true
			h, ok := holding[x.ID()]
			switch {
			case !ok && !x.Ended():
				want = append(want, x.ID())
			case ok && x.Ended():
				release = append(release, x.ID()) // an ended exercise's clock fires nothing more
			case ok && closed(h.ticked):
				// A new holder beats only once its first tick has looked at how long the clock
				// went unheld (and paused it if every replica was down).
				beat = append(beat, x.ID())
			}
		}
		for id := range holding {
			if !inMemory[id] {
				release = append(release, id)
			}
		}
		ctx, cancel := context.WithTimeout(m.ctx, lookupTimeout)
		err := m.releaseClocks(ctx, holding, release)
		var got []string
		if err == nil {
			got, err = m.replicas.TakeClocks(ctx, want, beat)
		}
		cancel()
		if err != nil {
			dropAll()
			if m.ctx.Err() == nil {
				m.report(err)
			}
		}
		for _, id := range got {
			x, err := m.Exercise(id)
			if err != nil {
				continue
			}
			ctx, cancel := context.WithCancel(m.ctx)
			h := &held{cancel: cancel, ticked: make(chan struct{})}
			holding[id] = h
			m.wg.Add(1)
			go func() {
				defer m.wg.Done()
				m.drive(ctx, x.Exercise, h.ticked)
			}()
		}
		select {
		case <-m.ctx.Done():
			return
		case <-m.clock.After(ClockEvery):
		}
	}
}

// releaseClocks stops driving the clocks of ids and lets go of them.
func (m *Manager) releaseClocks(ctx context.Context, holding map[string]*held, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	for _, id := range ids {
		holding[id].cancel()
		delete(holding, id)
	}
	return m.replicas.ReleaseClocks(ctx, ids)
}

// drive runs the clock of x, whose lock this replica has just taken, until ctx is done or x
// ends: a first tick fires what came due while nobody held it, in order; then x's clock
// driver runs, restarted after a failure (the database away) once ClockEvery has passed.
func (m *Manager) drive(ctx context.Context, x *engine.Exercise, ticked chan struct{}) {
	for {
		if err := x.Tick(ctx); err == nil {
			break
		} else if ctx.Err() == nil {
			m.report(fmt.Errorf("exercise %s: tick: %w", x.ID(), err))
		}
		select {
		case <-ctx.Done():
			return
		case <-m.clock.After(ClockEvery):
		}
	}
	close(ticked)
	for {
		x.Run(ctx)
		if ctx.Err() != nil || x.Ended() {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-m.clock.After(ClockEvery):
		}
	}
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
