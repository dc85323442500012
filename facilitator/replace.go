package facilitator

import (
	"context"
	"fmt"

	"github.com/ttx-dev/ttx/engine"
)

// ReplaceFacilitatorToken draws a new facilitator token for exercise id, stores its hash in
// the exercise's record and returns it in clear, once: the admin's answer to a lost token.
// The old token stops working at once (connections already open with it stay open until they
// close). EConflict when the store cannot replace credentials.
func (m *Manager) ReplaceFacilitatorToken(ctx context.Context, id string) (string, error) {
	up, ok := m.store.(engine.CredentialsUpdater)
	if !ok {
		return "", engine.Errorf(engine.EConflict, "this server's store cannot replace a token")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.exercises[id]; !ok {
		return "", engine.Errorf(engine.ENotFound, "there is no exercise %q", truncate(id))
	}
	token, err := newToken(m.rand)
	if err != nil {
		return "", err
	}
	h := hashSecret(kindToken, token)
	if err := up.SetCredential(ctx, id, credFacilitator, h); err != nil {
		return "", fmt.Errorf("store the new facilitator token of %s: %w", id, err)
	}
	for old, p := range m.tokens {
		if p.Role == RoleFacilitator && p.Exercise == id {
			delete(m.tokens, old)
		}
	}
	m.tokens[h] = Principal{Role: RoleFacilitator, Exercise: id}
	return token, nil
}

// refreshFacilitatorToken reads exercise id's record again and takes its facilitator token's
// hash as the one that counts: a replica learns of a token another replica's admin replaced.
func (m *Manager) refreshFacilitatorToken(ctx context.Context, id string) error {
	rec, err := m.store.Exercise(ctx, id)
	if err != nil {
		return err
	}
	h, ok := rec.Credentials[credFacilitator]
	if !ok {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, live := m.exercises[id]; !live {
		return nil
	}
	for old, p := range m.tokens {
		if p.Role == RoleFacilitator && p.Exercise == id {
			delete(m.tokens, old)
		}
	}
	m.tokens[h] = Principal{Role: RoleFacilitator, Exercise: id}
	return nil
}
