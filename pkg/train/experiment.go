package train

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/internal/parallel"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// ExperimentSpec is the scaled-down proxy of the paper's WikiText-103
// comparison (docs/paper.md §6.1): one base
// configuration trained once per (scenario, seed). A scenario is an x_proj
// parametrization (§5.1): "neg" (the convergent scenario), "mixed", "pos"
// (refinement 1) and the unconstrained "none". A seed sets the initial
// weights, the data order and the dropout, and is shared by the scenarios,
// so that the comparison is paired.
type ExperimentSpec struct {
	Name      string   `json:"name"`
	Base      Config   `json:"base"`
	Scenarios []string `json:"scenarios"`
	Seeds     []uint64 `json:"seeds"`
	// Parallel is the number of runs trained at once (each with
	// Base.Threads goroutines). It does not change any result.
	Parallel int `json:"parallel"`
}

// RunResult is one trained model of the experiment.
type RunResult struct {
	Scenario string  `json:"scenario"`
	Seed     uint64  `json:"seed"`
	Params   int     `json:"params"`  // trainable scalars (tied head counted once)
	Tokens   int64   `json:"tokens"`  // predicted training tokens seen
	Seconds  float64 `json:"seconds"` // wall time of training and evaluation
	Valid    Eval    `json:"valid"`   // final validation pass
	Test     Eval    `json:"test"`    // final test pass
	// Curve is the validation history (perplexity vs step).
	Curve []Point `json:"curve"`
	// Spectra are the eigenvalues of μ = S_Cᵀ S_B per layer after training.
	Spectra []model.LayerSpectrum `json:"spectra"`
	// Skip are the sign statistics of the skip D per layer after training.
	Skip []model.SkipStat `json:"skip"`
}

// ExperimentResult is what the experiment writes to its cache.
type ExperimentResult struct {
	Spec    ExperimentSpec `json:"spec"`
	Key     string         `json:"key"`
	Code    string         `json:"code_version"`
	Data    string         `json:"data_digest"` // size:sha256 of the corpus file
	Corpus  string         `json:"corpus"`      // where the corpus came from
	Splits  [3]int         `json:"split_bytes"` // train, valid, test sizes
	Go      string         `json:"go"`          // Go version and GOOS/GOARCH
	Seconds float64        `json:"seconds"`     // wall time of the whole experiment
	// CPUSeconds is the CPU time (user + system, all threads) of the
	// process during the experiment: CPUSeconds/2 is roughly the wall time
	// on 2 idle cores, whatever else shared them during the run (0 where
	// CPU time cannot be read).
	CPUSeconds float64     `json:"cpu_seconds"`
	Runs       []RunResult `json:"runs"`
}

// Validate checks the specification.
func (s ExperimentSpec) Validate() error {
	if s.Name == "" || !idOK(s.Name) {
		return fmt.Errorf("train: experiment name %q: want lowercase letters, digits and '-'", s.Name)
	}
	if len(s.Scenarios) == 0 || len(s.Seeds) == 0 {
		return fmt.Errorf("train: experiment %s: needs scenarios and seeds", s.Name)
	}
	for _, sc := range s.Scenarios {
		if !slices.Contains(Parametrizations(), sc) {
			return fmt.Errorf("train: experiment %s: scenario %q: want one of %v", s.Name, sc, Parametrizations())
		}
	}
	if s.Parallel < 0 {
		return fmt.Errorf("train: experiment %s: parallel %d must be >= 0", s.Name, s.Parallel)
	}
	b := s.Base
	b.Model.Param = s.Scenarios[0] // each run sets its own
	return b.Validate()
}

func idOK(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// RunOptions are the optional parts of Run.
type RunOptions struct {
	Hooks
	// Resume, when not empty, continues the run from the checkpoint in this
	// directory (written by a run of the same configuration).
	Resume string
}

// Run trains one configuration on corpus and returns its result: the final
// validation and test passes (capped at cfg.FinalEvalWindows windows), the
// history and the spectra of μ = S_Cᵀ S_B. cfg.Seed draws the weights,
// cfg.Train.Seed the data order and dropout. Checkpoints go to
// cfg.Train.CheckpointDir when set, with the configuration as JSON in the
// metadata "tokendyn.config" (ConfigFromCheckpoint).
func Run(ctx context.Context, cfg Config, corpus *Corpus, ro RunOptions) (RunResult, error) {
	start := time.Now()
	if err := cfg.Validate(); err != nil {
		return RunResult{}, err
	}
	trW, err := NewWindows(corpus.Train, cfg.Data.SeqLen)
	if err != nil {
		return RunResult{}, fmt.Errorf("train: training split: %w", err)
	}
	vaW, err := NewWindows(corpus.Valid, cfg.Data.SeqLen)
	if err != nil {
		return RunResult{}, fmt.Errorf("train: validation split: %w", err)
	}
	teW, err := NewWindows(corpus.Test, cfg.Data.SeqLen)
	if err != nil {
		return RunResult{}, fmt.Errorf("train: test split: %w", err)
	}
	switch {
	case cfg.Model.Vocab == 0:
		cfg.Model.Vocab = corpus.Vocab
	case cfg.Model.Vocab != corpus.Vocab:
		return RunResult{}, fmt.Errorf("train: vocab_size %d, but corpus %s has %d token ids", cfg.Model.Vocab, corpus.Name, corpus.Vocab)
	}
	if cfg.Epochs > 0 {
		cfg.Train.Steps = StepsForEpochs(cfg.Epochs, trW.Count(), cfg.Train.Batch, cfg.Train.Accum)
	}
	m, err := NewLM(cfg.Model, cfg.Seed, cfg.Threads)
	if err != nil {
		return RunResult{}, err
	}
	tn, err := NewTrainer(m, trW, vaW, cfg.Train)
	if err != nil {
		return RunResult{}, err
	}
	tn.Aliases = MambaLMAliases()
	cj, err := json.Marshal(cfg)
	if err != nil {
		return RunResult{}, fmt.Errorf("train: %w", err)
	}
	tn.Meta = map[string]string{"tokendyn.config": string(cj)}
	if ro.Resume != "" {
		ck, err := tn.Resume(ro.Resume)
		if err != nil {
			return RunResult{}, err
		}
		if err := checkSameRun(ck, cfg); err != nil {
			return RunResult{}, fmt.Errorf("train: resume %s: %w", ro.Resume, err)
		}
	}
	if err := tn.Run(ctx, ro.Hooks); err != nil {
		return RunResult{}, err
	}
	eb := cfg.Train.EvalBatch
	if eb == 0 {
		eb = cfg.Train.Batch
	}
	valid, err := Evaluate(m, vaW, eb, cfg.FinalEvalWindows)
	if err != nil {
		return RunResult{}, fmt.Errorf("train: final validation: %w", err)
	}
	test, err := Evaluate(m, teW, eb, cfg.FinalEvalWindows)
	if err != nil {
		return RunResult{}, fmt.Errorf("train: final test: %w", err)
	}
	spectra, err := m.MuSpectra()
	if err != nil {
		return RunResult{}, err
	}
	skip, err := m.SkipStats()
	if err != nil {
		return RunResult{}, err
	}
	return RunResult{
		Scenario: cfg.Model.Param, Seed: cfg.Seed, Params: CountParams(m.Params()), Tokens: tn.State.Tokens,
		Seconds: time.Since(start).Seconds(), Valid: valid, Test: test, Curve: tn.State.History, Spectra: spectra, Skip: skip,
	}, nil
}

// RunExperiment trains every (seed, scenario) of spec on corpus, Parallel
// runs at a time. progress (may be nil) gets (updates done, updates in
// total); log (may be nil) gets one line per finished run.
func RunExperiment(ctx context.Context, spec ExperimentSpec, corpus *Corpus, progress func(done, total int), log io.Writer) (*ExperimentResult, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	start, cpu0 := time.Now(), ProcessCPUSeconds()
	type job struct {
		cfg  Config
		name string
	}
	var jobs []job
	for _, seed := range spec.Seeds {
		for _, sc := range spec.Scenarios {
			c := spec.Base
			c.Model.Param, c.Seed, c.Train.Seed = sc, seed, seed
			jobs = append(jobs, job{c, fmt.Sprintf("%s seed %d", sc, seed)})
		}
	}
	steps := spec.Base.Train.Steps
	if spec.Base.Epochs > 0 {
		steps = StepsForEpochs(spec.Base.Epochs, (len(corpus.Train)-1)/spec.Base.Data.SeqLen, spec.Base.Train.Batch, spec.Base.Train.Accum)
	}
	total := steps * len(jobs)
	var done atomic.Int64
	runs, err := parallel.Map(ctx, len(jobs), spec.Parallel, func() struct{} { return struct{}{} }, func(ctx context.Context, _ struct{}, i int) (RunResult, error) {
		j := jobs[i]
		r, err := Run(ctx, j.cfg, corpus, RunOptions{Hooks: Hooks{OnStep: func(StepStats) {
			d := done.Add(1)
			if progress != nil {
				progress(int(d), total)
			}
		}}})
		if err != nil {
			return r, fmt.Errorf("train: experiment %s, %s: %w", spec.Name, j.name, err)
		}
		return r, nil
	}, func(i int, r RunResult, _ int) {
		if log != nil {
			fmt.Fprintf(log, "%s: %s: valid ppl %.4f, test ppl %.4f (%.3f bits/byte), %.0f s\n",
				spec.Name, jobs[i].name, r.Valid.Perplexity, r.Test.Perplexity, r.Test.BitsPerByte, r.Seconds)
		}
	})
	if err != nil {
		return nil, err
	}
	res := &ExperimentResult{
		Spec: spec, Data: corpus.Digest, Corpus: corpus.Source,
		Splits:  [3]int{len(corpus.Train), len(corpus.Valid), len(corpus.Test)},
		Go:      fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH),
		Seconds: time.Since(start).Seconds(), Runs: runs,
	}
	if cpu1 := ProcessCPUSeconds(); cpu0 >= 0 && cpu1 > cpu0 {
		res.CPUSeconds = cpu1 - cpu0
	}
	return res, nil
}

// Key computes the cache key of spec for the sources under root and the
// corpus files (CorpusDigest); it also returns the code version. Parallel
// and Threads are left out: they do not change the result.
func (s ExperimentSpec) Key(root string) (key, code string, err error) {
	code, err = CodeVersion(root)
	if err != nil {
		return "", "", err
	}
	data, err := CorpusDigest(s.Base.Data)
	if err != nil {
		return "", "", err
	}
	k := s
	k.Parallel, k.Base.Threads = 0, 0
	b, err := json.Marshal(k)
	if err != nil {
		return "", "", fmt.Errorf("train: experiment key: %w", err)
	}
	return CacheKey{Code: code, Spec: b, Data: data}.Hash(), code, nil
}

// LoadOrRunExperiment returns the cached result of spec when
// ROOT/.cache/experiments/ holds one under the current key (code version of
// CodeDirs, the specification, the corpus digest), and says so on log;
// otherwise it runs the experiment, stores the result atomically and
// returns it. The corpus is read only when the experiment runs. cached
// reports which happened.
func LoadOrRunExperiment(ctx context.Context, spec ExperimentSpec, root string, progress func(done, total int), log io.Writer) (res *ExperimentResult, cached bool, err error) {
	if err := spec.Validate(); err != nil {
		return nil, false, err
	}
	if log == nil {
		log = io.Discard
	}
	key, code, err := spec.Key(root)
	if err != nil {
		return nil, false, err
	}
	path := CachePath(root, spec.Name, key)
	rel, _ := filepath.Rel(root, path)
	if b, err := os.ReadFile(path); err == nil {
		var r ExperimentResult
		if err := json.Unmarshal(b, &r); err == nil && r.Key == key && len(r.Runs) == len(spec.Scenarios)*len(spec.Seeds) {
			fmt.Fprintf(log, "experiment %s: reusing the cached result %s (key %s unchanged: same code, configuration and data)\n", spec.Name, rel, key[:16])
			return &r, true, nil
		}
		fmt.Fprintf(log, "experiment %s: ignoring the unreadable cache file %s\n", spec.Name, rel)
	}
	fmt.Fprintf(log, "experiment %s: no cached result for key %s (code, configuration or data changed): running %d scenarios × %d seeds\n",
		spec.Name, key[:16], len(spec.Scenarios), len(spec.Seeds))
	corpus, err := LoadCorpus(spec.Base.Data)
	if err != nil {
		return nil, false, err
	}
	r, err := RunExperiment(ctx, spec, corpus, progress, log)
	if err != nil {
		return nil, false, err
	}
	r.Key, r.Code = key, code
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return nil, false, fmt.Errorf("train: experiment %s: %w", spec.Name, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, false, fmt.Errorf("train: experiment cache: %w", err)
	}
	if err := atomicfile.WriteBytes(path, append(b, '\n')); err != nil {
		return nil, false, err
	}
	fmt.Fprintf(log, "experiment %s: stored %s (%.0f s of wall time, %.0f s of CPU time)\n", spec.Name, rel, r.Seconds, r.CPUSeconds)
	return r, false, nil
}

// Stat summarises one metric over seeds: mean, sample standard deviation
// (n−1 in the denominator; 0 for one run), minimum and maximum.
type Stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	N    int     `json:"n"`
}

// NewStat computes the summary of xs.
func NewStat(xs []float64) Stat {
	s := Stat{N: len(xs), Min: math.Inf(1), Max: math.Inf(-1)}
	if len(xs) == 0 {
		return Stat{}
	}
	for _, x := range xs {
		s.Mean += x
		s.Min = math.Min(s.Min, x)
		s.Max = math.Max(s.Max, x)
	}
	s.Mean /= float64(len(xs))
	if len(xs) > 1 {
		var v float64
		for _, x := range xs {
			v += (x - s.Mean) * (x - s.Mean)
		}
		s.SD = math.Sqrt(v / float64(len(xs)-1))
	}
	return s
}

// ScenarioSummary aggregates the runs of one scenario.
type ScenarioSummary struct {
	Scenario string `json:"scenario"`
	Runs     int    `json:"runs"`
	ValidPPL Stat   `json:"valid_ppl"`
	TestPPL  Stat   `json:"test_ppl"`
	ValidBPB Stat   `json:"valid_bpb"`
	TestBPB  Stat   `json:"test_bpb"`
	Params   int    `json:"params"`
	Tokens   int64  `json:"tokens"`  // per run
	Seconds  Stat   `json:"seconds"` // wall time per run
}

// Summary returns one entry per scenario, in the specification's order.
func (r *ExperimentResult) Summary() []ScenarioSummary {
	var out []ScenarioSummary
	for _, sc := range r.Spec.Scenarios {
		var vp, tp, vb, tb, sec []float64
		s := ScenarioSummary{Scenario: sc}
		for _, run := range r.Runs {
			if run.Scenario != sc {
				continue
			}
			s.Runs++
			s.Params, s.Tokens = run.Params, run.Tokens
			vp = append(vp, run.Valid.Perplexity)
			tp = append(tp, run.Test.Perplexity)
			vb = append(vb, run.Valid.BitsPerByte)
			tb = append(tb, run.Test.BitsPerByte)
			sec = append(sec, run.Seconds)
		}
		s.ValidPPL, s.TestPPL, s.ValidBPB, s.TestBPB, s.Seconds = NewStat(vp), NewStat(tp), NewStat(vb), NewStat(tb), NewStat(sec)
		out = append(out, s)
	}
	return out
}

// Curve is the validation perplexity of one scenario against the step,
// aggregated over seeds: Mean, Min and Max at every evaluation step.
type Curve struct {
	Scenario string    `json:"scenario"`
	Steps    []int     `json:"steps"`
	Mean     []float64 `json:"mean"`
	Min      []float64 `json:"min"`
	Max      []float64 `json:"max"`
}

// Curves returns the per-scenario validation-perplexity curves. Every run of
// a scenario evaluates at the same steps (same configuration).
func (r *ExperimentResult) Curves() []Curve {
	var out []Curve
	for _, sc := range r.Spec.Scenarios {
		c := Curve{Scenario: sc}
		var per [][]Point
		for _, run := range r.Runs {
			if run.Scenario == sc {
				per = append(per, run.Curve)
			}
		}
		if len(per) == 0 {
			continue
		}
		for k, p := range per[0] {
			var xs []float64
			for _, h := range per {
				if k < len(h) && h[k].Step == p.Step {
					xs = append(xs, h[k].Valid.Perplexity)
				}
			}
			st := NewStat(xs)
			c.Steps = append(c.Steps, p.Step)
			c.Mean, c.Min, c.Max = append(c.Mean, st.Mean), append(c.Min, st.Min), append(c.Max, st.Max)
		}
		out = append(out, c)
	}
	return out
}
