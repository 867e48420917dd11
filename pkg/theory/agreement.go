package theory

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/internal/parallel"
	"github.com/tokendyn/tokendyn/pkg/ode"
)

// Family is a random family of general-D systems for Agreement.
type Family int

const (
	// FamilyPlanarPP, FamilyPlanarPM, FamilyPlanarMM are the D = 2 systems
	// of NewPlanarSystem with signs (+,+), (+,-), (-,-) (Fig. 6).
	FamilyPlanarPP Family = iota
	FamilyPlanarPM
	FamilyPlanarMM
	// FamilySymmetric: D ∈ [2, 4], N = D, S_C = U, S_B = ΛU with U
	// unit upper triangular with N(0, ½²) entries above the diagonal (the
	// paper's §5.1 construction) and Λ = diag(±(0.3 + U[0,1))) with random
	// signs, so μ = UᵀΛU is symmetric and every kernel S_Cᵀ e^{sA_d} S_B
	// keeps its signature.
	FamilySymmetric
	// FamilyGeneral: D ∈ [2, 4], N = D, S_B and S_C with N(0, 1/D)
	// entries: μ is not symmetric and, the A_d having unequal entries, the
	// kernels need not keep the signature of μ.
	FamilyGeneral
)

// families lists every Family, in report order.
func families() [5]Family {
	return [5]Family{FamilyPlanarPP, FamilyPlanarPM, FamilyPlanarMM, FamilySymmetric, FamilyGeneral}
}

func (f Family) String() string {
	switch f {
	case FamilyPlanarPP:
		return "planar (+,+)"
	case FamilyPlanarPM:
		return "planar (+,-)"
	case FamilyPlanarMM:
		return "planar (-,-)"
	case FamilySymmetric:
		return "symmetric U^T Λ U, D in [2,4]"
	case FamilyGeneral:
		return "general random S_B, S_C, D in [2,4]"
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// Outcome is the simulated fate of all the tokens of one instance.
type Outcome int

const (
	// OutcomeMixed: no blow-up, some tokens shrank and others did not.
	OutcomeMixed Outcome = iota
	// OutcomeConverge: every ‖x_l(T)‖ ≤ ½‖x_l(0)‖.
	OutcomeConverge
	// OutcomeGrow: no blow-up and every ‖x_l(T)‖ ≥ 2‖x_l(0)‖.
	OutcomeGrow
	// OutcomeBlowUp: finite-time blow-up before the horizon.
	OutcomeBlowUp
	// OutcomeStopped: the explicit solver stopped early (stiffness or
	// step limit); counted as divergent when some token grew tenfold.
	OutcomeStopped
)

// AgreementConfig controls Agreement. Zero fields take their defaults.
type AgreementConfig struct {
	Seed uint64
	// PerFamily random instances per Family (default 100).
	PerFamily int
	// Workers goroutines (default 2).
	Workers int
	// Horizon of each simulation (default 1e4).
	Horizon float64
	// Progress is called after each instance, from a single goroutine.
	Progress func(done, total int)
}

// AgreementRow counts the outcomes of one family for one predicted label.
type AgreementRow struct {
	Family    Family
	Predicted Prediction
	N         int
	// Outcome counts: all converge, all grow, blow-up, mixed, solver
	// stopped early (of which StoppedGrown had a token grow tenfold).
	Converge, Grow, BlowUp, Mixed, Stopped, StoppedGrown int
	// Agree counts the instances whose outcome matches the prediction
	// (convergent: Converge; divergent: Grow, BlowUp or StoppedGrown).
	Agree int
	// PaperRuleAgree is the same count for the rule on the real parts of
	// the eigenvalues of μ (Spectrum.PaperRule).
	PaperRuleAgree int
}

// AgreementReport is the empirical agreement of the general-D spectral
// classifier (Spectrum) with simulation. It is a report, not a theorem:
// nothing is proven for D ≥ 2 (docs/paper.md §4).
type AgreementReport struct {
	Config      AgreementConfig
	Rows        []AgreementRow
	Agree, N    int
	PaperAgree  int
	Undecidable int // instances predicted "undetermined"
}

// Agreement draws PerFamily random instances of every Family (random L in
// [2, 10], tokens uniform in the unit ball, A_{d,n} = -(0.5 + U[0,1)),
// S_Δ with N(0, ½²) entries), predicts their fate from the spectrum of μ
// and simulates them to the horizon. Deterministic for a seed whatever
// Workers is.
func Agreement(cfg AgreementConfig) (*AgreementReport, error) {
	if cfg.PerFamily == 0 {
		cfg.PerFamily = 100
	}
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	if cfg.Horizon == 0 {
		cfg.Horizon = 1e4
	}
	if cfg.PerFamily < 0 || cfg.Workers < 0 || !(cfg.Horizon > 0) || math.IsInf(cfg.Horizon, 0) {
		return nil, fmt.Errorf("theory: agreement: PerFamily = %d, Workers = %d, Horizon = %v: want positive values", cfg.PerFamily, cfg.Workers, cfg.Horizon)
	}
	fams := families()
	all, err := simulateAgreement(cfg, fams)
	if err != nil {
		return nil, fmt.Errorf("theory: agreement: %w", err)
	}
	rep := &AgreementReport{Config: cfg}
	rows := map[[2]int]*AgreementRow{}
	for i, r := range all {
		fam := fams[i/cfg.PerFamily]
		key := [2]int{int(fam), int(r.pred)}
		row, ok := rows[key]
		if !ok {
			row = &AgreementRow{Family: fam, Predicted: r.pred}
			rows[key] = row
		}
		rep.tally(row, r)
	}
	for _, fam := range fams {
		for _, p := range []Prediction{PredictConvergent, PredictDivergent, PredictUndetermined} {
			if row, ok := rows[[2]int{int(fam), int(p)}]; ok {
				rep.Rows = append(rep.Rows, *row)
			}
		}
	}
	return rep, nil
}

// agreementResult is one simulated instance of Agreement: the predictions
// of the spectral classifier and of the paper's rule, and the outcome
// (grown: a stopped solve had a token grow tenfold).
type agreementResult struct {
	pred, paperPred Prediction
	out             Outcome
	grown           bool
}

// simulateAgreement draws, predicts and simulates the cfg.PerFamily
// instances of every family of fams on cfg.Workers goroutines; instance i
// is number i%cfg.PerFamily of fams[i/cfg.PerFamily].
func simulateAgreement(cfg AgreementConfig, fams [5]Family) ([]agreementResult, error) {
	total := len(fams) * cfg.PerFamily
	return parallel.Map(context.Background(), total, cfg.Workers, func() struct{} { return struct{}{} },
		func(_ context.Context, _ struct{}, i int) (agreementResult, error) {
			var r agreementResult
			sys, x0 := drawGeneral(cfg.Seed, fams[i/cfg.PerFamily], i%cfg.PerFamily)
			sp, err := sys.Spectrum()
			if err != nil {
				return r, err
			}
			r.pred, r.paperPred = sp.Prediction, sp.PaperRule
			r.out, r.grown, err = simulateOutcome(sys, x0, cfg.Horizon)
			return r, err
		}, progressOf[agreementResult](cfg.Progress, total))
}

// agreementAgrees reports whether the outcome of r matches the prediction
// p (convergent: every token converges; divergent: they grow, blow up, or
// the solver stopped after a token grew tenfold).
func agreementAgrees(p Prediction, r agreementResult) bool {
	switch p {
	case PredictConvergent:
		return r.out == OutcomeConverge
	case PredictDivergent:
		return r.out == OutcomeGrow || r.out == OutcomeBlowUp || (r.out == OutcomeStopped && r.grown)
	}
	return false
}

// tally counts the instance r in its row and in the report's totals.
func (rep *AgreementReport) tally(row *AgreementRow, r agreementResult) {
	row.N++
	switch r.out {
	case OutcomeConverge:
		row.Converge++
	case OutcomeGrow:
		row.Grow++
	case OutcomeBlowUp:
		row.BlowUp++
	case OutcomeMixed:
		row.Mixed++
	case OutcomeStopped:
		row.Stopped++
		if r.grown {
			row.StoppedGrown++
		}
	}
	if agreementAgrees(r.pred, r) {
		row.Agree++
		rep.Agree++
	}
	if agreementAgrees(r.paperPred, r) {
		row.PaperRuleAgree++
		rep.PaperAgree++
	}
	if r.pred == PredictUndetermined {
		rep.Undecidable++
	}
	rep.N++
}

// drawGeneral returns instance i of family fam: a system and tokens (L, D).
func drawGeneral(seed uint64, fam Family, i int) (*System, []float64) {
	rng := rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, uint64(fam)<<32|uint64(i)))
	var sys *System
	switch fam {
	case FamilyPlanarPP, FamilyPlanarPM, FamilyPlanarMM:
		sys = NewPlanarSystem(EigenSigns(fam-FamilyPlanarPP), rng)
	default:
		d := 2 + rng.IntN(3)
		sys = &System{D: d, N: d, SB: make([]float64, d*d), SC: make([]float64, d*d), SDelta: make([]float64, d*d), A: make([]float64, d*d)}
		if fam == FamilySymmetric {
			for n := 0; n < d; n++ {
				lam := 0.3 + rng.Float64()
				if rng.IntN(2) == 0 {
					lam = -lam
				}
				for k := n; k < d; k++ {
					u := 1.0
					if k > n {
						u = 0.5 * rng.NormFloat64()
					}
					sys.SC[n*d+k] = u
					sys.SB[n*d+k] = lam * u
				}
			}
		} else {
			for k := range sys.SB {
				sys.SB[k] = rng.NormFloat64() / math.Sqrt(float64(d))
				sys.SC[k] = rng.NormFloat64() / math.Sqrt(float64(d))
			}
		}
		for k := range sys.A {
			sys.A[k] = -(0.5 + rng.Float64())
		}
		for k := range sys.SDelta {
			sys.SDelta[k] = 0.5 * rng.NormFloat64()
		}
	}
	L := 2 + rng.IntN(9)
	x0 := make([]float64, L*sys.D)
	for l := 0; l < L; l++ {
		// Uniform in the unit ball: Gaussian direction, radius U^(1/D).
		var nrm float64
		v := x0[l*sys.D : (l+1)*sys.D]
		for k := range v {
			v[k] = rng.NormFloat64()
			nrm += v[k] * v[k]
		}
		r := math.Pow(rng.Float64(), 1/float64(sys.D)) / math.Sqrt(nrm)
		for k := range v {
			v[k] *= r
		}
	}
	return sys, x0
}

// simulateOutcome simulates sys from x0 and classifies the result.
func simulateOutcome(sys *System, x0 []float64, horizon float64) (Outcome, bool, error) {
	tr, err := sys.Simulate(x0, horizon, &SimOptions{Times: []float64{}, MaxSteps: 20000})
	if err != nil {
		return 0, false, err
	}
	D := sys.D
	conv, grow, grown10 := true, true, false
	for l := 0; l < tr.L; l++ {
		n0 := norm(x0[l*D : (l+1)*D])
		n1 := norm(tr.XEnd[l*D : (l+1)*D])
		conv = conv && n1 <= 0.5*n0
		grow = grow && n1 >= 2*n0
		grown10 = grown10 || n1 >= 10*n0
	}
	switch tr.Status {
	case ode.BlowUp:
		return OutcomeBlowUp, true, nil
	case ode.Completed:
		switch {
		case conv:
			return OutcomeConverge, false, nil
		case grow:
			return OutcomeGrow, true, nil
		}
		return OutcomeMixed, grown10, nil
	}
	return OutcomeStopped, grown10, nil
}

func norm(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
