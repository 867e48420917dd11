package checkpoint

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/safetensors"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// testLM is a small float64 LM with every weight perturbed away from the
// initialisation's structure (D = 1, A_log = log n).
func testLM(t *testing.T, cfg model.LMConfig, seed uint64) *model.LM[float64] {
	t.Helper()
	m, err := model.NewLM[float64](cfg, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	for _, p := range m.Params() {
		for i := range p.W {
			p.W[i] += 0.2 * rng.NormFloat64()
		}
	}
	return m
}

var smallCfg = model.LMConfig{DModel: 8, NLayer: 2, Vocab: 13, DState: 3, DConv: 3, Expand: 2, DtRank: 2, Param: model.ParamNone}

// TestPublishedNames: Export writes exactly the tensor names of the
// published checkpoints (state-spaces/mamba-* and the transformers "-hf"
// conversions), listed here by hand for a one-layer model.
func TestPublishedNames(t *testing.T) {
	cfg := smallCfg
	cfg.NLayer = 1
	m := testLM(t, cfg, 1)
	mixer := []string{"A_log", "D", "conv1d.bias", "conv1d.weight", "dt_proj.bias", "dt_proj.weight", "in_proj.weight", "out_proj.weight", "x_proj.weight"}
	for _, tc := range []struct {
		layout Layout
		extra  []string
	}{
		{MambaSSM, []string{"backbone.embedding.weight", "lm_head.weight"}},
		{Transformers, []string{"backbone.embeddings.weight"}},
	} {
		dir := t.TempDir()
		if err := Export(dir, tc.layout, m, safetensors.F32, 1); err != nil {
			t.Fatal(err)
		}
		want := append([]string{"backbone.layers.0.norm.weight", "backbone.norm_f.weight"}, tc.extra...)
		for _, s := range mixer {
			want = append(want, "backbone.layers.0.mixer."+s)
		}
		slices.Sort(want)
		f, err := safetensors.ReadFile(filepath.Join(dir, WeightsFile))
		if err != nil {
			t.Fatal(err)
		}
		got := f.Names()
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: names %v, want %v", tc.layout, got, want)
		}
		x, _ := f.Tensor("backbone.layers.0.mixer.conv1d.weight")
		if !slices.Equal(x.Shape, []int{16, 1, 3}) {
			t.Errorf("%s: conv1d.weight shape %v, want [16 1 3]", tc.layout, x.Shape)
		}
	}
}

// TestLayoutsRoundTrip exports one model in every layout and dtype, opens
// it, and checks the configuration and the weights: exact for F64, within
// the dtype's rounding (half an ulp) for F32, F16 and BF16, sharded too.
func TestLayoutsRoundTrip(t *testing.T) {
	m := testLM(t, smallCfg, 2)
	toks := []int32{1, 5, 12, 0, 7, 7, 3, 9, 2}
	want, err := m.Logits(toks, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		layout Layout
		dtype  safetensors.DType
		shards int
		rel    float64
	}{
		{MambaSSM, safetensors.F64, 1, 0},
		{MambaSSM, safetensors.F32, 1, 0x1p-24},
		{Transformers, safetensors.F16, 1, 0x1p-11},
		{Transformers, safetensors.BF16, 3, 0x1p-8},
		{Transformers, safetensors.F32, 4, 0x1p-24},
	} {
		dir := t.TempDir()
		if err := Export(dir, tc.layout, m, tc.dtype, tc.shards); err != nil {
			t.Fatal(err)
		}
		ck, err := Open(dir)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.layout, tc.dtype, err)
		}
		c := ck.Config
		if c.Layout != tc.layout || c.DModel != 8 || c.NLayer != 2 || c.Vocab != 13 || c.DState != 3 || c.DConv != 3 || c.DInner != 16 || c.DtRank != 2 {
			t.Errorf("%s: config %+v", tc.layout, c)
		}
		got, err := ck.LoadLM()
		if err != nil {
			t.Fatal(err)
		}
		ps, qs := m.Params(), got.Params()
		for i := range ps {
			for j, w := range ps[i].W {
				if d := math.Abs(qs[i].W[j] - w); d > tc.rel*math.Abs(w)+1e-300 && !(tc.dtype == safetensors.F16 && math.Abs(w) < 0x1p-14 && d <= 0x1p-25) {
					t.Fatalf("%s %s: %s[%d] = %v, want %v within %g", tc.layout, tc.dtype, ps[i].Name, j, qs[i].W[j], w, tc.rel)
				}
			}
		}
		if tc.dtype == safetensors.F64 {
			l, _ := got.Logits(toks, 1)
			if !slices.Equal(l, want) {
				t.Errorf("%s F64: logits differ from the original model's", tc.layout)
			}
		}
		ck.Close()
	}
}

// TestSymmetryLabels checks the caution the report carries: the symmetry
// leaves the network's function unchanged (logits bit for bit), swaps the
// inertia and the scenario labels, and keeps the labels said to be
// invariant (complex count, aligned channels, Δ, trajectories, measured
// alignment with the skip).
func TestSymmetryLabels(t *testing.T) {
	cfg := smallCfg
	m := testLM(t, cfg, 4)
	// Make layer 0's μ positive semi-definite (S_C = S_B) so the alignment
	// count is defined; D gets mixed signs.
	di := cfg.Expand * cfg.DModel
	for _, p := range m.Params() {
		if p.Name == "backbone.layers.0.mixer.x_proj.weight" {
			r, n := cfg.DtRank, cfg.DState
			copy(p.W[(r+n)*di:], p.W[r*di:(r+n)*di])
		}
		if p.Name == "backbone.layers.0.mixer.D" {
			for c := range p.W {
				if c%3 == 0 {
					p.W[c] = -p.W[c]
				}
			}
		}
	}
	toks := []int32{3, 1, 4, 1, 5, 9, 2, 6}
	reports := func(m *model.LM[float64]) ([]LayerReport, *Trajectories, []float64) {
		dir := t.TempDir()
		if err := Export(dir, MambaSSM, m, safetensors.F64, 1); err != nil {
			t.Fatal(err)
		}
		ck, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer ck.Close()
		var reps []LayerReport
		var ds [][]float64
		for i := 0; i < cfg.NLayer; i++ {
			l, err := ck.Layer(i)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Report(l)
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, rep)
			ds = append(ds, l.D)
		}
		tr, err := Trace(m, ds, toks)
		if err != nil {
			t.Fatal(err)
		}
		lg, _ := m.Logits(toks, 1)
		return reps, tr, lg
	}
	a, ta, la := reports(m)
	if err := m.Negate(); err != nil {
		t.Fatal(err)
	}
	b, tb, lb := reports(m)
	if !slices.Equal(la, lb) {
		t.Fatal("the symmetry changed the logits")
	}
	if a[0].Semidefinite != "positive" || b[0].Semidefinite != "negative" || a[0].AlignedChannels == nil {
		t.Fatalf("layer 0 semidefinite %q → %q", a[0].Semidefinite, b[0].Semidefinite)
	}
	if a[0].D.Positive == 0 || a[0].D.Negative == 0 {
		t.Fatalf("layer 0's D has one sign only: %+v", a[0].D)
	}
	for i := range a {
		if a[i].Positive != b[i].Negative || a[i].Negative != b[i].Positive || a[i].D.Positive != b[i].D.Negative {
			t.Errorf("layer %d: inertia (%d, %d) → (%d, %d): not swapped", i, a[i].Positive, a[i].Negative, b[i].Positive, b[i].Negative)
		}
		if a[i].Complex != b[i].Complex || a[i].Delta != b[i].Delta || a[i].Zeros != b[i].Zeros {
			t.Errorf("layer %d: an invariant label changed", i)
		}
		if (a[i].AlignedChannels == nil) != (b[i].AlignedChannels == nil) || a[i].AlignedChannels != nil && *a[i].AlignedChannels != *b[i].AlignedChannels {
			t.Errorf("layer %d: aligned channels changed", i)
		}
	}
	if a[0].Scenario != "divergent" || b[0].Scenario != "convergent" {
		t.Errorf("layer 0 scenario %q → %q, want divergent → convergent", a[0].Scenario, b[0].Scenario)
	}
	for l := range ta.ResidualNorm {
		if !slices.Equal(ta.ResidualNorm[l], tb.ResidualNorm[l]) || !slices.Equal(ta.AlignedWithSkip[l], tb.AlignedWithSkip[l]) {
			t.Errorf("token %d: trajectory or measured alignment changed", l)
		}
		for i, s := range ta.SelfInteract[l] {
			if s != -tb.SelfInteract[l][i] {
				t.Errorf("token %d layer %d: x^T mu x %v → %v, want negated", l, i, s, tb.SelfInteract[l][i])
			}
		}
	}
	// Measured against the closed form: with S_C = S_B, uᵀμu = |S_B u|² ≥ 0.
	for l := range ta.SelfInteract {
		if ta.SelfInteract[l][0] < 0 {
			t.Errorf("token %d: x^T mu x = %v < 0 for a PSD mu", l, ta.SelfInteract[l][0])
		}
		want := 0.0
		for _, v := range m.Params() {
			if v.Name == "backbone.layers.0.mixer.D" {
				for _, d := range v.W {
					if d < 0 { // after the symmetry D is negated: aligned = D_c > 0 originally
						want++
					}
				}
				want /= float64(len(v.W))
			}
		}
		if ta.SelfInteract[l][0] > 0 && ta.AlignedWithSkip[l][0] != want {
			t.Errorf("token %d: aligned fraction %v, want %v", l, ta.AlignedWithSkip[l][0], want)
		}
	}
}

// TestBadInput: every malformed directory gives one line naming the file
// and the problem.
func TestBadInput(t *testing.T) {
	m := testLM(t, smallCfg, 5)
	good := func() string {
		dir := t.TempDir()
		if err := Export(dir, Transformers, m, safetensors.F32, 2); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	cases := []struct {
		name   string
		mangle func(dir string)
		want   []string
	}{
		{"no config", func(d string) { os.Remove(filepath.Join(d, ConfigFile)) }, []string{"no config.json"}},
		{"unknown layout", func(d string) { os.WriteFile(filepath.Join(d, ConfigFile), []byte(`{"n_embd": 8}`), 0o644) }, []string{"config.json", "unknown layout"}},
		{"shape mismatch", func(d string) {
			os.WriteFile(filepath.Join(d, ConfigFile), []byte(`{"model_type":"mamba","hidden_size":8,"num_hidden_layers":2,"vocab_size":13,"state_size":4,"expand":2,"conv_kernel":3,"time_step_rank":2}`), 0o644)
		}, []string{".safetensors", "shape", "configuration implies"}},
		{"truncated shard", func(d string) {
			p := filepath.Join(d, "model-00002-of-00002.safetensors")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-7], 0o644)
		}, []string{"model-00002-of-00002.safetensors", "truncated"}},
		{"unsupported dtype", func(d string) {
			p := filepath.Join(d, "model-00001-of-00002.safetensors")
			b, _ := os.ReadFile(p)
			s := strings.Replace(string(b), `"dtype":"F32"`, `"dtype":"I32"`, 1)
			os.WriteFile(p, []byte(s), 0o644)
		}, []string{"model-00001-of-00002.safetensors", "I32"}},
		{"pickle only", func(d string) {
			for _, f := range []string{ShardIndexFile, "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"} {
				os.Remove(filepath.Join(d, f))
			}
			os.WriteFile(filepath.Join(d, PickleFile), []byte("PK"), 0o644)
		}, []string{"pytorch_model.bin", "python3 -c", "save_file"}},
	}
	for _, tc := range cases {
		dir := good()
		tc.mangle(dir)
		ck, err := Open(dir)
		if err == nil {
			ck.Close()
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") {
			t.Errorf("%s: error spans lines: %q", tc.name, msg)
		}
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: error %q does not mention %q", tc.name, msg, w)
			}
		}
	}
}

// Negated swaps the inertia and the signs of D in the report, and leaves
// the layer it was called on unchanged.
func TestLayerNegated(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	l := &Layer{Index: 0, DtRank: 1, N: 2, DInner: 6}
	l.XProj = make([]float64, (1+2*2)*6)
	for i := range l.XProj {
		l.XProj[i] = rng.NormFloat64()
	}
	l.D, l.DtBias, l.ALog = []float64{1, -2, 3, 0.5, -1, 2}, make([]float64, 6), make([]float64, 12)
	x0 := slices.Clone(l.XProj)
	a, err := Report(l)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Report(l.Negated())
	if err != nil {
		t.Fatal(err)
	}
	if a.Positive != b.Negative || a.Negative != b.Positive || a.D.Positive != b.D.Negative || a.Zeros != b.Zeros {
		t.Errorf("report %+v → %+v: not swapped", a, b)
	}
	if !slices.Equal(x0, l.XProj) || l.D[0] != 1 {
		t.Error("Negated changed its receiver")
	}
}
