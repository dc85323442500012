package engine

import (
	"fmt"
	"time"

	"github.com/ttx-dev/ttx/scenarios"
)

// whenHolds evaluates in's `when` at simulated time t over the exercise's state.
func (x *Exercise) whenHolds(in *scenarios.Inject, t time.Duration) (bool, error) {
	if in.When == nil {
		return true, nil
	}
	return false, fmt.Errorf("the scenario language's when evaluation is not available yet")
}
