package engine

// LiveState returns the state the exercise folds as it records, for comparing with the fold
// of its stored log.
func (x *Exercise) LiveState() *State {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.st
}
