package facilitator

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"github.com/ttx-dev/ttx/engine"
)

// The archive: ended exercises (in their hot wash or closed) stay in the store and come into
// memory only when asked for, so that a start-up, and the memory of a server, grow with live
// work and not with history (issue 17). Their credentials are indexed at start-up from the
// store's catalogue, without their sources or logs.

// Residency bounds of the ended exercises in memory: one leaves when idle for ResidentIdle
// (on the manager's clock), or, past MaxResident, the least recently used goes first. One
// that someone follows (a WebSocket hub subscribed to it) stays.
const (
	MaxResident  = 32
	ResidentIdle = 10 * time.Minute
)

// Filed is what the manager knows of a stored exercise whether or not it is in memory.
type Filed struct {
	ID        string
	Scenario  string
	Plan      string
	CreatedAt time.Time
	Mode      string // engine.ModeEvaluation or engine.ModeTraining
	Kind      string // engine.ExerciseLive or engine.ExerciseRehearsal
	Ended     bool   // in its hot wash or closed
	// LastSeq is the seq of its last committed event: what is derived from its log up to
	// LastSeq is still true.
	LastSeq int64
	// Listing is what the exercise list shows of it; nil when not known without loading it.
	Listing *Listing
}

// Listing is what GET /api/exercises shows of an exercise besides its record.
type Listing struct {
	Title   string  `json:"title"`
	Status  string  `json:"status"`
	SimTime string  `json:"sim_time"`
	Speed   float64 `json:"speed"`
}

// listingName is the name of the kept Listing of an ended exercise.
const listingName = "listing"

// archived is an ended exercise of the store, in memory or not.
type archived struct {
	filed Filed
}

// resident is an ended exercise brought into memory, and how to let it go.
type resident struct {
	lastUsed atomic.Int64 // unix nanoseconds on the manager's clock
	stop     context.CancelFunc
}

// restoreCatalogue restores the live exercises of the store's catalogue, reading neither
// the sources nor the logs of the ended ones. Those are filed when first needed
// (fileArchive), or now when the store cannot find their credentials on demand.
func (m *Manager) restoreCatalogue(ctx context.Context, cat engine.Cataloguer) error {
	entries, err := cat.Catalog(ctx, false)
	if err != nil {
		return fmt.Errorf("list stored exercises: %w", err)
	}
	var errs []error
	for _, e := range entries {
		full, err := m.store.Exercise(ctx, e.Record.ID)
		if err == nil {
			err = m.restore(ctx, full)
		}
		if err != nil {
			errs = append(errs, m.lose(e.Record, err))
		}
	}
	if _, finds := m.store.(engine.CredentialIndex); !finds {
		errs = append(errs, m.fileArchive())
	}
	return joinErrors(errs)
}

// fileArchive files the ended exercises of the store's catalogue, once, with the Listing
// kept of each (and their credentials, when the store cannot find them on demand): on the
// first call that needs them, not at start-up. A failure is returned and tried again by the
// next call.
func (m *Manager) fileArchive() error {
	if m.archiveFiled.Load() {
		return nil
	}
	m.archiveMu.Lock()
	defer m.archiveMu.Unlock()
	if m.archiveFiled.Load() {
		return nil
	}
	cat, ok := m.store.(engine.Cataloguer)
	if !ok {
		m.archiveFiled.Store(true)
		return nil
	}
	entries, err := cat.Catalog(m.ctx, true)
	if err != nil {
		return fmt.Errorf("list the ended exercises: %w", err)
	}
	listings := m.keptListings(m.ctx)
	_, finds := m.store.(engine.CredentialIndex)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range entries {
		rec := e.Record
		_, live := m.exercises[rec.ID]
		_, lost := m.lost[rec.ID]
		_, filed := m.archive[rec.ID]
		if live || lost || filed {
			continue
		}
		f := filedOf(rec, true, e.LastSeq)
		if l, ok := listings[rec.ID]; ok && l.Seq == e.LastSeq {
			var listing Listing
			if json.Unmarshal(l.Body, &listing) == nil {
				f.Listing = &listing
			}
		}
		m.archive[rec.ID] = &archived{filed: f}
		if !finds {
			m.addCredentialsLocked(rec)
		}
	}
	m.archiveFiled.Store(true)
	return nil
}

// keptListings returns the kept Listing rows by exercise id; none when the store keeps none.
func (m *Manager) keptListings(ctx context.Context) map[string]engine.Derived {
	out := map[string]engine.Derived{}
	keeper, ok := m.store.(engine.DerivedKeeper)
	if !ok {
		return out
	}
	rows, err := keeper.DerivedAll(ctx, listingName)
	if err != nil {
		return out // a cache: without it the list loads what it shows
	}
	for _, d := range rows {
		out[d.ExerciseID] = d
	}
	return out
}

func filedOf(rec engine.ExerciseRecord, ended bool, lastSeq int64) Filed {
	rec = rec.Stored()
	return Filed{ID: rec.ID, Scenario: rec.Scenario, Plan: rec.Plan, CreatedAt: rec.CreatedAt,
		Mode: rec.Mode, Kind: rec.Kind, Ended: ended, LastSeq: lastSeq}
}

// filedOfListed is what is filed of an exercise in memory, from its snapshot.
func filedOfListed(x *Listed) Filed {
	snap := x.Snapshot()
	f := filedOf(x.Record(), engine.HasEnded(snap.Status), snap.Seq)
	f.Mode = x.Mode()
	f.Listing = &Listing{Title: x.Scenario().Title, Status: snap.Status, SimTime: snap.SimTime.String(), Speed: snap.Speed}
	return f
}

// Filed returns every stored exercise the manager restored or filed, in memory or not, oldest
// first (the unrestorable ones are Unrestored's).
func (m *Manager) Filed() []Filed {
	_ = m.fileArchive() // a failure lists what is in memory; the next call tries again
	m.mu.RLock()
	out := make([]Filed, 0, len(m.exercises)+len(m.archive))
	inMemory := make([]*Listed, 0, len(m.exercises))
	for _, x := range m.exercises {
		inMemory = append(inMemory, x)
	}
	for id, a := range m.archive {
		if _, ok := m.exercises[id]; !ok {
			out = append(out, a.filed)
		}
	}
	m.mu.RUnlock()
	for _, x := range inMemory {
		out = append(out, filedOfListed(x))
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// FiledExercise returns what is filed of exercise id, in memory or not, without loading it.
func (m *Manager) FiledExercise(id string) (Filed, bool) {
	_ = m.fileArchive()
	m.mu.RLock()
	x, live := m.exercises[id]
	a, filed := m.archive[id]
	var f Filed
	if filed {
		f = a.filed // under the lock: a notice refiles it (refile)
	}
	m.mu.RUnlock()
	switch {
	case live:
		return filedOfListed(x), true
	case filed:
		return f, true
	}
	return Filed{}, false
}

// InMemory returns exercise id if it is in memory, without loading it.
func (m *Manager) InMemory(id string) (*Listed, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	x, ok := m.exercises[id]
	return x, ok
}

// Resident returns how many ended exercises are in memory because they were asked for.
func (m *Manager) Resident() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.resident)
}

// loadArchived brings the filed exercise id into memory from the store: its record, the
// scenario of its sources and the fold of its log, as a restart would.
func (m *Manager) loadArchived(id string) (*Listed, error) {
	if err := m.fileArchive(); err != nil {
		return nil, err
	}
	m.loadMu.Lock()
	defer m.loadMu.Unlock()
	m.mu.RLock()
	x, live := m.exercises[id]
	a, filed := m.archive[id]
	m.mu.RUnlock()
	if live {
		m.touch(id)
		return x, nil
	}
	if !filed {
		return nil, engine.Errorf(engine.ENotFound, "there is no exercise %q", truncate(id))
	}
	ctx := m.ctx
	rec, err := m.store.Exercise(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load exercise %s: %w", id, err)
	}
	sc, err := ScenarioFromSources(rec)
	if err != nil {
		return nil, m.lose(rec, err)
	}
	ex, err := m.restoreExercise(ctx, rec, sc)
	if err != nil {
		return nil, m.lose(rec, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, engine.Errorf(engine.EConflict, "the server is shutting down")
	}
	m.addLocked(m.ctx, rec, ex)
	r := &resident{stop: m.stops[id]} // evicting it stops its clock driver
	r.lastUsed.Store(m.clock.Now().UnixNano())
	m.resident[id] = r
	listed := m.exercises[id]
	a.filed = filedOfListed(listed)
	m.sweepLocked(id)
	return listed, nil
}

// touch marks the resident exercise id as used now.
func (m *Manager) touch(id string) {
	m.mu.RLock()
	r, ok := m.resident[id]
	m.mu.RUnlock()
	if ok {
		r.lastUsed.Store(m.clock.Now().UnixNano())
	}
}

// Sweep lets go of the ended exercises in memory that nobody used for ResidentIdle, and of the
// least recently used past MaxResident; an exercise that ended while in memory joins them.
// cmd/ttx calls it on a ticker; loads call it too.
func (m *Manager) Sweep() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweepLocked("")
}

// sweepLocked is Sweep, keeping exercise keep (just loaded) whatever its age.
func (m *Manager) sweepLocked(keep string) {
	if m.closed {
		return
	}
	now := m.clock.Now().UnixNano()
	for id, x := range m.exercises {
		if _, ok := m.resident[id]; ok || !x.Ended() {
			continue
		}
		// Ended while live: from now on it is history, kept while used.
		r := &resident{stop: m.stops[id]}
		r.lastUsed.Store(now)
		m.resident[id] = r
		m.archive[id] = &archived{filed: filedOfListed(x)}
	}
	type aged struct {
		id   string
		used int64
	}
	var evictable []aged
	for id, r := range m.resident {
		if id == keep || m.exercises[id].Subscribers() > 0 {
			continue
		}
		evictable = append(evictable, aged{id, r.lastUsed.Load()})
	}
	sort.Slice(evictable, func(i, j int) bool { return evictable[i].used < evictable[j].used })
	over := len(m.resident) - MaxResident
	for _, e := range evictable {
		if now-e.used < int64(ResidentIdle) && over <= 0 {
			continue
		}
		m.evictLocked(e.id)
		over--
	}
}

// evictLocked lets the resident exercise id go: its clock driver stops, its Listing is kept
// in the store for the list, and it is filed again with its last seq.
func (m *Manager) evictLocked(id string) {
	x := m.exercises[id]
	f := filedOfListed(x)
	m.archive[id] = &archived{filed: f}
	m.keepListingLocked(id, f)
	m.resident[id].stop()
	delete(m.resident, id)
	delete(m.stops, id)
	delete(m.exercises, id)
	m.unfollow(id)
}

// lose lists rec as unrestorable with err, and returns err with the exercise named.
func (m *Manager) lose(rec engine.ExerciseRecord, err error) error {
	err = fmt.Errorf("restore exercise %s: %w", rec.ID, err)
	m.mu.Lock()
	m.lost[rec.ID] = Unrestored{ID: rec.ID, Scenario: rec.Scenario, Plan: rec.Plan,
		CreatedAt: rec.CreatedAt, Reason: err.Error()}
	delete(m.archive, rec.ID)
	m.mu.Unlock()
	return err
}

// Kept returns what was kept under name for the ended exercise f, if it was computed from its
// log up to f.LastSeq; nothing when the store keeps nothing (engine.DerivedKeeper).
func (m *Manager) Kept(f Filed, name string) ([]byte, bool) {
	keeper, ok := m.store.(engine.DerivedKeeper)
	if !ok || !f.Ended {
		return nil, false
	}
	d, ok, err := keeper.Derived(m.ctx, f.ID, name)
	if err != nil || !ok || d.Seq != f.LastSeq {
		return nil, false
	}
	return d.Body, true
}

// KeptAll returns what was kept under name for every ended exercise, by id, with the seq it
// was computed from: one read for a list that spans history.
func (m *Manager) KeptAll(name string) map[string]engine.Derived {
	out := map[string]engine.Derived{}
	keeper, ok := m.store.(engine.DerivedKeeper)
	if !ok {
		return out
	}
	rows, err := keeper.DerivedAll(m.ctx, name)
	if err != nil {
		return out
	}
	for _, d := range rows {
		out[d.ExerciseID] = d
	}
	return out
}

// Keep keeps body under name for the ended exercise f, computed from its log up to
// f.LastSeq. It is a cache: a failure costs a recomputation later, and is not returned.
func (m *Manager) Keep(f Filed, name string, body []byte) {
	if keeper, ok := m.store.(engine.DerivedKeeper); ok && f.Ended {
		_ = keeper.PutDerived(m.ctx, engine.Derived{ExerciseID: f.ID, Name: name, Seq: f.LastSeq, Body: body})
	}
}

// keepListingLocked keeps what the list shows of the ended exercise f. A cache: when it fails
// the list loads the exercise again.
func (m *Manager) keepListingLocked(id string, f Filed) {
	keeper, ok := m.store.(engine.DerivedKeeper)
	if !ok || f.Listing == nil {
		return
	}
	if body, err := json.Marshal(f.Listing); err == nil {
		_ = keeper.PutDerived(m.ctx, engine.Derived{ExerciseID: id, Name: listingName, Seq: f.LastSeq, Body: body})
	}
}

// storedPrincipal returns who the credential hashed as h (of kind kindToken or kindCode)
// proves its holder to be when known (the manager's maps, which hold the credentials of the
// exercises in memory) does not say, from the store's index (engine.CredentialIndex): the
// credential of an ended exercise filed but not in memory answers without loading it; on a
// replica, one of an exercise another replica created loads that exercise (lookUp).
func (m *Manager) storedPrincipal(h, kind string, known func() (Principal, bool)) (Principal, bool) {
	finder, ok := m.store.(engine.CredentialIndex)
	if !ok {
		return Principal{}, false
	}
	ctx, cancel := context.WithTimeout(m.ctx, lookupTimeout)
	defer cancel()
	id, key, found, err := finder.CredentialOf(ctx, h)
	if err != nil && m.replicas != nil {
		m.report(err)
	}
	if err != nil || !found || m.fileArchive() != nil {
		return Principal{}, false
	}
	p, pkind, ok := principalOf(id, key)
	if !ok || pkind != kind {
		return Principal{}, false
	}
	if m.filed(id) {
		return p, true
	}
	// Not filed: created on another replica; or, on a lone server, an exercise that could not
	// be restored, which proves nobody.
	return m.lookUp(ctx, id, known)
}

// filed reports whether exercise id is filed in the archive (ended), in memory or not.
func (m *Manager) filed(id string) bool {
	_ = m.fileArchive() // a failure files nothing: a replica loads the exercise instead
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.archive[id]
	return ok
}

// refile files the exercise id of the archive with its log's new last seq, when it is filed
// and not in memory, and reports whether it is: another replica appended to its log (a hot
// wash's feedback), so that what was kept of it before, and its listing, are stale.
func (m *Manager) refile(id string, seq int64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, filed := m.archive[id]
	if !filed {
		return false
	}
	if _, live := m.exercises[id]; !live && seq > a.filed.LastSeq {
		a.filed.LastSeq, a.filed.Listing = seq, nil
	}
	return true
}

// filedCredential reports whether the store's index holds h for some exercise: a new join
// code must not be one an archived exercise has.
func (m *Manager) filedCredential(h string) bool {
	finder, ok := m.store.(engine.CredentialIndex)
	if !ok {
		return false
	}
	_, _, found, err := finder.CredentialOf(m.ctx, h)
	return found || err != nil
}
