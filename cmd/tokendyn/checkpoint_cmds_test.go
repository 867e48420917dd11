package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/data/text"
	"github.com/tokendyn/tokendyn/internal/safetensors"
	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/model"
	"github.com/tokendyn/tokendyn/pkg/optim"
	"github.com/tokendyn/tokendyn/pkg/train"
)

// tinyCheckpoint writes a 2-layer gcide-vocabulary checkpoint the way
// tokendyn train does (no corpus needed) and returns its directory.
func tinyCheckpoint(t *testing.T, param string) string {
	t.Helper()
	cfg, err := lmrun.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Model.Param, cfg.Model.Vocab, cfg.Model.NLayer, cfg.Data.SeqLen = param, 96, 2, 16
	m, err := train.NewLM(cfg.Model, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for _, p := range m.Params() { // move away from the initialisation
		for i := range p.W {
			p.W[i] += float32(0.1 * rng.NormFloat64())
		}
	}
	opt, err := optim.NewAdamW(m.Params(), 0.9, 0.999, 1e-8, 0)
	if err != nil {
		t.Fatal(err)
	}
	cj, _ := json.Marshal(cfg)
	dir := t.TempDir()
	if err := checkpoint.SaveTraining(dir, opt, train.State{}, cfg.Train, map[string]string{"tokendyn.config": string(cj)}, checkpoint.MambaLMAliases()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// stepNLL is the mean NLL of ids cut into windows of L+1 tokens sharing one
// token, computed with the recurrent step restarted per window (a code
// path independent of LM.Loss).
func stepNLL(t *testing.T, m *model.LM[float64], ids []byte, L int) (float64, int) {
	v := m.Config().Vocab
	logits := make([]float64, v)
	sum, n := 0.0, 0
	for start := 0; start+1 < len(ids); start += L {
		end := min(start+L+1, len(ids))
		st := m.NewState()
		for i := start; i+1 < end; i++ {
			if err := m.Step(st, int32(ids[i]), logits, nil); err != nil {
				t.Fatal(err)
			}
			top := slices.Max(logits)
			z := 0.0
			for _, x := range logits {
				z += math.Exp(x - top)
			}
			sum += top + math.Log(z) - logits[ids[i+1]]
			n++
		}
	}
	return sum / float64(n), n
}

func TestEvalMatchesStepwiseNLL(t *testing.T) {
	dir := tinyCheckpoint(t, model.ParamMixed)
	txt := []byte("A dog is a domesticated carnivorous mammal; see Canis.\n")
	path := filepath.Join(t.TempDir(), "t.txt")
	os.WriteFile(path, txt, 0o644)
	ck, err := checkpoint.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ck.LoadLM()
	ck.Close()
	if err != nil {
		t.Fatal(err)
	}
	ids, _ := text.ASCIIVocab().Encode(txt)
	for _, w := range []string{"1000", "7", "0"} {
		var out, errb bytes.Buffer
		if code := runEval([]string{"--model", dir, "--text", path, "--window", w, "--json"}, &out, &errb); code != 0 {
			t.Fatalf("window %s: exit %d: %s", w, code, errb.String())
		}
		var got map[string]float64
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		keys := []string{}
		for k := range got {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"bits_per_byte", "nll", "perplexity", "tokens"}) {
			t.Fatalf("JSON keys %v", keys)
		}
		L := map[string]int{"1000": 1000, "7": 7, "0": 16}[w]
		want, n := stepNLL(t, m, ids, L)
		if int(got["tokens"]) != n || n != len(txt)-1 {
			t.Errorf("window %s: tokens %v, want %d = len-1", w, got["tokens"], n)
		}
		if math.Abs(got["nll"]-want) > 1e-10 || math.Abs(got["perplexity"]-math.Exp(want)) > 1e-9 || math.Abs(got["bits_per_byte"]-want/math.Ln2) > 1e-10 {
			t.Errorf("window %s: %v, want nll %v", w, got, want)
		}
	}
}

func TestCheckpointCommandsBadInput(t *testing.T) {
	dir := tinyCheckpoint(t, model.ParamPos)
	tmp := t.TempDir()
	bad := filepath.Join(tmp, "bad.txt")
	os.WriteFile(bad, []byte("caf\xc3\xa9"), 0o644)
	empty := filepath.Join(tmp, "empty.txt")
	os.WriteFile(empty, nil, 0o644)
	good := filepath.Join(tmp, "good.txt")
	os.WriteFile(good, []byte("good text"), 0o644)
	corrupt := filepath.Join(tmp, "corrupt")
	os.MkdirAll(corrupt, 0o755)
	mpath, _, err := checkpoint.TrainingFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(mpath)
	if err != nil || len(b) < 100 {
		t.Fatalf("the model file of %s: %d bytes, %v", dir, len(b), err)
	}
	os.WriteFile(filepath.Join(corrupt, checkpoint.WeightsFile), b[:len(b)/2], 0o644)
	noConfig := t.TempDir()
	for _, tc := range []struct {
		run  func([]string, *bytes.Buffer, *bytes.Buffer) int
		args []string
		want string
	}{
		{wrap(runEval), []string{"--model", dir, "--text", bad}, "0xc3"},
		{wrap(runEval), []string{"--model", dir, "--text", empty}, "empty.txt"},
		{wrap(runEval), []string{"--model", corrupt, "--text", good}, "truncated"},
		{wrap(runGenerate), []string{"--model", dir, "--prompt", "caf\xc3\xa9"}, "0xc3"},
		{wrap(runInspect), []string{noConfig}, "no config.json"},
		{wrap(runInspect), []string{dir, "--ids", "96"}, "outside the vocabulary"},
		{wrap(runInspect), []string{dir, "--text", empty}, "empty"},
	} {
		var out, errb bytes.Buffer
		code := tc.run(tc.args, &out, &errb)
		msg := errb.String()
		if code != 1 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, tc.want) {
			t.Errorf("%v: exit %d, stderr %q (want one line with %q)", tc.args, code, msg, tc.want)
		}
	}
}

func wrap(f func([]string, io.Writer, io.Writer) int) func([]string, *bytes.Buffer, *bytes.Buffer) int {
	return func(a []string, o, e *bytes.Buffer) int { return f(a, o, e) }
}

// TestGenerateGreedyIsArgmaxOfFullForward: greedy sampling through the
// recurrent step picks, at every position, the argmax of the full forward
// pass on the prefix; sampling is deterministic per seed.
func TestGenerateGreedyIsArgmaxOfFullForward(t *testing.T) {
	dir := tinyCheckpoint(t, model.ParamNone)
	var out, errb bytes.Buffer
	if code := runGenerate([]string{"--model", dir, "--prompt", "The ", "--n", "12", "--temperature", "0"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	gen := strings.TrimSuffix(out.String(), "\n")
	ck, _ := checkpoint.Open(dir)
	m, err := ck.LoadLM()
	ck.Close()
	if err != nil {
		t.Fatal(err)
	}
	v := text.ASCIIVocab()
	ids, err := v.Encode([]byte(gen))
	if err != nil || len(ids) != 16 {
		t.Fatalf("generated %q: %v", gen, err)
	}
	for p := 4; p < len(ids); p++ {
		seq := make([]int32, p)
		for i := range seq {
			seq[i] = int32(ids[i])
		}
		lg, _ := m.Logits(seq, 1)
		last := lg[(p-1)*96 : p*96]
		if best := slices.Index(last, slices.Max(last)); best != int(ids[p]) {
			t.Errorf("position %d: generated %d, full-forward argmax %d", p, ids[p], best)
		}
	}
	run := func(seed string) string {
		var o, e bytes.Buffer
		runGenerate([]string{"--model", dir, "--prompt", "a", "--n", "30", "--seed", seed, "--top-k", "5"}, &o, &e)
		return o.String()
	}
	if a, b, c := run("1"), run("1"), run("2"); a != b || a == c {
		t.Errorf("seeded sampling: %q %q %q", a, b, c)
	}
}

// TestSampleTokenFrequencies: top-k sampling draws each kept token with
// probability softmax(logits/T) renormalised over the k largest, and never
// one outside them.
func TestSampleTokenFrequencies(t *testing.T) {
	logits := []float64{0.5, 2, -1, 1.5, 0}
	const temp, k, draws = 0.7, 3, 200000
	rng := rand.New(rand.NewPCG(1, 2))
	counts := make([]int, len(logits))
	for i := 0; i < draws; i++ {
		counts[sampleToken(logits, temp, k, rng)]++
	}
	kept := []int{1, 3, 0}
	z := 0.0
	for _, j := range kept {
		z += math.Exp(logits[j] / temp)
	}
	for _, j := range kept {
		p := math.Exp(logits[j]/temp) / z
		sd := math.Sqrt(p * (1 - p) / draws)
		if f := float64(counts[j]) / draws; math.Abs(f-p) > 5*sd {
			t.Errorf("token %d: frequency %.4f, want %.4f ± %.4f", j, f, p, 5*sd)
		}
	}
	if counts[2] != 0 || counts[4] != 0 {
		t.Errorf("tokens outside the top %d drawn: %v", k, counts)
	}
	if got := sampleToken(logits, 0, 0, rng); got != 1 {
		t.Errorf("greedy: %d, want 1", got)
	}
}

// TestInspectJSON: the JSON shape of the issue on a sharded BF16
// transformers checkpoint, trajectories for --ids, and a PNG figure.
func TestInspectJSON(t *testing.T) {
	m, err := model.NewLM[float64](model.LMConfig{DModel: 8, NLayer: 3, Vocab: 20, DState: 2, Expand: 2}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := checkpoint.Export(dir, checkpoint.Transformers, m, safetensors.BF16, 2); err != nil {
		t.Fatal(err)
	}
	fig := filepath.Join(t.TempDir(), "traj.png")
	var out, errb bytes.Buffer
	if code := runInspect([]string{dir, "--json", "--ids", "1,2,3,19", "--figure", fig}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep struct {
		Layers []struct {
			Layer                       *int
			Positive, Negative, Complex *int
			Eigenvalues                 struct{ Real, Imag []float64 }
			Scenario, Criterion         string
		}
		Symmetry     string
		Trajectories struct {
			Tokens       []int
			ResidualNorm [][]float64 `json:"residual_norm"`
			UpdateNorm   [][]float64 `json:"update_norm"`
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Layers) != 3 || rep.Symmetry == "" {
		t.Fatalf("report %+v", rep)
	}
	for i, l := range rep.Layers {
		if l.Layer == nil || *l.Layer != i || l.Positive == nil || l.Negative == nil || l.Complex == nil ||
			len(l.Eigenvalues.Real) != 2 || len(l.Eigenvalues.Imag) != 2 || *l.Positive+*l.Negative > 2 || l.Criterion == "" {
			t.Errorf("layer %d: %+v", i, l)
		}
	}
	tr := rep.Trajectories
	if len(tr.Tokens) != 4 || len(tr.ResidualNorm) != 4 || len(tr.ResidualNorm[0]) != 4 || len(tr.UpdateNorm[0]) != 3 {
		t.Errorf("trajectories %+v", tr)
	}
	b, err := os.ReadFile(fig)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("figure: %v, %d bytes", err, len(b))
	}
	// The text report numbers tokens from 1, as the paper does.
	out.Reset()
	if code := runInspect([]string{dir, "--ids", "1,2,3,19"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for k, id := range []int{1, 2, 3, 19} {
		if want := fmt.Sprintf("token %d (id %d):", k+1, id); !strings.Contains(out.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestInspectBadCheckpoints: malformed upstream-layout directories exit 1
// with one line naming the file and the problem.
func TestInspectBadCheckpoints(t *testing.T) {
	m, err := model.NewLM[float64](model.LMConfig{DModel: 8, NLayer: 2, Vocab: 20, DState: 2, Expand: 2}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mangle func(dir string)
		want   []string
	}{
		{func(d string) { os.WriteFile(filepath.Join(d, "config.json"), []byte(`{"n_embd": 8}`), 0o644) }, []string{"config.json", "unknown layout"}},
		{func(d string) {
			os.WriteFile(filepath.Join(d, "config.json"), []byte(`{"d_model": 8, "n_layer": 2, "vocab_size": 20, "ssm_cfg": {"d_state": 3}}`), 0o644)
		}, []string{"model-0000", "shape"}},
		{func(d string) {
			p := filepath.Join(d, "model-00002-of-00002.safetensors")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-3], 0o644)
		}, []string{"model-00002-of-00002.safetensors", "truncated"}},
		{func(d string) {
			p := filepath.Join(d, "model-00001-of-00002.safetensors")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(`"dtype":"F16"`), []byte(`"dtype":"I16"`), 1), 0o644)
		}, []string{"model-00001-of-00002.safetensors", "I16"}},
	} {
		dir := t.TempDir()
		if err := checkpoint.Export(dir, checkpoint.MambaSSM, m, checkpoint.F16, 2); err != nil {
			t.Fatal(err)
		}
		tc.mangle(dir)
		var out, errb bytes.Buffer
		code := runInspect([]string{dir, "--json"}, &out, &errb)
		msg := errb.String()
		ok := code == 1 && strings.Count(msg, "\n") == 1 && out.Len() == 0
		for _, w := range tc.want {
			ok = ok && strings.Contains(msg, w)
		}
		if !ok {
			t.Errorf("want %v: exit %d, stderr %q, stdout %d bytes", tc.want, code, msg, out.Len())
		}
	}
}
