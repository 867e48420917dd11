package theory_test

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/ode"
	"github.com/tokendyn/tokendyn/pkg/theory"
)

func reference(t *testing.T) *theory.Reference {
	t.Helper()
	r, err := theory.RK4Reference()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The regression targets of docs/paper.md §10 (testdata/rk4_reference.json, an
// independent RK4 script): convergence, μ = -1, S_Δ = 1, a = 1.
func TestReferenceConvergence(t *testing.T) {
	ref := reference(t).Convergence
	s, x0, want := ref.Scalar(), ref.X0, ref.SqrtTX
	if s != (theory.Scalar{Mu: -1, SDelta: 1, A: 1}) {
		t.Fatalf("reference system %+v", s)
	}
	tr, err := s.Simulate(x0, 1e4, &theory.SimOptions{Times: ref.T, RTol: 1e-11, ATol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tr.T {
		for l := range x0 {
			if got := math.Sqrt(tt) * tr.At(i, l, 0); math.Abs(got-want[i][l]) > 6e-6 {
				t.Errorf("√t x_%d(%g) = %.6f, reference %.5f", l+1, tt, got, want[i][l])
			}
		}
	}
	if got := s.SqrtTLimit(); math.Abs(got-ref.SqrtTX1Limit) > 5e-7 {
		t.Errorf("(2 ln2)^-1/2 = %.7f, reference %.7f", got, ref.SqrtTX1Limit)
	}
}

// Slow divergence, μ = 1, S_Δ = -1, a = 1 (docs/paper.md §10).
func TestReferenceSlowDivergence(t *testing.T) {
	ref := reference(t).SlowDivergence
	s, x0, want, ratio := ref.Scalar(), ref.X0, ref.X, ref.X1OverLnT
	if s != (theory.Scalar{Mu: 1, SDelta: -1, A: 1}) {
		t.Fatalf("reference system %+v", s)
	}
	tr, err := s.Simulate(x0, 1e6, &theory.SimOptions{Times: ref.T, RTol: 1e-11, ATol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	if tr.BlowUp || tr.Status != ode.Completed {
		t.Fatalf("status %v, want no blow-up", tr.Status)
	}
	for i, tt := range tr.T {
		for l := range x0 {
			if got := tr.At(i, l, 0); math.Abs(got-want[i][l]) > 6e-5 {
				t.Errorf("x_%d(%g) = %.5f, reference %.4f", l+1, tt, got, want[i][l])
			}
		}
		if got := tr.At(i, 0, 0) / math.Log(tt); math.Abs(got-ratio[i]) > 6e-5 {
			t.Errorf("x_1/ln t at %g = %.5f, reference %.4f", tt, got, ratio[i])
		}
		// The implicit solution by quadrature gives back the time.
		if tq := s.FirstTokenTime(x0[0], tr.At(i, 0, 0)); math.Abs(tq/tt-1) > 1e-7 {
			t.Errorf("quadrature time of x_1(%g) = %.9g", tt, tq)
		}
	}
}

// Fast divergence, μ = 1, S_Δ = 1, a = 1: T* = 1.676939 (docs/paper.md §10).
func TestReferenceFastDivergence(t *testing.T) {
	ref := reference(t).FastDivergence
	s, x0 := ref.Scalar(), ref.X0
	if s != (theory.Scalar{Mu: 1, SDelta: 1, A: 1}) || len(x0) != 3 {
		t.Fatalf("reference system %+v, x0 %v", s, x0)
	}
	tr, err := s.Simulate(x0, 10, &theory.SimOptions{RTol: 1e-11, ATol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	if !tr.BlowUp {
		t.Fatalf("no blow-up by t = 10 (status %v)", tr.Status)
	}
	if math.Abs(tr.BlowUpTime-ref.BlowUpTime) > 5e-7 || tr.BlowUpErr > 1e-8 {
		t.Errorf("T* = %.9f ± %.2g, reference %.9f", tr.BlowUpTime, tr.BlowUpErr, ref.BlowUpTime)
	}
	if q := s.TokenBlowUpTime(x0[0]); math.Abs(q-ref.SingleTokenBlowUpTime) > 5e-8 || math.Abs(q-tr.BlowUpTime) > 1e-9 {
		t.Errorf("quadrature T*(%g) = %.10f, simulation %.10f, reference %.10f", x0[0], q, tr.BlowUpTime, ref.SingleTokenBlowUpTime)
	}
	b := s.Bounds(x0)
	if math.Abs(b.Paper-ref.BlowUpTimeBound) > 1e-9 || math.Abs(b.Paper-1/(3*0.125)) > 1e-12 || b.Quadrature > b.Paper || tr.BlowUpTime > b.Paper {
		t.Errorf("bounds %+v, T* = %v", b, tr.BlowUpTime)
	}
	// x_1 → +∞ and x_2 → -∞ together, like (T*-t)^(-1/3); x_3 stays O(1):
	// it also diverges at T*, but like ln ln(1/(T*-t)) (local exponent
	// (1/3)e^{-aΔ_3}), so its value at the stop depends on how close to T*
	// the solver gets (a value such as 3.88 at the stop is not a stable target).
	for l, want := range []float64{1.0 / 3, 1.0 / 3} {
		_, _, beta, ok := ode.ExtrapolateBlowUp(tr.Last, l)
		if !ok || math.Abs(beta-want) > 1e-4 {
			t.Errorf("token %d: blow-up exponent %v (ok %v), want %v", l+1, beta, ok, want)
		}
	}
	if x := tr.XEnd; !(x[0] > 1e3 && x[1] < -1e3 && x[2] > 0.4 && x[2] < 5) {
		t.Errorf("state at the stop %v", x)
	}
	if _, _, beta, ok := ode.ExtrapolateBlowUp(tr.Last, 2); ok && beta > 0.1 {
		t.Errorf("token 3 blow-up exponent %v, want a slow (log-log) divergence", beta)
	}
}

// The committed JSON is the script's output: rerunning the script (when a
// Python 3 is installed) gives the same bytes.
func TestReferenceScriptReproducesJSON(t *testing.T) {
	const python = "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skipf("%s not found: %v", python, err)
	}
	if testing.Short() {
		t.Skip("runs the Python script (about 1 s)")
	}
	want, err := os.ReadFile("testdata/rk4_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(python, "testdata/rk4_reference.py")
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("rk4_reference.py: %v: %s", err, stderr.Bytes())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("rk4_reference.py output (%d bytes) differs from testdata/rk4_reference.json (%d bytes)", len(got), len(want))
	}
}
