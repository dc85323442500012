package engine

import (
	"context"
	"slices"
	"sort"
	"sync"
)

// MemoryStore is a Store that keeps everything in memory: for rehearsals that are not kept,
// and for tests. It checks that every exercise's seqs run from 1 without gaps.
type MemoryStore struct {
	mu        sync.Mutex
	exercises map[string]ExerciseRecord
	events    map[string][]Event
	derived   map[string]Derived // by exercise id and name

	*MemoryIdempotency
}

var (
	_ Store             = (*MemoryStore)(nil)
	_ Cataloguer        = (*MemoryStore)(nil)
	_ DerivedKeeper     = (*MemoryStore)(nil)
	_ CredentialIndex   = (*MemoryStore)(nil)
	_ IdempotencyKeeper = (*MemoryStore)(nil)
)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{exercises: make(map[string]ExerciseRecord), events: make(map[string][]Event),
		derived: make(map[string]Derived), MemoryIdempotency: NewMemoryIdempotency()}
}

// CreateExercise stores rec as rec.Stored(); EConflict when its id is taken.
func (s *MemoryStore) CreateExercise(ctx context.Context, rec ExerciseRecord) error {
	rec = rec.Stored()
	rec.Teams = slices.Clone(rec.Teams)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.exercises[rec.ID]; ok {
		return Errorf(EConflict, "exercise %s already exists", rec.ID)
	}
	s.exercises[rec.ID] = rec
	return nil
}

// Exercises returns every exercise, oldest first.
func (s *MemoryStore) Exercises(ctx context.Context) ([]ExerciseRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := make([]ExerciseRecord, 0, len(s.exercises))
	for _, rec := range s.exercises {
		recs = append(recs, rec)
	}
	sort.Slice(recs, func(i, j int) bool {
		if !recs[i].CreatedAt.Equal(recs[j].CreatedAt) {
			return recs[i].CreatedAt.Before(recs[j].CreatedAt)
		}
		return recs[i].ID < recs[j].ID
	})
	return recs, nil
}

// Exercise returns the exercise id; ENotFound when there is none.
func (s *MemoryStore) Exercise(ctx context.Context, id string) (ExerciseRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.exercises[id]
	if !ok {
		return ExerciseRecord{}, Errorf(ENotFound, "no exercise %s", id)
	}
	return rec, nil
}

// Append adds events to the log of exerciseID; their seqs must continue it.
func (s *MemoryStore) Append(ctx context.Context, exerciseID string, events []Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.exercises[exerciseID]; !ok {
		return Errorf(ENotFound, "no exercise %s", exerciseID)
	}
	log := s.events[exerciseID]
	for _, e := range events {
		if e.Seq != int64(len(log))+1 {
			return Errorf(EConflict, "exercise %s: event %d does not follow event %d", exerciseID, e.Seq, len(log))
		}
		log = append(log, e)
	}
	s.events[exerciseID] = log
	return nil
}

// Events returns the log of exerciseID in seq order.
func (s *MemoryStore) Events(ctx context.Context, exerciseID string) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.exercises[exerciseID]; !ok {
		return nil, Errorf(ENotFound, "no exercise %s", exerciseID)
	}
	return append([]Event(nil), s.events[exerciseID]...), nil
}

// Close does nothing.
func (s *MemoryStore) Close() error { return nil }

// Catalog returns the exercises that ended, or the others, without their sources, oldest
// first.
func (s *MemoryStore) Catalog(ctx context.Context, ended bool) ([]CatalogEntry, error) {
	recs, err := s.Exercises(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CatalogEntry, 0, len(recs))
	for _, rec := range recs {
		rec.Sources = nil
		e := CatalogEntry{Record: rec}
		for _, ev := range s.events[rec.ID] {
			e.Ended = e.Ended || EndsExercise(ev.Kind)
			e.LastSeq = ev.Seq
		}
		if e.Ended == ended {
			out = append(out, e)
		}
	}
	return out, nil
}

// Derived returns the row name of exerciseID.
func (s *MemoryStore) Derived(ctx context.Context, exerciseID, name string) (Derived, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.derived[exerciseID+"\x00"+name]
	d.Body = slices.Clone(d.Body)
	return d, ok, nil
}

// DerivedAll returns the row name of every exercise that has one, by exercise id.
func (s *MemoryStore) DerivedAll(ctx context.Context, name string) ([]Derived, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Derived
	for _, d := range s.derived {
		if d.Name == name {
			d.Body = slices.Clone(d.Body)
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ExerciseID < out[j].ExerciseID })
	return out, nil
}

// PutDerived keeps d; ENotFound for an unknown exercise.
func (s *MemoryStore) PutDerived(ctx context.Context, d Derived) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.exercises[d.ExerciseID]; !ok {
		return Errorf(ENotFound, "no exercise %s", d.ExerciseID)
	}
	d.Body = slices.Clone(d.Body)
	s.derived[d.ExerciseID+"\x00"+d.Name] = d
	return nil
}

// CredentialOf returns the exercise whose Credentials holds hash.
func (s *MemoryStore) CredentialOf(ctx context.Context, hash string) (string, string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, rec := range s.exercises {
		for key, h := range rec.Credentials {
			if h == hash {
				return id, key, true, nil
			}
		}
	}
	return "", "", false, nil
}
