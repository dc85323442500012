package scoring

import (
	"math/big"
	"strconv"
)

// Rating bands of HSEEP, on the rounded score.
const (
	RatingP = "P" // performed without challenges: from 80
	RatingS = "S" // some challenges: from 66
	RatingM = "M" // major challenges: from 50
	RatingU = "U" // unable to perform: below 50
)

// ratingBands are the lower edges of the bands above U, from the lowest: the one statement of
// the bands, read by Rating and by the charts that draw the edges.
var ratingBands = []struct {
	from   float64
	rating string
}{{50, RatingM}, {66, RatingS}, {80, RatingP}}

// Rating returns the HSEEP performance rating of a score from 0 to 100.
func Rating(score float64) string {
	for i := len(ratingBands) - 1; i >= 0; i-- {
		if score >= ratingBands[i].from {
			return ratingBands[i].rating
		}
	}
	return RatingU
}

// weighted accumulates credit × weight exactly, so that a mean that is exactly 72.45 rounds
// to 72.5 and not to the 72.4 that binary floating point would give.
type weighted struct {
	num, den big.Rat
}

func (w *weighted) add(credit, weight float64) {
	// Credits are binary fractions of two-decimal option credits (0.165 is 0.33 halved) and
	// weights are decimals (1.3): both read as the decimals they are.
	c := decimalRat(credit)
	wt := decimalRat(weight)
	w.num.Add(&w.num, c.Mul(c, wt))
	w.den.Add(&w.den, wt)
}

// score returns the weighted mean ×100 rounded to one decimal, half away from zero, and false
// when there is no weight to divide by.
func (w *weighted) score() (float64, bool) {
	if w.den.Sign() <= 0 {
		return 0, false
	}
	tenths := new(big.Rat).Quo(&w.num, &w.den)
	tenths.Mul(tenths, big.NewRat(1000, 1))
	n, d := tenths.Num(), tenths.Denom()
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	r.Abs(r).Mul(r, big.NewInt(2))
	if r.Cmp(d) >= 0 {
		if n.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	f, _ := new(big.Rat).SetFrac(q, big.NewInt(10)).Float64()
	return f, true
}

// decimalRat is the decimal a person wrote for a float (0.1 is one tenth, not the binary
// fraction nearest to it).
func decimalRat(f float64) *big.Rat {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	if !ok {
		r = new(big.Rat)
		r.SetFloat64(f)
	}
	return r
}
