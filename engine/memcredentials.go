package engine

import (
	"context"
	"maps"
)

var _ CredentialsUpdater = (*MemoryStore)(nil)

// SetCredential sets one entry of the exercise's Credentials.
func (s *MemoryStore) SetCredential(ctx context.Context, exerciseID, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.exercises[exerciseID]
	if !ok {
		return Errorf(ENotFound, "there is no exercise %s", exerciseID)
	}
	rec.Credentials = maps.Clone(rec.Credentials)
	if rec.Credentials == nil {
		rec.Credentials = make(map[string]string)
	}
	rec.Credentials[key] = value
	s.exercises[exerciseID] = rec
	return nil
}
