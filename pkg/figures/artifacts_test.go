package figures

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/theory"
	"gonum.org/v1/gonum/floats/scalar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleAt returns the index of the sample of tr at time t (relative 1e-9).
func sampleAt(t *testing.T, tr *theory.Trajectory, at float64) int {
	t.Helper()
	for s, ts := range tr.T {
		if math.Abs(ts/at-1) < 1e-9 {
			return s
		}
	}
	t.Fatalf("no sample at t = %v", at)
	return -1
}

// TestConvergenceRateMatchesReference checks the trajectory behind
// fig-convergence-rate against the values of docs/paper.md §10, computed with an
// independent pure-Python RK4 script (5 digits).
func TestConvergenceRateMatchesReference(t *testing.T) {
	p := defaultConvRateParams()
	trs, err := convRateData(p)
	if err != nil {
		t.Fatal(err)
	}
	tr := trs[1]
	if p.Mus[1] != -1 {
		t.Fatalf("reference system has μ = %v, want −1", p.Mus[1])
	}
	ref, err := theory.RK4Reference()
	if err != nil {
		t.Fatal(err)
	}
	conv := ref.Convergence // √t·x_l(t), docs/paper.md §10
	if conv.Scalar() != (theory.Scalar{Mu: p.Mus[1], SDelta: p.SDelta, A: p.A}) || !slices.Equal(conv.X0, p.X0) {
		t.Fatalf("reference system %+v x0 %v, artifact μ = %v, S_Δ = %v, a = %v, x0 %v", conv.Scalar(), conv.X0, p.Mus[1], p.SDelta, p.A, p.X0)
	}
	const tol = 1e-5
	for i, tt := range conv.T {
		s := sampleAt(t, tr, tt)
		for l, w := range conv.SqrtTX[i] {
			if got := math.Sqrt(tt) * tr.At(s, l, 0); math.Abs(got-w) > tol {
				t.Errorf("test %d: √t·x_%d(%g) = %.6f, want %.5f", i, l+1, tt, got, w)
			}
		}
	}
	// √t|x_1| increases towards (2 ln 2)^(−1/2) from below and is within
	// 0.1 % of it at t = 1e6 (the relative error is O(1/√t)).
	lim := theory.Scalar{Mu: -1, SDelta: 1, A: 1}.SqrtTLimit()
	_, y := sqrtTSeries(tr, 0)
	for i := 1; i < len(y); i++ {
		if y[i] < y[i-1] || y[i] > lim {
			t.Fatalf("√t|x_1| not increasing to its limit at sample %d: %v after %v (limit %v)", i, y[i], y[i-1], lim)
		}
	}
	if last := y[len(y)-1]; math.Abs(last/lim-1) > 1e-3 {
		t.Errorf("√t|x_1(1e6)| = %v, want within 0.1 %% of %v", last, lim)
	}
}

func TestOneDScenarios(t *testing.T) {
	p := defaultOneDParams(oneDScenariosArtifact().Seed)
	_, trs, err := oneDPanels(p)
	if err != nil {
		t.Fatal(err)
	}
	// Each case is classified as intended by the Table 1 criteria.
	want := []theory.Scenario{theory.Convergent, theory.SlowDivergent, theory.FastDivergent}
	for i, c := range p.Cases {
		cl, err := c.scalar().Classify(c.X0)
		if err != nil || cl.Scenario != want[i] {
			t.Fatalf("case %s classified %v (%v), want %v", c.Name, cl.Scenario, err, want[i])
		}
	}
	// Monotonicity (docs/paper.md §2.2: sign(dx_l/dt) = sign(μ x_l)).
	for i, dir := range []float64{-1, 1} {
		tr := trs[i]
		for l := range p.Cases[i].X0 {
			_, y := absSeries(tr, l)
			for k := 1; k < len(y); k++ {
				if dir*(y[k]-y[k-1]) < -1e-9*y[k-1] {
					t.Errorf("case %d token %d: |x| moves against sign(μ) at sample %d: %v -> %v", i, l+1, k, y[k-1], y[k])
				}
			}
		}
	}
	if trs[0].BlowUp || trs[1].BlowUp || !trs[2].BlowUp {
		t.Fatalf("blow-ups: %v %v %v, want only the fast case", trs[0].BlowUp, trs[1].BlowUp, trs[2].BlowUp)
	}
	// Theorem C: T* is below the paper's bound and the quadrature bound.
	fast := p.Cases[2]
	b := fast.scalar().Bounds(fast.X0)
	if ts := trs[2].BlowUpTime; !(ts <= b.Quadrature*(1+1e-9)) || !(b.Quadrature <= b.Paper) {
		t.Errorf("T* = %v, quadrature bound %v, paper bound %v: want T* ≤ quadrature ≤ paper", ts, b.Quadrature, b.Paper)
	}
	// Regression values (this code, seed 1); relative 1e-6 leaves room for
	// solver tolerance changes but not for a change of system or tokens.
	const rel = 1e-6
	for i, test := range []struct {
		c    int
		t    float64
		want []float64
	}{
		{0, 100, []float64{0.08026725080691027, -0.06653214041004339, -0.05707706015131961, 0.058996784551336494, -0.05974857120788769, -0.056746299617388266}},
		{1, 100, []float64{11.469689281352542, 123.65763019552384, 226.11125024233783, 319.523250087367, 640.9074161136639, 267.56493756255617}},
	} {
		tr := trs[test.c]
		s := sampleAt(t, tr, test.t)
		for l, w := range test.want {
			if got := tr.At(s, l, 0); !scalar.EqualWithinRel(got, w, rel) {
				t.Errorf("test %d: x_%d(%g) = %.17g, want %.17g", i, l+1, test.t, got, w)
			}
		}
	}
	if got, want := trs[2].BlowUpTime, 0.26749131083440464; !scalar.EqualWithinRel(got, want, rel) {
		t.Errorf("fast case T* = %.17g, want %.17g", got, want)
	}
}

func TestDivergenceRates(t *testing.T) {
	seed := divergenceRatesArtifact().Seed
	p := defaultDivRatesParams(seed, true)
	d, err := divRatesData(p, seed, func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	// docs/paper.md §10: the fast reference system blows up at the single-token
	// quadrature value T* = 1.676939.
	ref, err := theory.RK4Reference()
	if err != nil {
		t.Fatal(err)
	}
	if want := ref.FastDivergence.BlowUpTime; math.Abs(d.tstar-want) > 1e-6 {
		t.Errorf("T* = %.7f, want %.7f (docs/paper.md §10)", d.tstar, want)
	}
	// Tokens 1 and 2 blow up like (T* − t)^(−1/3), token 3 far more slowly.
	for l, want := range []float64{1.0 / 3, 1.0 / 3} {
		tau, y := d.fastSeries(l)
		if b := blowUpExponent(tau, y, d.tstar*1e-6); math.Abs(b-want) > 2e-3 {
			t.Errorf("token %d: blow-up exponent %v, want %v", l+1, b, want)
		}
	}
	tau, y := d.fastSeries(2)
	if b := blowUpExponent(tau, y, d.tstar*1e-6); !(b > 0 && b < 0.1) {
		t.Errorf("token 3: blow-up exponent %v, want small and positive", b)
	}
	// Slow divergence: the ratio to token 1 is 1 for token 1 and the growth
	// exponent is the same for every token (within 1 %) and below 1.
	for i := range d.ratio {
		if d.ratio[i][0] != 1 {
			t.Errorf("system %d: ratio of token 1 = %v", i, d.ratio[i][0])
		}
		for l, e := range d.expo[i] {
			if !(e > 0.5 && e < 1) || math.Abs(e/d.expo[i][0]-1) > 0.01 {
				t.Errorf("system %d token %d: growth exponent %v (token 1: %v)", i, l+1, e, d.expo[i][0])
			}
		}
	}
}

func TestFig6(t *testing.T) {
	p := defaultFig6Params()
	runs, prefixes, err := fig6Data(&p, fig6Artifact().Seed)
	if err != nil {
		t.Fatal(err)
	}
	// Every token is drawn up to its own end, never before the first
	// blow-up, and the last token's prefix is the whole system.
	for i := range runs {
		if len(prefixes[i]) != p.Tokens || len(p.Panels[i].TokenEnd) != p.Tokens {
			t.Fatalf("panel %d: %d prefix runs, %d ends recorded, want %d", i, len(prefixes[i]), len(p.Panels[i].TokenEnd), p.Tokens)
		}
		for l, end := range p.Panels[i].TokenEnd {
			if end < runs[i].Trajectory.End*(1-1e-9) {
				t.Errorf("panel %d token %d ends at %v, before the full system (%v)", i, l+1, end, runs[i].Trajectory.End)
			}
		}
		if last := prefixes[i][p.Tokens-1]; !scalar.EqualWithinRel(last.End, runs[i].Trajectory.End, 1e-9) {
			t.Errorf("panel %d: the full prefix ends at %v, the system at %v", i, last.End, runs[i].Trajectory.End)
		}
	}
	// The paper's claim (Figure 6 caption): (A), (B) diverge, (C) converges.
	for i, r := range runs {
		switch fig6Cases()[i].signs {
		case theory.TwoNegative:
			if r.Trajectory.BlowUp || r.Shrunk != p.Tokens {
				t.Errorf("(C): blow-up %v, %d of %d tokens shrank", r.Trajectory.BlowUp, r.Shrunk, p.Tokens)
			}
		default:
			if !r.Trajectory.BlowUp || r.Grown == 0 || r.Shrunk != 0 {
				t.Errorf("%s: blow-up %v, grown %d, shrunk %d; want a blow-up with growing tokens", fig6Cases()[i].panel,
					r.Trajectory.BlowUp, r.Grown, r.Shrunk)
			}
		}
		if got := p.Panels[i].Eigenvalues; got != fig6Cases()[i].signs.Eigenvalues() {
			t.Errorf("panel %d records eigenvalues %v", i, got)
		}
	}
	// Regression values of the blow-up times (this code, seed 6).
	for i, want := range []float64{0.67919538944549052, 0.6528593278286271} {
		if got := runs[i].Trajectory.BlowUpTime; !scalar.EqualWithinRel(got, want, 1e-6) {
			t.Errorf("panel %d: T* = %.17g, want %.17g", i, got, want)
		}
	}
	// planeSeries stops at the first point outside the square it draws, and
	// only there: every point before the last is inside.
	for l := 0; l < p.Tokens; l++ {
		x, y := planeSeries(runs[0].Trajectory, l, p.View)
		for k := 0; k < len(x)-1; k++ {
			if math.Max(math.Abs(x[k]), math.Abs(y[k])) > p.View {
				t.Fatalf("token %d: point %d outside the view before the last one", l, k)
			}
		}
	}
}

func TestPhaseMap(t *testing.T) {
	p := defaultPhaseParams(true)
	pts, err := phaseData(p, func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != p.Cells*p.Cells {
		t.Fatalf("%d points, want %d", len(pts), p.Cells*p.Cells)
	}
	for _, q := range pts {
		var want theory.Scenario
		switch {
		case q.Mu < 0:
			want = theory.Convergent
		case q.SDx < 0:
			want = theory.SlowDivergent
		default:
			want = theory.FastDivergent
		}
		if q.Predicted != want || q.Simulated != want {
			t.Errorf("μ = %v, S_Δ x(0) = %v: predicted %v, simulated %v, want %v", q.Mu, q.SDx, q.Predicted, q.Simulated, want)
		}
	}
}

// TestTab1Quick checks the quick-mode Table 1 against its golden CSV and
// its invariants: every instance agrees with the criterion, and each row
// counts the quick number of instances.
func TestTab1Quick(t *testing.T) {
	a := tab1Artifact()
	res, err := a.Build(context.Background(), testEnv(true, a.Seed))
	if err != nil {
		t.Fatal(err)
	}
	p := defaultTab1Params(true)
	main := res.Tables[0]
	for i, r := range main.Rows {
		if r[4].Text != "40" || r[5].Text != "100.00" || p.PerScenario != 40 {
			t.Errorf("row %d: instances %s, agreement %s; want 40 and 100.00", i, r[4].Text, r[5].Text)
		}
	}
	for _, tab := range res.Tables {
		name := "tab1-dynamics-quick"
		if tab.Name != "" {
			name += "-" + tab.Name
		}
		checkGolden(t, filepath.Join("testdata", name+".csv"), tab.CSV())
		checkLaTeX(t, tab)
	}
}

// checkGolden compares got with the golden file (or rewrites it with
// -update).
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if string(got) != string(want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("%s line %d:\n got %s\nwant %s", path, i+1, g, w)
				break
			}
		}
	}
}

// The fast panel names the token that blows up, and the explanation it
// gives holds: tokens before it, simulated alone, outlive T*.
func TestOneDFastPanelNamesTheBlowingToken(t *testing.T) {
	p := defaultOneDParams(oneDScenariosArtifact().Seed)
	_, trs, err := oneDPanels(p)
	if err != nil {
		t.Fatal(err)
	}
	fast, c := trs[2], p.Cases[2]
	k := blowingToken(fast)
	big := math.Abs(fast.XEnd[k])
	for l := 0; l < fast.L; l++ {
		if l != k && math.Abs(fast.XEnd[l]) > big/100 {
			t.Errorf("token %d ends at %v, token %d (named blowing up) at %v", l+1, fast.XEnd[l], k+1, fast.XEnd[k])
		}
	}
	if k > 0 {
		before, err := c.scalar().Simulate(c.X0[:k], fast.BlowUpTime*1.2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if before.BlowUp && before.BlowUpTime <= fast.BlowUpTime {
			t.Errorf("tokens 1 … %d alone blow up at %v, not after T* = %v", k, before.BlowUpTime, fast.BlowUpTime)
		}
	}
	if !strings.Contains(blowUpWhy(fast), fmt.Sprintf("Token %d blows up", k+1)) {
		t.Errorf("caption %q does not name token %d", blowUpWhy(fast), k+1)
	}
}
