package lm

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// ArmSummary aggregates the runs of one arm at one depth over seeds.
type ArmSummary struct {
	Depth    string          `json:"depth"`
	Arm      string          `json:"arm"`
	Runs     int             `json:"runs"`
	Params   int             `json:"params"`
	Tokens   int64           `json:"tokens"` // per run
	ValidPPL experiment.Stat `json:"valid_ppl"`
	TestPPL  experiment.Stat `json:"test_ppl"`
	TestBPB  experiment.Stat `json:"test_bpb"`
	Seconds  experiment.Stat `json:"seconds"`
	// SkipPositive is the fraction of channels (all layers and seeds) whose
	// skip D ended positive; MuPositive and MuNegative the mean number of
	// eigenvalues of μ = S_Cᵀ S_B per layer with positive and negative real
	// part after training.
	SkipPositive float64 `json:"skip_positive"`
	MuPositive   float64 `json:"mu_positive"`
	MuNegative   float64 `json:"mu_negative"`
	// SkipMean is the mean of the skip D over channels, layers and seeds
	// after training (it starts at 1, or 0 in the D₀ = 0 arms);
	// DecayIntegral the mean total weight decay Σ lr·wd of the runs (0 when
	// they did not record it).
	SkipMean      float64 `json:"skip_mean"`
	DecayIntegral float64 `json:"lr_wd_sum,omitempty"`
}

// runs returns the runs of (depth, arm) in seed order.
func (r *Result) runs(depth, arm string) []RunResult {
	var out []RunResult
	for _, run := range r.Runs {
		if run.Depth == depth && run.Arm == arm {
			out = append(out, run)
		}
	}
	return out
}

// Summary returns one entry per (depth, arm), depths and arms in the
// specification's order.
func (r *Result) Summary() []ArmSummary {
	var out []ArmSummary
	for _, d := range r.Spec.Depths {
		for _, a := range r.Spec.Arms {
			s := ArmSummary{Depth: d.Name(), Arm: a.Name}
			var vp, tp, tb, sec []float64
			var pos, ch, mp, mn, layers int
			var skipSum, decaySum float64
			for _, run := range r.runs(d.Name(), a.Name) {
				s.Runs++
				s.Params, s.Tokens = run.Params, run.Tokens
				vp, tp = append(vp, run.Valid.Perplexity), append(tp, run.Test.Perplexity)
				tb, sec = append(tb, run.Test.BitsPerByte), append(sec, run.Seconds)
				decaySum += run.DecayIntegral
				for _, k := range run.Skip {
					pos += k.Positive
					ch += d.DModel * max(r.Spec.Base.Model.Expand, 1)
					skipSum += k.Mean * float64(d.DModel*max(r.Spec.Base.Model.Expand, 1))
				}
				for _, sp := range run.Spectra {
					mp, mn, layers = mp+sp.Positive, mn+sp.Negative, layers+1
				}
			}
			s.ValidPPL, s.TestPPL, s.TestBPB, s.Seconds = experiment.NewStat(vp), experiment.NewStat(tp), experiment.NewStat(tb), experiment.NewStat(sec)
			if ch > 0 {
				s.SkipPositive, s.SkipMean = float64(pos)/float64(ch), skipSum/float64(ch)
			}
			if s.Runs > 0 {
				s.DecayIntegral = decaySum / float64(s.Runs)
			}
			if layers > 0 {
				s.MuPositive, s.MuNegative = float64(mp)/float64(layers), float64(mn)/float64(layers)
			}
			out = append(out, s)
		}
	}
	return out
}

// Comparison is the paired difference of test perplexity per byte, arm A
// minus arm B, over the seeds of one depth ("all" pools every depth: one
// pair per depth and seed).
type Comparison struct {
	Depth  string            `json:"depth"`
	A      string            `json:"a"`
	B      string            `json:"b"`
	Paired experiment.Paired `json:"paired"`
}

// Compare pairs arm a with arm b seed by seed at depth ("all": every
// depth).
func (r *Result) Compare(depth, a, b string) (Comparison, error) {
	var xs, ys []float64
	for _, d := range r.Spec.Depths {
		if depth != "all" && d.Name() != depth {
			continue
		}
		ra, rb := r.runs(d.Name(), a), r.runs(d.Name(), b)
		if len(ra) != len(rb) || len(ra) == 0 {
			return Comparison{}, fmt.Errorf("lm: compare %s − %s at %s: %d and %d runs", a, b, d.Name(), len(ra), len(rb))
		}
		for i := range ra {
			if ra[i].Seed != rb[i].Seed {
				return Comparison{}, fmt.Errorf("lm: compare %s − %s at %s: seeds %d and %d do not pair", a, b, d.Name(), ra[i].Seed, rb[i].Seed)
			}
			xs, ys = append(xs, ra[i].Test.Perplexity), append(ys, rb[i].Test.Perplexity)
		}
	}
	p, err := experiment.PairedDiff(xs, ys)
	if err != nil {
		return Comparison{}, fmt.Errorf("lm: compare %s − %s at %s: %w", a, b, depth, err)
	}
	return Comparison{Depth: depth, A: a, B: b, Paired: p}, nil
}

// pairs are the comparisons reported, when both arms are in the spec:
// neg − pos (the paper's claim), each arm − the unconstrained one, and the
// D₀ = 0 pair the symmetry predicts to be equal.
func (r *Result) pairs() [][2]string {
	has := map[string]bool{}
	for _, a := range r.Spec.Arms {
		has[a.Name] = true
	}
	var out [][2]string
	add := func(a, b string) {
		if has[a] && has[b] {
			out = append(out, [2]string{a, b})
		}
	}
	add(ArmNeg, ArmPos)
	for _, a := range r.Spec.Arms {
		if a.Name != ArmNone {
			add(a.Name, ArmNone)
		}
	}
	add(ArmNegD0, ArmPosD0)
	return out
}

// Comparisons returns every reported comparison: with a pre-registration,
// one per hypothesis in its order (at the endpoint's depth); without one,
// pairs() at every depth, then pooled ("all").
func (r *Result) Comparisons() ([]Comparison, error) {
	if r.Prereg != nil {
		var out []Comparison
		for _, h := range r.Prereg.Hypotheses {
			di, ai, bi, err := ParseEndpoint(r.Spec, h.Endpoint)
			if err != nil {
				return nil, err
			}
			c, err := r.Compare(r.Spec.Depths[di].Name(), r.Spec.Arms[ai].Name, r.Spec.Arms[bi].Name)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	}
	var out []Comparison
	depths := []string{}
	for _, d := range r.Spec.Depths {
		depths = append(depths, d.Name())
	}
	if len(depths) > 1 {
		depths = append(depths, "all")
	}
	for _, d := range depths {
		for _, p := range r.pairs() {
			c, err := r.Compare(d, p[0], p[1])
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// Claim texts of Verdicts.
const (
	ClaimNegWorse     = "the convergent scenario (neg) has a higher test perplexity than refinement 1 (pos)"
	ClaimNegVsNone    = "the convergent scenario (neg) has a higher test perplexity than the unconstrained model"
	ClaimD0Difference = "with D₀ = 0, neg has a higher test perplexity than pos (the symmetry predicts no difference: inconclusive is the expected outcome)"
)

// Verdicts decides the result: with a pre-registration (r.Prereg), its
// rule (experiment.PreregRule, via Decide) on every hypothesis in its
// order; without one (DepthSweep), pkg/experiment's older rule
// (experiment.Rule) on the paper's claim at every depth and pooled over
// depths, and on the two controls.
func (r *Result) Verdicts() ([]experiment.Verdict, error) {
	if r.Prereg != nil {
		ds, err := r.Decide(*r.Prereg)
		if err != nil {
			return nil, err
		}
		out := make([]experiment.Verdict, len(ds))
		for i, d := range ds {
			out[i] = d.AsVerdict(r.Prereg.Effect)
		}
		return out, nil
	}
	cs, err := r.Comparisons()
	if err != nil {
		return nil, err
	}
	var out []experiment.Verdict
	for _, c := range cs {
		var claim string
		switch {
		case c.A == ArmNeg && c.B == ArmPos:
			claim = ClaimNegWorse
		case c.A == ArmNeg && c.B == ArmNone:
			claim = ClaimNegVsNone
		case c.A == ArmNegD0 && c.B == ArmPosD0:
			claim = ClaimD0Difference
		default:
			continue
		}
		v := experiment.Decide(claim, c.Paired, +1)
		v.Claim = fmt.Sprintf("%s [depth %s]", claim, c.Depth)
		out = append(out, v)
	}
	return out, nil
}
