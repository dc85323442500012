package engine

// DefaultResponseBudget is how many responses one participant may record in one exercise
// unless SetResponseBudget says otherwise: far more than a person types in a day, few enough
// that one join code cannot grow the log without bound.
const DefaultResponseBudget = 2000

// SetResponseBudget sets how many responses one participant (its id, or its team and name
// without one) may record in this exercise; n < 1 means DefaultResponseBudget.
func (x *Exercise) SetResponseBudget(n int) {
	if n < 1 {
		n = DefaultResponseBudget
	}
	x.mu.Lock()
	x.budget = n
	x.mu.Unlock()
}

// checkBudget refuses a new response of r's participant past the budget. A retry of a ref
// already recorded is answered before this check, so it is never refused. Called under x.mu.
func (x *Exercise) checkBudget(r Response) error {
	if n := x.st.Responses[RefKeyOf(r.Team, r.Name, r.Participant, "")]; n >= x.budget {
		return Errorf(ETooMany,
			"you have recorded %d responses in this exercise, the most one participant may; tell the facilitator the rest", n)
	}
	return nil
}
