package theory

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/tokendyn/tokendyn/internal/parallel"
	"github.com/tokendyn/tokendyn/pkg/ode"
)

// SweepConfig controls Sweep. Zero fields take their defaults.
type SweepConfig struct {
	// Seed fixes every random instance: instance i of scenario s is drawn
	// from its own PCG stream (Seed, s<<32 | i), so results do not depend
	// on Workers.
	Seed uint64
	// PerScenario instances of each of the three scenarios (default 300).
	PerScenario int
	// Workers goroutines (default 2).
	Workers int
	// Horizon of every simulation (default 1e8).
	Horizon float64
	// RTol, ATol of the integrator (default 1e-9, 1e-12).
	RTol, ATol float64
	// Progress, when set, is called after each finished instance with the
	// number done and the total, from a single goroutine.
	Progress func(done, total int)
	// KeepInstances keeps every instance in SweepResult.Instances.
	KeepInstances bool
}

// SweepResult is the outcome of Sweep: one summary per scenario (Convergent,
// SlowDivergent, FastDivergent, in that order) and, if asked, the instances.
type SweepResult struct {
	Config    SweepConfig
	Scenarios []ScenarioSummary
	Instances []Instance
}

// ScenarioSummary compares the Table 1 criterion with simulation on the
// instances drawn for one scenario.
type ScenarioSummary struct {
	Scenario      Scenario
	Count, Agree  int
	Disagreements []Instance
	// Rates compares measured rate constants with their predictions; the
	// first one is the scenario's main rate (see Sweep).
	Rates []RateStat
	// ByPosition summarizes per-token measurements by token position l
	// (index 0 is token 1): see Instance.TokenRates.
	ByPosition []PositionStat
	// Steps is the mean number of accepted solver steps.
	Steps float64
}

// RateStat is a measured/predicted comparison over a set of instances.
type RateStat struct {
	Name, Prediction string
	N                int
	// MeanRelErr and MaxRelErr of |measured/predicted - 1|; Within5 counts
	// the measurements within 5 %.
	MeanRelErr, MaxRelErr float64
	Within5               int
}

// Measure is one measured quantity and its prediction.
type Measure struct {
	Name, Prediction    string
	Measured, Predicted float64
}

// RelErr is |Measured/Predicted - 1| (+Inf when undefined).
func (m Measure) RelErr() float64 {
	e := math.Abs(m.Measured/m.Predicted - 1)
	if math.IsNaN(e) {
		return math.Inf(1)
	}
	return e
}

// PositionStat is the mean and range of a per-token measurement at one
// position.
type PositionStat struct {
	N              int
	Mean, Min, Max float64
}

// Instance is one random 1-D system, its criterion and its simulation.
type Instance struct {
	Index     int
	Scalar    Scalar
	X0        []float64
	Predicted Scenario
	Simulated Scenario
	Agree     bool
	// Note explains a disagreement or a bound violation.
	Note string
	// Measures are the measured rate constants with their predictions;
	// the first is the scenario's main rate (see Sweep).
	Measures []Measure
	// TokenRates (L) is a per-token measurement: √T|x_l(T)| (convergent),
	// the growth exponent d ln|x_l| / d ln ln t over [T/100, T] (slow), or
	// the local blow-up exponent β_l of |x_l| ~ (T*-t)^-β_l, NaN for
	// tokens still finite at T* (fast).
	TokenRates []float64
	// Blow-up: the simulated T*, its error estimate, the bounds, and the
	// first token (0-based) that blows up, -1 when none.
	BlowUpTime, BlowUpErr float64
	Bounds                Bounds
	FirstBlowUp           int
	Steps                 int
}

func (c *SweepConfig) defaults() {
	if c.PerScenario == 0 {
		c.PerScenario = 300
	}
	if c.Workers == 0 {
		c.Workers = 2
	}
	if c.Horizon == 0 {
		c.Horizon = 1e8
	}
	if c.RTol == 0 {
		c.RTol = 1e-9
	}
	if c.ATol == 0 {
		c.ATol = 1e-12
	}
}

// sweepScenarios are the Table 1 rows that Sweep draws instances for.
func sweepScenarios() [3]Scenario { return [3]Scenario{Convergent, SlowDivergent, FastDivergent} }

// Sweep draws PerScenario random 1-D instances for each Table 1 scenario,
// classifies each with Classify, simulates it to the horizon (or blow-up)
// and labels the simulation without looking at the criterion:
//
//   - fast-divergent: a blow-up before the horizon, at a time below the
//     bounds of Bounds (Paper and Quadrature, up to the error estimate);
//   - slow-divergent: no blow-up, every |x_l| non-decreasing along every
//     accepted step, and |x_l(T)| ≥ 1.5 |x_l(0)|;
//   - convergent: no blow-up, every |x_l| non-increasing, |x_l(T)| ≤
//     0.1 |x_l(0)| and √T|x_l(T)| ≤ SqrtTBound(x_l(0)) (the O(t^-½) bound);
//   - unclassified otherwise.
//
// The instance agrees when the two labels coincide. Rates measured:
//
//	convergent: √T|x_1(T)| vs (2|μ| ln2)^-½ (main); √T|x_l(T)| vs the
//	  c_l of SqrtTLimits for l ≥ 2; the decay exponent of |x_l| on
//	  [T/100, T] vs -½.
//	slow: the slope of G = |S_Δ||x_1| - 3 ln|x_1| against ln t on
//	  [T/100, T] vs 1 (main, see SlowOffset); the asymptotic time
//	  e^{sy}/(μ s y³)(1 + 3/(sy) + 12/(sy)² + 60/(sy)³) at y = |x_1(T)| vs
//	  T; the relative growth d ln|x_l| / d ln|x_1| on [T/100, T] vs 1 for
//	  l ≥ 2 (every token grows like ln t, with its own prefactor).
//	fast: the local blow-up exponent β of the first token to blow up vs ⅓
//	  (main: x' ≈ μ|S_Δ| x⁴ near T*); the simulated T* vs the quadrature
//	  T*(x_1(0)) when token 1 blows up first; the fraction of tokens after
//	  the first blowing one that diverge at T* too (prediction: all).
//
// The main rates and the slow-divergence time formula hold on every
// instance within 5 % (errors ~1e-3 or below at T = 1e8); the per-token
// secondary rates converge slowly in t (√T|x_l| for l ≥ 2 like
// T^-(1-2^-a)) and are reported, not guaranteed.
//
// Instances: L uniform in [2, 10]; a, |μ|, |S_Δ|, |x_l(0)| log-uniform in
// [0.5, 5], [0.1, 10], [0.2, 5], [0.1, 2]; the signs follow the scenario
// (convergent: μ < 0, other signs random; slow: μ > 0, sign(x_l) =
// -sign(S_Δ); fast: μ > 0, random signs with at least one S_Δ x_l(0) > 0).
func Sweep(cfg SweepConfig) (*SweepResult, error) {
	cfg.defaults()
	switch {
	case cfg.PerScenario < 0:
		return nil, fmt.Errorf("theory: sweep: PerScenario = %d, want > 0", cfg.PerScenario)
	case cfg.Workers < 0:
		return nil, fmt.Errorf("theory: sweep: Workers = %d, want > 0", cfg.Workers)
	case math.IsNaN(cfg.Horizon) || math.IsInf(cfg.Horizon, 0) || cfg.Horizon < 1e3:
		return nil, fmt.Errorf("theory: sweep: Horizon = %v, want a finite time >= 1e3", cfg.Horizon)
	case !(cfg.RTol > 0) || !(cfg.ATol >= 0):
		return nil, fmt.Errorf("theory: sweep: RTol = %v, ATol = %v, want RTol > 0 and ATol >= 0", cfg.RTol, cfg.ATol)
	}
	scenarios := sweepScenarios()
	total := len(scenarios) * cfg.PerScenario
	out, err := parallel.Map(context.Background(), total, cfg.Workers, func() *simulator { return new(simulator) },
		func(_ context.Context, sm *simulator, i int) (Instance, error) {
			return sm.instance(&cfg, scenarios[i/cfg.PerScenario], i%cfg.PerScenario)
		}, progressOf[Instance](cfg.Progress, total))
	if err != nil {
		return nil, fmt.Errorf("theory: sweep: %w", err)
	}
	res := &SweepResult{Config: cfg}
	for k, sc := range scenarios {
		res.Scenarios = append(res.Scenarios, summarize(sc, out[k*cfg.PerScenario:(k+1)*cfg.PerScenario]))
	}
	if cfg.KeepInstances {
		res.Instances = out
	}
	return res, nil
}

// drawInstance returns the random system and tokens of instance i of
// scenario sc.
func drawInstance(seed uint64, sc Scenario, i int) (Scalar, []float64) {
	rng := rand.New(rand.NewPCG(seed, uint64(sc)<<32|uint64(i)))
	logU := func(lo, hi float64) float64 { return lo * math.Pow(hi/lo, rng.Float64()) }
	sign := func() float64 {
		if rng.IntN(2) == 0 {
			return -1
		}
		return 1
	}
	L := 2 + rng.IntN(9)
	s := Scalar{A: logU(0.5, 5), Mu: logU(0.1, 10), SDelta: sign() * logU(0.2, 5)}
	x0 := make([]float64, L)
	for l := range x0 {
		x0[l] = logU(0.1, 2)
	}
	switch sc {
	case Convergent:
		s.Mu = -s.Mu
		for l := range x0 {
			x0[l] *= sign()
		}
	case SlowDivergent:
		for l := range x0 {
			x0[l] *= -math.Copysign(1, s.SDelta)
		}
	case FastDivergent:
		found := false
		for l := range x0 {
			x0[l] *= sign()
			found = found || s.SDelta*x0[l] > 0
		}
		if !found {
			l := rng.IntN(L)
			x0[l] = -x0[l]
		}
	}
	return s, x0
}

// instance draws, classifies, simulates and measures one instance.
func (sm *simulator) instance(cfg *SweepConfig, sc Scenario, i int) (Instance, error) {
	s, x0 := drawInstance(cfg.Seed, sc, i)
	L := len(x0)
	ins := Instance{Index: i, Scalar: s, X0: x0, FirstBlowUp: -1, BlowUpTime: math.NaN(), BlowUpErr: math.NaN()}
	cl, err := s.Classify(x0)
	if err != nil {
		return ins, err
	}
	ins.Predicted = cl.Scenario
	ins.Bounds = s.Bounds(x0)

	T := cfg.Horizon
	nonDec, nonInc := true, true
	prev := append([]float64(nil), x0...)
	onStep := func(_ float64, x, _ []float64) {
		for l, v := range x {
			a, p := math.Abs(v), math.Abs(prev[l])
			if a < p*(1-1e-9) {
				nonDec = false
			}
			if a > p*(1+1e-9) {
				nonInc = false
			}
			prev[l] = v
		}
	}
	tr, err := sm.scalar(s, x0, T, &SimOptions{RTol: cfg.RTol, ATol: cfg.ATol, Times: []float64{T / 100, T}, OnStep: onStep})
	if err != nil {
		return ins, err
	}
	ins.Steps = tr.Steps
	ins.TokenRates = make([]float64, L)

	switch {
	case tr.BlowUp:
		ins.Simulated = FastDivergent
		ins.BlowUpTime, ins.BlowUpErr = tr.BlowUpTime, tr.BlowUpErr
		slack := tr.BlowUpErr + 1e-9*tr.BlowUpTime
		if tr.BlowUpTime > ins.Bounds.Paper+slack || tr.BlowUpTime > ins.Bounds.Quadrature+slack {
			ins.Note = fmt.Sprintf("blow-up at %.6g after the bound %.6g (quadrature %.6g)", tr.BlowUpTime, ins.Bounds.Paper, ins.Bounds.Quadrature)
		}
		sm.measureFast(&ins, tr)
		if ins.FirstBlowUp < 0 && ins.Note == "" {
			ins.Note = fmt.Sprintf("the solver stopped at t = %.6g (%s) but no token extrapolates to a power-law blow-up", tr.End, tr.BlowUpReason)
		}
	case tr.Status == ode.Completed:
		grown, decayed := true, true
		for l := range x0 {
			xT := math.Abs(tr.At(1, l, 0))
			grown = grown && xT >= 1.5*math.Abs(x0[l])
			decayed = decayed && xT <= 0.1*math.Abs(x0[l]) && math.Sqrt(T)*xT <= s.SqrtTBound(x0[l])*(1+1e-6)
		}
		switch {
		case nonDec && grown:
			ins.Simulated = SlowDivergent
		case nonInc && decayed:
			ins.Simulated = Convergent
		default:
			ins.Note = fmt.Sprintf("no blow-up; monotone non-decreasing %v, non-increasing %v, grown %v, decayed within the t^-1/2 bound %v",
				nonDec, nonInc, grown, decayed)
		}
		measureLong(&ins, tr, T)
	default:
		ins.Note = fmt.Sprintf("the solver stopped early at t = %.6g: %v", tr.End, tr.Status)
	}
	ins.Agree = ins.Simulated == ins.Predicted && ins.Note == ""
	return ins, nil
}

// measureLong fills the rates of a simulation that reached the horizon,
// from the samples at T/100 (index 0) and T (index 1).
func measureLong(ins *Instance, tr *Trajectory, T float64) {
	s := ins.Scalar
	x1a, x1b := math.Abs(tr.At(0, 0, 0)), math.Abs(tr.At(1, 0, 0))
	add := func(name, pred string, measured, predicted float64) {
		ins.Measures = append(ins.Measures, Measure{name, pred, measured, predicted})
	}
	switch ins.Predicted {
	case Convergent:
		add(rateConv1, "(2|μ| ln2)^-1/2", math.Sqrt(T)*x1b, s.SqrtTLimit())
		lim := s.SqrtTLimits(ins.X0)
		for l := range ins.X0 {
			xa, xb := math.Abs(tr.At(0, l, 0)), math.Abs(tr.At(1, l, 0))
			ins.TokenRates[l] = math.Sqrt(T) * xb
			if l > 0 {
				add(RateConvLater, "c_l of SqrtTLimits: sqrt((1-2^-a)/(2|μ| ln2))", ins.TokenRates[l], lim[l])
			}
			add(rateConvExp, "-1/2", math.Log(xb/xa)/math.Log(100), -0.5)
		}
	case SlowDivergent:
		add(rateSlow1, "1", (s.SlowG(x1b)-s.SlowG(x1a))/math.Log(100), 1)
		sy := math.Abs(s.SDelta) * x1b
		tPred := math.Exp(sy) / (s.Mu * sy * x1b * x1b) * (1 + 3/sy + 12/(sy*sy) + 60/(sy*sy*sy))
		add(rateSlowTime, "T", tPred, T)
		lnln := math.Log(math.Log(T) / math.Log(T/100))
		for l := range ins.X0 {
			xa, xb := math.Abs(tr.At(0, l, 0)), math.Abs(tr.At(1, l, 0))
			ins.TokenRates[l] = math.Log(xb/xa) / lnln
			if l > 0 {
				add(RateSlowRelative, "1", math.Log(xb/xa)/math.Log(x1b/x1a), 1)
			}
		}
	}
}

// Names of the measured rates (RateStat.Name). The three exported ones are
// this repository's own findings, which the claims ledger (pkg/claims)
// reads: the later tokens' convergence constants, the common ln t growth of
// slow divergence, and every later token diverging at T*.
const (
	rateConv1 = "sqrt(T)|x_1(T)|"
	// RateConvLater: √T|x_l(T)| for l ≥ 2 against c_l of SqrtTLimits.
	RateConvLater = "sqrt(T)|x_l(T)|, l >= 2"
	rateConvExp   = "decay exponent d ln|x_l|/d ln t on [T/100, T]"
	rateSlow1     = "dG/d ln t on [T/100, T], G = |S_Δ||x_1| - 3 ln|x_1|"
	rateSlowTime  = "asymptotic time e^{sy}/(μ s y³)(1+3/(sy)+12/(sy)²+60/(sy)³) at y = |x_1(T)|"
	// RateSlowRelative: d ln|x_l| / d ln|x_1| on [T/100, T] for l ≥ 2
	// against 1 (every token grows like ln t).
	RateSlowRelative = "relative growth d ln|x_l| / d ln|x_1| on [T/100, T], l >= 2"
	rateFast1        = "blow-up exponent β of the first blowing token"
	rateFastT        = "T* when token 1 blows up first"
	// RateFastAll: the fraction of the tokens after the first blowing one
	// that diverge at T* too, against 1.
	RateFastAll = "tokens after the first blowing one that diverge at T* (fraction)"
)

// measureFast finds, from the last solver points, which tokens blow up at
// T* (their r = x/x' extrapolates to T*) and their exponents.
func (sm *simulator) measureFast(ins *Instance, tr *Trajectory) {
	for l := range ins.X0 {
		ins.TokenRates[l] = math.NaN()
		ts, _, beta, ok := ode.ExtrapolateBlowUp(tr.Last, l)
		if !ok || math.Abs(ts-tr.BlowUpTime) > 1e-6*math.Max(1, tr.BlowUpTime) {
			continue
		}
		ins.TokenRates[l] = beta
		if ins.FirstBlowUp < 0 {
			ins.FirstBlowUp = l
		}
	}
	first := math.NaN()
	if ins.FirstBlowUp >= 0 {
		first = ins.TokenRates[ins.FirstBlowUp]
	}
	ins.Measures = append(ins.Measures, Measure{rateFast1, "1/3", first, 1.0 / 3})
	if ins.FirstBlowUp == 0 {
		ins.Measures = append(ins.Measures, Measure{rateFastT, "quadrature T*(x_1(0))", tr.BlowUpTime, ins.Bounds.FirstToken})
	}
	if ins.FirstBlowUp >= 0 && ins.FirstBlowUp < len(ins.X0)-1 {
		n := 0
		for l := ins.FirstBlowUp + 1; l < len(ins.X0); l++ {
			if !math.IsNaN(ins.TokenRates[l]) {
				n++
			}
		}
		ins.Measures = append(ins.Measures, Measure{RateFastAll, "1", float64(n) / float64(len(ins.X0)-1-ins.FirstBlowUp), 1})
	}
}

// summarize aggregates the instances of one scenario.
func summarize(sc Scenario, ins []Instance) ScenarioSummary {
	sum := ScenarioSummary{Scenario: sc, Count: len(ins)}
	acc := map[string]*rateAcc{}
	var names []string
	add := func(m Measure) {
		a, ok := acc[m.Name]
		if !ok {
			a = &rateAcc{stat: RateStat{Name: m.Name, Prediction: m.Prediction}}
			acc[m.Name] = a
			names = append(names, m.Name)
		}
		a.add(m.RelErr())
	}
	var pos []posAcc
	steps := 0
	for k := range ins {
		in := &ins[k]
		steps += in.Steps
		if in.Agree {
			sum.Agree++
		} else {
			sum.Disagreements = append(sum.Disagreements, *in)
		}
		for len(pos) < len(in.TokenRates) {
			pos = append(pos, posAcc{min: math.Inf(1), max: math.Inf(-1)})
		}
		for l, v := range in.TokenRates {
			pos[l].add(v)
		}
		for _, m := range in.Measures {
			add(m)
		}
	}
	for _, n := range names {
		sum.Rates = append(sum.Rates, acc[n].stat)
	}
	for _, p := range pos {
		sum.ByPosition = append(sum.ByPosition, p.stat())
	}
	if len(ins) > 0 {
		sum.Steps = float64(steps) / float64(len(ins))
	}
	sort.SliceStable(sum.Disagreements, func(a, b int) bool { return sum.Disagreements[a].Index < sum.Disagreements[b].Index })
	return sum
}

type rateAcc struct {
	stat RateStat
	sum  float64
}

func (a *rateAcc) add(e float64) {
	a.stat.N++
	a.sum += e
	a.stat.MeanRelErr = a.sum / float64(a.stat.N)
	a.stat.MaxRelErr = math.Max(a.stat.MaxRelErr, e)
	if e <= 0.05 {
		a.stat.Within5++
	}
}

type posAcc struct {
	n             int
	sum, min, max float64
}

func (p *posAcc) add(v float64) {
	if math.IsNaN(v) {
		return
	}
	p.n++
	p.sum += v
	p.min = math.Min(p.min, v)
	p.max = math.Max(p.max, v)
}

func (p posAcc) stat() PositionStat {
	if p.n == 0 {
		return PositionStat{Mean: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	return PositionStat{N: p.n, Mean: p.sum / float64(p.n), Min: p.min, Max: p.max}
}
