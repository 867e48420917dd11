package experiment

import (
	"fmt"
	"strconv"
)

// Contradicted is the fourth outcome of the pre-registered rule (with
// Supported, Inconclusive and EquivalentVerdict's): the data reject the
// claim in favour of the other side.
const Contradicted = "contradicted"

// PreregRule is the pre-registered verdict rule in words, for the artifacts
// that state it.
const PreregRule = "per endpoint, a two-sided paired t-test against 0 and a TOST for equivalence within ±m; " +
	"Holm-adjusted within each family (the primary endpoint alone; the secondary endpoints together), separately " +
	"for the t and the TOST p-values. A claimed sign ±1 is supported when the adjusted t p < α with the mean on the " +
	"claimed side, contradicted when the adjusted t p < α with the mean on the other side, otherwise not supported " +
	"(equivalent within ±m) when the adjusted TOST p < α, otherwise inconclusive. A claimed equivalence (sign 0) is " +
	"supported when the adjusted TOST p < α, otherwise contradicted when the adjusted t p < α, otherwise inconclusive"

// EquivalentVerdict is the outcome "not supported (equivalent within ±m)"
// for the margin m, written with its unit, e.g. "not supported (equivalent
// within ±0.005 ppl/byte)".
func EquivalentVerdict(m Quantity) string {
	s := "±" + strconv.FormatFloat(m.Value, 'g', -1, 64)
	if m.Unit != "" {
		s += " " + m.Unit
	}
	return "not supported (equivalent within " + s + ")"
}

// Decision is the verdict on one pre-registered hypothesis with every
// number behind it. Intervals and raw p-values are per endpoint; the
// adjusted ones are Holm within the hypothesis' family of FamilySize.
type Decision struct {
	Hypothesis
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// Lo, Hi: the (1 − α) two-sided t interval of the mean (unadjusted);
	// EqLo, EqHi: the (1 − 2α) interval that TOST compares with ±m.
	Lo   float64 `json:"ci_lo"`
	Hi   float64 `json:"ci_hi"`
	EqLo float64 `json:"eq_ci_lo"`
	EqHi float64 `json:"eq_ci_hi"`
	T    float64 `json:"t"`
	// P: two-sided t-test; TOSTP: max of the two one-sided tests.
	P          float64 `json:"p"`
	PAdj       float64 `json:"p_holm"`
	TOSTP      float64 `json:"tost_p"`
	TOSTPAdj   float64 `json:"tost_p_holm"`
	FamilySize int     `json:"family_size"`
	// Power is PowerT(effect, SD, N, α/FamilySize, TwoSided) and PowerTOST
	// is PowerTOST(0, SD, N, α/FamilySize, m): the power reached for the
	// stated effect and for equivalence when there is no effect, with the
	// observed SD as σ, at the level of Holm's first step (a lower bound
	// on Holm's power); both 1 when SD = 0.
	Power     float64  `json:"power"`
	PowerTOST float64  `json:"power_tost"`
	Alpha     float64  `json:"alpha"`
	Margin    Quantity `json:"margin"`
	Verdict   string   `json:"verdict"`
}

// Decide applies PreregRule to the paired differences of each hypothesis'
// endpoint: diffs[h.Endpoint] holds one difference per seed, in p.Seeds'
// order, with the sign convention of h.Sign. The decisions are in the
// order of p.Hypotheses. It is an error when p is invalid, an endpoint has
// no differences or not one per seed, or diffs holds an endpoint that no
// hypothesis names.
func (p Prereg) Decide(diffs map[string][]float64) ([]Decision, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, h := range p.Hypotheses {
		known[h.Endpoint] = true
	}
	for e := range diffs {
		if !known[e] {
			return nil, fmt.Errorf("experiment: decide %q: endpoint %q has no pre-registered hypothesis", p.Experiment, e)
		}
	}
	ds := make([]Decision, len(p.Hypotheses))
	family := map[string][]int{}
	for i, h := range p.Hypotheses {
		d, ok := diffs[h.Endpoint]
		if !ok {
			return nil, fmt.Errorf("experiment: decide %q: no differences for endpoint %q", p.Experiment, h.Endpoint)
		}
		if len(d) != len(p.Seeds) {
			return nil, fmt.Errorf("experiment: decide %q: endpoint %q has %d differences for %d seeds",
				p.Experiment, h.Endpoint, len(d), len(p.Seeds))
		}
		t, err := PairedT(d, TwoSided, p.Alpha)
		if err != nil {
			return nil, fmt.Errorf("experiment: decide %q, endpoint %q: %w", p.Experiment, h.Endpoint, err)
		}
		e, err := PairedTOST(d, p.Margin.Value, p.Alpha)
		if err != nil {
			return nil, fmt.Errorf("experiment: decide %q, endpoint %q: %w", p.Experiment, h.Endpoint, err)
		}
		ds[i] = Decision{Hypothesis: h, N: t.N, Mean: t.Mean, SD: t.SD, Lo: t.Lo, Hi: t.Hi, EqLo: e.Lo, EqHi: e.Hi,
			T: t.T, P: t.P, TOSTP: e.P, Alpha: p.Alpha, Margin: p.Margin}
		family[h.Family] = append(family[h.Family], i)
	}
	for _, members := range family {
		ps, qs := make([]float64, len(members)), make([]float64, len(members))
		for j, i := range members {
			ps[j], qs[j] = ds[i].P, ds[i].TOSTP
		}
		pa, err := Holm(ps)
		if err != nil {
			return nil, fmt.Errorf("experiment: decide %q: %w", p.Experiment, err)
		}
		qa, err := Holm(qs)
		if err != nil {
			return nil, fmt.Errorf("experiment: decide %q: %w", p.Experiment, err)
		}
		for j, i := range members {
			d := &ds[i]
			d.PAdj, d.TOSTPAdj, d.FamilySize = pa[j], qa[j], len(members)
			if err := d.power(p.Effect.Value); err != nil {
				return nil, fmt.Errorf("experiment: decide %q, endpoint %q: %w", p.Experiment, d.Endpoint, err)
			}
			d.Verdict = verdict(d.Sign, d.Mean, d.PAdj, d.TOSTPAdj, p.Alpha, p.Margin)
		}
	}
	return ds, nil
}

func (d *Decision) power(effect float64) error {
	if d.SD == 0 {
		d.Power, d.PowerTOST = 1, 1
		return nil
	}
	level := d.Alpha / float64(d.FamilySize)
	var err error
	if d.Power, err = PowerT(effect, d.SD, d.N, level, TwoSided); err != nil {
		return err
	}
	d.PowerTOST, err = PowerTOST(0, d.SD, d.N, level, d.Margin.Value)
	return err
}

// verdict is PreregRule on the adjusted p-values.
func verdict(sign int, mean, pAdj, tostAdj, alpha float64, m Quantity) string {
	if sign == 0 {
		switch {
		case tostAdj < alpha:
			return Supported
		case pAdj < alpha:
			return Contradicted
		}
		return Inconclusive
	}
	switch {
	case pAdj < alpha && float64(sign)*mean > 0:
		return Supported
	case pAdj < alpha:
		return Contradicted
	case tostAdj < alpha:
		return EquivalentVerdict(m)
	}
	return Inconclusive
}

// IsPreregVerdict reports whether s is one of the four outcomes of
// PreregRule for the margin m.
func IsPreregVerdict(s string, m Quantity) bool {
	return s == Supported || s == Contradicted || s == Inconclusive || s == EquivalentVerdict(m)
}
