package scoring

import (
	"math/big"
	"time"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// This file holds the credit arithmetic of design/scoring.md, which no other package writes
// again. Which record of an action counts is engine.CountingRecord and what an escalation
// records is scenarios.Plan.EscalatedActions: the engine needs both and cannot import scoring.

// ActionRecord is one recording of a plan action by a team: an action_recorded event, or an
// escalation that does the sender's action (scenarios.Plan.EscalatedActions). Which record
// counts is engine.CountingRecord, the rule the console's progress reads too.
type ActionRecord = engine.ActionRecord

// ActionFactors are what an action item's credit depends on, besides its timing.
type ActionFactors struct {
	WrongOwner bool // recorded only by a team other than the owner (step 4)
	Prompted   bool // the recording team had been told to do it by an inject (step 6)
	OutOfOrder bool // a prerequisite had no record at or before the record (step 5)
}

// TimingCredit is the credit of a record at t of an action triggered at T with due D
// (step 3): 1 by T+D, 0.5 by T+2D, else 0.25; late reports whether it was after T+D.
func TimingCredit(t, T, D time.Duration) (credit *big.Rat, late bool) {
	switch {
	case t <= T+D:
		return big.NewRat(1, 1), false
	case t <= T+2*D:
		return big.NewRat(1, 2), true
	default:
		return big.NewRat(1, 4), true
	}
}

// ActionCredit combines the timing credit with the other factors in the order scoring.md
// fixes: timing × (wrong owner ½) × (prompted ½) − (out of order ¼), floored at 0. Exact.
func ActionCredit(timing *big.Rat, f ActionFactors) *big.Rat {
	c := new(big.Rat).Set(timing)
	half := big.NewRat(1, 2)
	if f.WrongOwner {
		c.Mul(c, half)
	}
	if f.Prompted {
		c.Mul(c, half)
	}
	if f.OutOfOrder {
		c.Sub(c, big.NewRat(1, 4))
		if c.Sign() < 0 {
			c.SetInt64(0)
		}
	}
	return c
}

// DecisionCredit is the credit of an answer to d (scoring.md, "Credit of a decision item"):
// the option's credit (1 for expected, the credit map's value, else 0), halved when the answer
// came after the decision's due. Exact: option credits have at most two decimals.
func DecisionCredit(d *scenarios.Decision, option string, late bool) *big.Rat {
	c := decimalRat(d.OptionCredit(option))
	if late {
		c.Mul(c, big.NewRat(1, 2))
	}
	return c
}

// CreditLost is weight × (1 − credit), exactly: what an item's gaps cost it.
func CreditLost(credit, weight float64) *big.Rat {
	lost := new(big.Rat).Sub(big.NewRat(1, 1), decimalRat(credit))
	return lost.Mul(lost, decimalRat(weight))
}

// ratFloat is the float64 nearest to r.
func ratFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}
