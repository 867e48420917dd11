package render

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// roundTicks marks a linear axis at the multiples of a round step — 1, 2 or
// 5 times a power of ten — labelling between minRoundLabels and
// maxRoundLabels of them, all with the step's number of decimals (so an
// axis reads −2, −1, 0, 1, 2 or 0.0, 0.2, …, 1.2, never 2.50 or 0.1, 0.6,
// 1.1) and a typographic minus. Unlabelled minor ticks divide each step in
// two or five.
type roundTicks struct{}

const minRoundLabels, maxRoundLabels = 4, 10

func (roundTicks) Ticks(min, max float64) []plot.Tick {
	if math.IsNaN(min) || math.IsNaN(max) || math.IsInf(min, 0) || math.IsInf(max, 0) || max < min {
		return nil
	}
	if max == min {
		return []plot.Tick{{Value: min, Label: tickLabel(min, decimalsFor(math.Abs(min)))}}
	}
	step, mant := roundStep(min, max)
	dec := decimalsFor(step)
	var ts []plot.Tick
	minor := step / 5
	if mant == 2 {
		minor = step / 2
	}
	for k := math.Ceil(min/minor - 1e-9); k <= math.Floor(max/minor+1e-9); k++ {
		v := k * minor
		t := plot.Tick{Value: v}
		if q := v / step; math.Abs(q-math.Round(q)) < 1e-6 {
			v = math.Round(q) * step
			t = plot.Tick{Value: v, Label: tickLabel(v, dec)}
		}
		ts = append(ts, t)
	}
	return ts
}

// roundStep is the largest 1-2-5 step that puts at least minRoundLabels
// multiples in [min, max], and its mantissa (1, 2 or 5). A range too narrow
// for that gets the step putting the most multiples in it.
func roundStep(min, max float64) (step float64, mant int) {
	e := math.Ceil(math.Log10(max - min))
	for i := 0; i < 60; i++ {
		for _, m := range []int{5, 2, 1} {
			s := float64(m) * math.Pow(10, e)
			if n := roundCount(min, max, s); n >= minRoundLabels && n <= maxRoundLabels {
				return s, m
			}
		}
		e--
	}
	return math.Pow(10, math.Floor(math.Log10(max-min))), 1
}

// roundCount is how many multiples of step lie in [min, max].
func roundCount(min, max, step float64) int {
	return int(math.Floor(max/step+1e-9) - math.Ceil(min/step-1e-9) + 1)
}

// decimalsFor is the number of decimals that writes every multiple of
// step exactly (0 for steps of 1 or more).
func decimalsFor(step float64) int {
	if step <= 0 || math.IsInf(step, 0) || math.IsNaN(step) {
		return 0
	}
	d := int(math.Ceil(-math.Log10(step) - 1e-9))
	if d < 0 {
		return 0
	}
	return d
}

// tickLabel writes v with dec decimals and a typographic minus ("−0"
// becomes "0").
func tickLabel(v float64, dec int) string {
	s := noNegZero(strconv.FormatFloat(v, 'f', dec, 64))
	return strings.Replace(s, "-", "−", 1)
}
