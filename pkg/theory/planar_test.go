package theory_test

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/ode"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

func TestSpectrum(t *testing.T) {
	for i, test := range []struct {
		sc, sb       []float64 // (N=2, D=2)
		pred, paper  theory.Prediction
		eig0, eig1   complex128
		sym0, sym1   float64
		symmetricEig bool
	}{
		{sc: []float64{1, 0, 0, 1}, sb: []float64{1, 0, 0, 0.5}, pred: theory.PredictDivergent, paper: theory.PredictDivergent, sym0: 0.5, sym1: 1},
		{sc: []float64{1, 0, 0, 1}, sb: []float64{1, 0, 0, -0.5}, pred: theory.PredictDivergent, paper: theory.PredictDivergent, sym0: -0.5, sym1: 1},
		{sc: []float64{1, 0, 0, 1}, sb: []float64{-1, 0, 0, -0.5}, pred: theory.PredictConvergent, paper: theory.PredictConvergent, sym0: -1, sym1: -0.5},
		// μ = [[-1, 4], [0, -1]]: eigenvalues -1, -1, but the symmetric part
		// [[-1, 2], [2, -1]] has eigenvalues -3 and +1.
		{sc: []float64{1, 0, 0, 1}, sb: []float64{-1, 4, 0, -1}, pred: theory.PredictDivergent, paper: theory.PredictConvergent, sym0: -3, sym1: 1},
		// μ = diag(0, -1): on the boundary.
		{sc: []float64{1, 0, 0, 1}, sb: []float64{0, 0, 0, -1}, pred: theory.PredictUndetermined, paper: theory.PredictUndetermined, sym0: -1, sym1: 0},
	} {
		s := &theory.System{D: 2, N: 2, SC: test.sc, SB: test.sb, SDelta: []float64{1, 0, 0, 1}, A: []float64{-1, -1, -1, -1}}
		sp, err := s.Spectrum()
		if err != nil {
			t.Fatal(err)
		}
		if sp.Prediction != test.pred || sp.PaperRule != test.paper {
			t.Errorf("case %d: prediction %v / paper rule %v, want %v / %v", i, sp.Prediction, sp.PaperRule, test.pred, test.paper)
		}
		if math.Abs(sp.SymEigen[0]-test.sym0) > 1e-12 || math.Abs(sp.SymEigen[1]-test.sym1) > 1e-12 {
			t.Errorf("case %d: symmetric eigenvalues %v, want %v %v", i, sp.SymEigen, test.sym0, test.sym1)
		}
		// The eigenvalues solve the characteristic polynomial of μ.
		mu := s.Mu()
		tr, det := mu.At(0, 0)+mu.At(1, 1), mu.At(0, 0)*mu.At(1, 1)-mu.At(0, 1)*mu.At(1, 0)
		for _, e := range sp.Eigen {
			if cmplx.Abs(e*e-complex(tr, 0)*e+complex(det, 0)) > 1e-9 {
				t.Errorf("case %d: %v is not an eigenvalue of %v", i, e, mu)
			}
		}
	}
}

// Fig. 6: (−,−) sends every token to the origin; (+,+) and (+,−) diverge.
func TestPlanarPanels(t *testing.T) {
	for _, signs := range []theory.EigenSigns{theory.TwoPositive, theory.OnePositive, theory.TwoNegative} {
		for seed := uint64(1); seed <= 3; seed++ {
			run, err := theory.Planar(theory.PlanarConfig{Signs: signs, Seed: seed, Tokens: 20})
			if err != nil {
				t.Fatal(err)
			}
			lam := signs.Eigenvalues()
			mu := run.System.Mu()
			if mu.At(0, 0) != lam[0] || mu.At(1, 1) != lam[1] || mu.At(0, 1) != 0 || mu.At(1, 0) != 0 {
				t.Errorf("%v: μ = %v, want diag%v", signs, mu, lam)
			}
			tr := run.Trajectory
			switch signs {
			case theory.TwoNegative:
				if tr.Status != ode.Completed || run.Shrunk != 20 || run.Spectrum.Prediction != theory.PredictConvergent {
					t.Errorf("%v seed %d: status %v, %d/20 tokens shrank", signs, seed, tr.Status, run.Shrunk)
				}
				for l, r := range run.NormRatio {
					if r > 0.1 {
						t.Errorf("%v seed %d: token %d kept %.3g of its norm at t = %v", signs, seed, l+1, r, tr.End)
					}
				}
			default:
				if run.Grown == 0 || run.Shrunk > 2 || run.Spectrum.Prediction != theory.PredictDivergent {
					t.Errorf("%v seed %d: status %v at %v, %d grew, %d shrank", signs, seed, tr.Status, tr.End, run.Grown, run.Shrunk)
				}
			}
			if len(tr.T) < 2 || len(tr.X) != len(tr.T)*20*2 {
				t.Errorf("%v: %d samples, %d values", signs, len(tr.T), len(tr.X))
			}
		}
	}
	a, _ := theory.Planar(theory.PlanarConfig{Signs: theory.OnePositive, Seed: 5})
	b, _ := theory.Planar(theory.PlanarConfig{Signs: theory.OnePositive, Seed: 5})
	for i := range a.Trajectory.X {
		if a.Trajectory.X[i] != b.Trajectory.X[i] {
			t.Fatalf("planar run is not deterministic")
		}
	}
	if _, err := theory.Planar(theory.PlanarConfig{Signs: 7}); err == nil {
		t.Errorf("unknown signs accepted")
	}
}

func TestAgreementReport(t *testing.T) {
	rep, err := theory.Agreement(theory.AgreementConfig{Seed: 3, PerFamily: 12})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rep.Rows {
		n += r.N
		if r.Converge+r.Grow+r.BlowUp+r.Mixed+r.Stopped != r.N || r.Agree > r.N {
			t.Errorf("row %+v does not add up", r)
		}
		// (−,−) in the plane: every instance converges (as in Fig. 6).
		if r.Family == theory.FamilyPlanarMM && (r.Predicted != theory.PredictConvergent || r.Agree != r.N) {
			t.Errorf("planar (−,−): %+v", r)
		}
	}
	if n != rep.N || rep.N != 5*12 {
		t.Errorf("report covers %d instances (rows %d), want 60", rep.N, n)
	}
	if float64(rep.Agree) < 0.8*float64(rep.N) {
		t.Errorf("agreement %d/%d", rep.Agree, rep.N)
	}
	again, _ := theory.Agreement(theory.AgreementConfig{Seed: 3, PerFamily: 12, Workers: 1})
	if again.Agree != rep.Agree || len(again.Rows) != len(rep.Rows) {
		t.Errorf("agreement depends on the number of workers")
	}
}

// The symmetric §5.1-style construction keeps the signature of μ in every
// kernel S_Cᵀ e^{sA_d} S_B, even with unequal A entries.
func TestKernelKeepsSignatureForPlanarSystems(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, signs := range []theory.EigenSigns{theory.TwoPositive, theory.OnePositive, theory.TwoNegative} {
		s := theory.NewPlanarSystem(signs, rng)
		lam := signs.Eigenvalues()
		for _, sum := range []float64{0, 0.3, 2, 10} {
			for d := 0; d < 2; d++ {
				k := s.Kernel(d, sum)
				for n := 0; n < 2; n++ {
					if math.Signbit(k.At(n, n)) != math.Signbit(lam[n]) || k.At(0, 1) != 0 {
						t.Errorf("%v: kernel at s = %v, channel %d: %v", signs, sum, d, k)
					}
				}
			}
		}
	}
}
