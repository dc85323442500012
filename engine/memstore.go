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
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{exercises: make(map[string]ExerciseRecord), events: make(map[string][]Event)}
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
