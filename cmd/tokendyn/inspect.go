package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/tokendyn/tokendyn/pkg/checkpoint"
)

const inspectHelp = `Usage: tokendyn inspect DIR [--json] [--ids 1,2,3 | --text FILE] [--figure FILE.png]

Reads a Mamba-1 checkpoint (tokendyn train's, mamba_ssm's state-spaces/mamba-*, or a transformers
MambaForCausalLM "-hf" conversion, possibly sharded; F32, F16 or BF16) tensor by tensor and reports,
per layer: the eigenvalues of mu = S_C^T S_B (its N nonzero ones, those of S_B S_C^T), how many
have positive / negative real part and how many are complex, the scenario of the paper's criteria
(the 1-D criteria of Table 1 when d_inner = 1, the empirical spectral classifier on the symmetric
part of mu otherwise; labelled), where mu is semi-definite the number of channels whose skip D_c
has mu's sign (the S6 self-interaction aligned with the skip), the signs of D and the range of
delta = softplus(dt_proj.bias).

Caution: (mu, D, out_proj) -> (-mu, -D, -out_proj) leaves a block's function unchanged, so mu's
inertia and the scenario are not properties of the network; the output says which labels are.

With --ids (token ids, any vocabulary) or --text (tokendyn checkpoints: bytes), it also runs the
tokens through the network and reports their trajectories through depth: per token and layer the
norm of the residual stream and of the block's update, u^T mu u and the fraction of channels where
its sign is D_c's; --figure writes norm versus depth per token, coloured by the layer's scenario.`

// runInspect implements `tokendyn inspect`.
func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("inspect", stderr, inspectHelp)
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	idsFlag := fs.String("ids", "", "comma-separated token `IDS` to trace through depth")
	textPath := fs.String("text", "", "text `FILE` to trace (tokendyn checkpoints, byte vocabularies)")
	figure := fs.String("figure", "", "write the trajectories figure (PNG) to `FILE`")
	var dir string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		dir, args = args[0], args[1:]
	}
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if dir == "" && fs.NArg() == 1 {
		dir = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tokendyn inspect: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if dir == "" || (*idsFlag != "" && *textPath != "") || (*figure != "" && *idsFlag == "" && *textPath == "") {
		fmt.Fprintln(stderr, "tokendyn inspect: give the checkpoint DIR; at most one of --ids and --text; --figure needs one of them")
		fs.Usage()
		return 2
	}
	var ids []int32
	if *idsFlag != "" {
		for _, s := range strings.Split(*idsFlag, ",") {
			v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
			if err != nil || v < 0 {
				fmt.Fprintf(stderr, "tokendyn inspect: --ids: %q is not a non-negative token id\n", s)
				return 2
			}
			ids = append(ids, int32(v))
		}
	}
	rep, err := inspect(dir, ids, *textPath)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn inspect: %v\n", err)
		return 1
	}
	if *figure != "" {
		if err := writeTrajectoryFigure(*figure, rep); err != nil {
			fmt.Fprintf(stderr, "tokendyn inspect: %v\n", err)
			return 1
		}
	}
	if *asJSON {
		b, err := json.MarshalIndent(rep, "", " ")
		if err != nil {
			fmt.Fprintf(stderr, "tokendyn inspect: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, string(b))
		return 0
	}
	printInspect(stdout, rep)
	if *figure != "" {
		fmt.Fprintf(stdout, "wrote %s\n", *figure)
	}
	return 0
}

// inspectReport is the JSON of tokendyn inspect.
type inspectReport struct {
	Dir                string                   `json:"dir"`
	Config             checkpoint.Config        `json:"config"`
	Symmetry           string                   `json:"symmetry"`
	InvariantLabels    []string                 `json:"invariant_labels"`
	NonInvariantLabels []string                 `json:"non_invariant_labels"`
	Layers             []checkpoint.LayerReport `json:"layers"`
	Trajectories       *checkpoint.Trajectories `json:"trajectories,omitempty"`
}

func inspect(dir string, ids []int32, textPath string) (*inspectReport, error) {
	ck, err := checkpoint.Open(dir)
	if err != nil {
		return nil, err
	}
	defer ck.Close()
	rep := &inspectReport{Dir: dir, Config: ck.Config, Symmetry: checkpoint.Symmetry,
		InvariantLabels: checkpoint.InvariantLabels(), NonInvariantLabels: checkpoint.NonInvariantLabels()}
	var ds [][]float64
	for i := 0; i < ck.Config.NLayer; i++ {
		l, err := ck.Layer(i)
		if err != nil {
			return nil, err
		}
		lr, err := checkpoint.Report(l)
		if err != nil {
			return nil, err
		}
		rep.Layers = append(rep.Layers, lr)
		ds = append(ds, l.D)
	}
	if textPath != "" {
		vocab, err := ck.Config.ByteVocab()
		if err != nil {
			return nil, fmt.Errorf("%s: --text: %w", dir, err)
		}
		raw, err := os.ReadFile(textPath)
		if err != nil {
			return nil, err
		}
		if len(raw) == 0 {
			return nil, fmt.Errorf("%s: empty text", textPath)
		}
		enc, err := vocab.Encode(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", textPath, err)
		}
		for _, b := range enc {
			ids = append(ids, int32(b))
		}
	}
	if len(ids) > 0 {
		for _, id := range ids {
			if int(id) >= ck.Config.Vocab {
				return nil, fmt.Errorf("%s: token id %d is outside the vocabulary of %d ids", dir, id, ck.Config.Vocab)
			}
		}
		m, err := ck.LoadLM()
		if err != nil {
			return nil, err
		}
		if rep.Trajectories, err = checkpoint.Trace(m, ds, ids); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func printInspect(w io.Writer, r *inspectReport) {
	c := r.Config
	fmt.Fprintf(w, "%s: %s layout, d_model %d, %d layers, d_inner %d, d_state %d, dt_rank %d, d_conv %d, vocab %d, param %s\n",
		r.Dir, c.Layout, c.DModel, c.NLayer, c.DInner, c.DState, c.DtRank, c.DConv, c.Vocab, c.Param)
	for _, l := range r.Layers {
		al := "-"
		if l.AlignedChannels != nil {
			al = fmt.Sprintf("%d/%d", *l.AlignedChannels, l.Channels)
		}
		lo, hi := l.Eigenvalues.Real[len(l.Eigenvalues.Real)-1], l.Eigenvalues.Real[0]
		fmt.Fprintf(w, "layer %2d: mu eig +%d -%d complex %d (re in [%.3g, %.3g]); %s by %s; sym(mu) %s, skip-aligned channels %s; D +%d -%d in [%.3g, %.3g]; delta in [%.3g, %.3g]\n",
			l.Layer, l.Positive, l.Negative, l.Complex, lo, hi, l.Scenario, l.Criterion, l.Semidefinite, al,
			l.D.Positive, l.D.Negative, l.D.Min, l.D.Max, l.Delta.Min, l.Delta.Max)
	}
	if t := r.Trajectories; t != nil {
		last := len(t.ResidualNorm[0]) - 1
		for i, tok := range t.Tokens {
			fmt.Fprintf(w, "token %d (id %d): |r| %.3g -> %.3g over %d layers; mean fraction of channels where x^T mu x has D's sign %.3f\n",
				i+1, tok, t.ResidualNorm[i][0], t.ResidualNorm[i][last], last, mean(t.AlignedWithSkip[i]))
		}
	}
	fmt.Fprintf(w, "caution: %s\n", r.Symmetry)
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(max(1, len(v)))
}
