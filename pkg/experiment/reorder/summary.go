package reorder

import (
	"fmt"

	"github.com/tokendyn/tokendyn/pkg/experiment"
)

// Summary is the experiment aggregated per sequence length.
type Summary struct {
	Target  float64        `json:"target_acc"`
	Patches []PatchSummary `json:"patches"`
}

// PatchSummary is one patch size (sequence length L): every arm over its
// seeds, and every reordering arm paired against the baseline.
type PatchSummary struct {
	Patch   int          `json:"patch"`
	L       int          `json:"tokens"`
	Arms    []ArmSummary `json:"arms"`
	Compare []Comparison `json:"compare"`
}

// ArmSummary aggregates one arm over its seeds (experiment.Stat: mean, sample
// sd, min, max).
//
//	TestAcc, TestLoss  after the last epoch
//	MeanAcc            the test accuracy averaged over the epochs (normalised area under the
//	                   accuracy curve): higher means faster convergence
//	EpochsToTarget     first epoch with test accuracy ≥ Target, Epochs+1 when never reached
//	RowMax             per epoch, the mean over seeds of the soft permutation's row max (nil for
//	                   the baseline)
type ArmSummary struct {
	Arm            Arm             `json:"arm"`
	Runs           int             `json:"runs"`
	Params         int             `json:"params"`
	Steps          int             `json:"steps"`
	TestAcc        experiment.Stat `json:"test_acc"`
	TestLoss       experiment.Stat `json:"test_loss"`
	MeanAcc        experiment.Stat `json:"mean_acc"`
	EpochsToTarget experiment.Stat `json:"epochs_to_target"`
	RowMax         []float64       `json:"row_max,omitempty"`
	Seconds        experiment.Stat `json:"seconds"`
}

// Comparison is a reordering arm minus the baseline, seed by seed.
//
//	PerEpoch        test accuracy difference after each epoch
//	Final           after the last epoch (the claim "improves accuracy")
//	MeanAcc         of the accuracy averaged over epochs (the claim "improves convergence speed")
//	EpochsToTarget  of the epochs to reach Target (negative: the arm is faster)
type Comparison struct {
	Arm            Arm                  `json:"arm"`
	PerEpoch       []experiment.Paired  `json:"per_epoch"`
	Final          experiment.Paired    `json:"final"`
	MeanAcc        experiment.Paired    `json:"mean_acc"`
	EpochsToTarget experiment.Paired    `json:"epochs_to_target"`
	Verdicts       []experiment.Verdict `json:"verdicts"`
}

// runsOf returns the runs of (patch, arm) in seed order.
func (r *Result) runsOf(patch int, arm string) []Record {
	var out []Record
	for _, run := range r.Runs {
		if run.Patch == patch && run.Arm == arm {
			out = append(out, run)
		}
	}
	return out
}

func meanAcc(run Record) float64 {
	var s float64
	for _, e := range run.Epochs {
		s += e.TestAcc
	}
	return s / float64(max(1, len(run.Epochs)))
}

func epochsTo(run Record, target float64) float64 {
	for _, e := range run.Epochs {
		if e.TestAcc >= target {
			return float64(e.Epoch)
		}
	}
	return float64(len(run.Epochs) + 1)
}

// metric applies f to each run.
func metric(runs []Record, f func(Record) float64) []float64 {
	out := make([]float64, len(runs))
	for i, run := range runs {
		out[i] = f(run)
	}
	return out
}

// Summary aggregates a result that passed validation (Run, Load); an arm
// or a comparison whose runs are inconsistent (which validation excludes)
// is left out.
func (r *Result) Summary() Summary {
	out := Summary{Target: r.Spec.Target}
	for _, p := range r.Spec.Patches {
		ps := PatchSummary{Patch: p, L: (28 / p) * (28 / p)}
		base := r.runsOf(p, r.Spec.Arms[0].Name)
		for _, a := range r.Spec.Arms {
			runs := r.runsOf(p, a.Name)
			if len(runs) != len(r.Spec.Seeds) || len(runs) == 0 || len(base) != len(runs) {
				continue
			}
			ps.Arms = append(ps.Arms, armSummary(a, runs, r.Spec))
			if !a.Reorder {
				continue
			}
			if c, err := compare(a, runs, base, r.Spec); err == nil {
				ps.Compare = append(ps.Compare, c)
			}
		}
		out.Patches = append(out.Patches, ps)
	}
	r.preregVerdicts(&out)
	return out
}

// preregVerdicts replaces, when r has a pre-registration that decides it,
// each comparison's verdicts on an endpoint it registers (accuracy: final;
// convergence speed: mean) by the pre-registered decision's; the others
// keep the older rule's (experiment.Rule).
func (r *Result) preregVerdicts(out *Summary) {
	if r.Prereg == nil {
		return
	}
	ds, err := r.Decide(*r.Prereg)
	if err != nil {
		return
	}
	byEndpoint := map[string]experiment.Verdict{}
	for _, d := range ds {
		byEndpoint[d.Endpoint] = d.AsVerdict(r.Prereg.Effect)
	}
	base := r.Spec.Arms[0].Name
	for i := range out.Patches {
		ps := &out.Patches[i]
		for j := range ps.Compare {
			c := &ps.Compare[j]
			for k, metric := range []string{MetricFinal, MetricMean} {
				e := Endpoint{L: ps.L, Metric: metric, A: c.Arm.Name, B: base}.String()
				if v, ok := byEndpoint[e]; ok && k < len(c.Verdicts) {
					c.Verdicts[k] = v
				}
			}
		}
	}
}

func armSummary(a Arm, runs []Record, s Spec) ArmSummary {
	as := ArmSummary{Arm: a, Runs: len(runs), Params: runs[0].Params, Steps: runs[0].Steps,
		TestAcc:        experiment.NewStat(metric(runs, func(r Record) float64 { return r.TestAcc })),
		TestLoss:       experiment.NewStat(metric(runs, func(r Record) float64 { return r.TestLoss })),
		MeanAcc:        experiment.NewStat(metric(runs, meanAcc)),
		EpochsToTarget: experiment.NewStat(metric(runs, func(r Record) float64 { return epochsTo(r, s.Target) })),
		Seconds:        experiment.NewStat(metric(runs, func(r Record) float64 { return r.Seconds })),
	}
	if a.Reorder {
		for ep := 0; ep < s.Epochs; ep++ {
			as.RowMax = append(as.RowMax, experiment.NewStat(metric(runs, func(r Record) float64 { return r.Epochs[ep].RowMax })).Mean)
		}
	}
	return as
}

func compare(a Arm, runs, base []Record, s Spec) (Comparison, error) {
	c := Comparison{Arm: a}
	var err error
	for ep := 0; ep < s.Epochs; ep++ {
		at := func(r Record) float64 { return r.Epochs[ep].TestAcc }
		p, err := experiment.PairedDiff(metric(runs, at), metric(base, at))
		if err != nil {
			return c, err
		}
		c.PerEpoch = append(c.PerEpoch, p)
	}
	c.Final = c.PerEpoch[len(c.PerEpoch)-1]
	if c.MeanAcc, err = experiment.PairedDiff(metric(runs, meanAcc), metric(base, meanAcc)); err != nil {
		return c, err
	}
	to := func(r Record) float64 { return epochsTo(r, s.Target) }
	if c.EpochsToTarget, err = experiment.PairedDiff(metric(runs, to), metric(base, to)); err != nil {
		return c, err
	}
	L := (28 / runs[0].Patch) * (28 / runs[0].Patch)
	setting := a.Label()
	c.Verdicts = []experiment.Verdict{
		experiment.Decide(fmt.Sprintf("reordering improves accuracy (%d tokens, %s): final test accuracy in %%, reordering − baseline in percentage points, > 0", L, setting), c.Final.Scaled(100), +1),
		experiment.Decide(fmt.Sprintf("reordering improves convergence speed (%d tokens, %s): test accuracy in %% averaged over the epochs, reordering − baseline in percentage points, > 0", L, setting), c.MeanAcc.Scaled(100), +1),
	}
	return c, nil
}

// Verdict returns the verdicts of the paper's claim "reordering improves
// accuracy and convergence speed" (docs/paper.md §6.2), two per reordering arm
// and sequence length (accuracy after the last epoch; accuracy averaged
// over epochs), computed by experiment.Decide from the paired differences.
// Only the arms with Arm.Authors test the paper's setting; the others say
// so in their claim.
//
// With a pre-registration (r.Prereg) they are its decisions instead, one
// per hypothesis in its order (experiment.PreregRule).
func (r *Result) Verdict() []experiment.Verdict {
	var out []experiment.Verdict
	if r.Prereg != nil {
		if ds, err := r.Decide(*r.Prereg); err == nil {
			for _, d := range ds {
				out = append(out, d.AsVerdict(r.Prereg.Effect))
			}
			return out
		}
	}
	for _, p := range r.Summary().Patches {
		for _, c := range p.Compare {
			out = append(out, c.Verdicts...)
		}
	}
	return out
}
