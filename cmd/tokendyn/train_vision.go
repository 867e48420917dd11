package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tokendyn/tokendyn/data/vision"
	"github.com/tokendyn/tokendyn/internal/atomicfile"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
	"github.com/tokendyn/tokendyn/pkg/experiment/runner"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// runTrainVision implements the image-classification experiment of
// refinement 2 (docs/paper.md §5.2, §6.2), pkg/experiment/reorder: a
// small Mamba classifier on Fashion-MNIST patch tokens trained in paired
// arms (baseline, reordering at the authors' τ = 1, a hard straight-through
// SoftSort that is not the authors'), for several seeds and sequence lengths, as the
// scaled-down proxy of the authors' MambaVision-T / ImageNet-1K runs. It
// writes reorder-result.json (everything) and reorder-epochs.csv (one line
// per run and epoch) to --out and prints the summary and the verdicts. With
// --cache (default) a result cached under .cache/experiments/ with the same
// key (specification, data, numerics) is reused, and a fresh one is stored
// there, so `make figures` reuses it.
func runTrainVision(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("train vision", stderr, trainVisionHelp)
	def := reorder.Default()
	quick := fs.Bool("quick", false, "start from reorder.Quick (seconds: 400 training and 200 test images, 49 tokens, 2 epochs, seeds 1,2); other flags given explicitly still apply")
	seeds := fs.String("seeds", joinSeeds(def.Seeds), "comma-separated `SEEDS` (at least 2), one run per arm, length and seed")
	patches := fs.String("patches", "4,2", "comma-separated patch `SIZES` (4: 49 tokens, 2: 196 tokens)")
	epochs := fs.Int("epochs", def.Epochs, "training epochs")
	trainSize := fs.Int("train-size", def.TrainSize, "training images drawn class-stratified from the 60 000 (0 = all)")
	testSize := fs.Int("test-size", def.TestSize, "test images drawn class-stratified from the 10 000 (0 = all)")
	threads := fs.Int("threads", 0, "runs trained at once (0 = GOMAXPROCS); does not change any result")
	reorderZ := fs.Bool("reorder-z", def.ReorderZ, "also reorder the gate branch z (the authors do not)")
	inverse := fs.Bool("inverse-permute", def.InversePermute, "apply P̂ᵀ after the scan to restore the token order (the authors do not)")
	singleBias := fs.Bool("single-dt-bias", def.SingleDtBias, "add dt_proj.bias once (the authors' code adds it twice)")
	groups := fs.String("decay-groups", def.DecayGroups, "weight-decay `GROUPS`: "+model.DecayTimm+" (the authors' timm optimizer: every parameter of at most one dimension exempt), "+model.DecayAll+" (every parameter) or "+model.DecayMamba+" (A_log, D, biases and norms exempt)")
	validation := fs.Bool("validation", false, "evaluate on --test-size images held out of the training images, never on test images (a pilot's setting)")
	mambaInit := fs.Bool("mamba-init", false, "Mamba's LM initialisation instead of MambaVision's (not the authors')")
	lr := fs.Float64("lr", def.LR, "peak learning rate")
	batch := fs.Int("batch", def.Batch, "mini-batch size")
	dModel := fs.Int("d-model", def.DModel, "model width d_model")
	layers := fs.Int("layers", def.NLayer, "number of Mamba blocks")
	dataDir := fs.String("data", "", "`DIR` with the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)")
	out := fs.String("out", filepath.Join("build", "train-vision"), "output `DIR`")
	useCache := fs.Bool("cache", true, "reuse / store the result under .cache/experiments/ of the module")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tokendyn train vision: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	spec, err := visionSpec(fs, visionFlags{quick: *quick, seeds: *seeds, patches: *patches, epochs: *epochs, batch: *batch,
		dModel: *dModel, layers: *layers, trainSize: *trainSize, testSize: *testSize, lr: *lr, groups: *groups,
		validation: *validation, mambaInit: *mambaInit, reorderZ: *reorderZ, inverse: *inverse, singleBias: *singleBias,
		threads: *threads, dataDir: *dataDir})
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn train vision: %v\n", err)
		return 2
	}

	inDir := spec.DataDir
	if inDir == "" {
		inDir = vision.DefaultFashionMNISTDir
	}
	inputs := filesIn(inDir)
	if err := checkOutputs([]string{filepath.Join(*out, "reorder-result.json"), filepath.Join(*out, "reorder-epochs.csv")}, inputs); err != nil {
		fmt.Fprintf(stderr, "tokendyn train vision: %s\n", errorLine(err))
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, cached, err := trainVision(ctx, spec, *useCache, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn train vision: %s\n", oneLine(err.Error()))
		return 1
	}
	if err := writeVisionOutputs(*out, res, inputs); err != nil {
		fmt.Fprintf(stderr, "tokendyn train vision: %s\n", errorLine(err))
		return 1
	}
	printVisionSummary(stdout, res, cached)
	fmt.Fprintf(stderr, "tokendyn train vision: wrote %s and %s\n",
		filepath.Join(*out, "reorder-result.json"), filepath.Join(*out, "reorder-epochs.csv"))
	return 0
}

// visionFlags are the values of train vision's specification flags.
type visionFlags struct {
	quick                                                bool
	seeds, patches, groups, dataDir                      string
	epochs, batch, dModel, layers, trainSize, testSize   int
	threads                                              int
	lr                                                   float64
	validation, mambaInit, reorderZ, inverse, singleBias bool
}

// visionSpec is the specification the flags ask for: reorder.Default (or
// Quick with --quick) with every flag given explicitly applied. One that
// differs from its base is a "variant", decided by no pre-registration.
func visionSpec(fs *flag.FlagSet, v visionFlags) (reorder.Spec, error) {
	def := reorder.Default()
	spec := def
	if v.quick {
		spec = reorder.Quick()
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["seeds"] {
		ss, err := parseSeeds(v.seeds)
		if err != nil {
			return spec, fmt.Errorf("--seeds: %w", err)
		}
		spec.Seeds = ss
	}
	if set["patches"] {
		ps, err := parseSeeds(v.patches)
		if err != nil {
			return spec, fmt.Errorf("--patches: %w", err)
		}
		spec.Patches = nil
		for _, p := range ps {
			spec.Patches = append(spec.Patches, int(min(p, 1<<20)))
		}
	}
	for _, f := range []struct {
		name string
		v    int
		dst  *int
	}{
		{"epochs", v.epochs, &spec.Epochs}, {"batch", v.batch, &spec.Batch}, {"d-model", v.dModel, &spec.DModel},
		{"layers", v.layers, &spec.NLayer}, {"train-size", v.trainSize, &spec.TrainSize}, {"test-size", v.testSize, &spec.TestSize},
	} {
		if set[f.name] {
			*f.dst = f.v
		}
	}
	if set["lr"] {
		spec.LR = v.lr
	}
	if set["decay-groups"] {
		spec.DecayGroups = v.groups
	}
	spec.Validation = spec.Validation || v.validation
	if v.mambaInit {
		spec.Init = model.InitMamba
	}
	spec.ReorderZ, spec.InversePermute, spec.SingleDtBias = v.reorderZ, v.inverse, v.singleBias
	if base := map[bool]reorder.Spec{false: def, true: reorder.Quick()}[v.quick]; !reflect.DeepEqual(spec, base) {
		// A variant is no pre-registered design: its verdicts are the
		// older rule's (experiment.Rule), and it is named so.
		spec.Name, spec.Prereg = "variant", ""
	}
	spec.Threads, spec.DataDir = v.threads, v.dataDir
	return spec, spec.Validate()
}

// trainVision runs spec with a progress bar on stderr: through the
// experiment cache of the module (runner.Reorder) when useCache and the
// working directory is inside it, else without a cache.
func trainVision(ctx context.Context, spec reorder.Spec, useCache bool, stderr io.Writer) (*reorder.Result, bool, error) {
	hooks, finish := progressHooks("train vision")
	defer finish()
	root, rootErr := checkoutRoot()
	if useCache && rootErr == nil {
		return runner.Reorder(ctx, root, spec, hooks, stderr)
	}
	if useCache {
		fmt.Fprintf(stderr, "tokendyn train vision: not inside the module (%v): running without the cache\n", rootErr)
	}
	data, err := reorder.LoadData(spec)
	if err != nil {
		return nil, false, err
	}
	res, err := runner.RunReorder(ctx, spec, data, hooks)
	return res, false, err
}

// joinSeeds formats seeds as "1,2,3".
func joinSeeds(ss []uint64) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = strconv.FormatUint(s, 10)
	}
	return strings.Join(parts, ",")
}

// parseSeeds parses "1,2,3" into distinct seeds.
func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a non-negative integer", f)
		}
		if slices.Contains(out, v) {
			// Two runs of one seed are the same run: counted twice, they
			// would bias every mean and interval.
			return nil, fmt.Errorf("seed %d is given twice", v)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no seeds in %q", s)
	}
	return out, nil
}

// writeVisionOutputs writes the result as JSON and the per-epoch metrics as
// CSV, atomically.
func writeVisionOutputs(dir string, r *reorder.Result, inputs []string) error {
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("train vision: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("train vision: %w", err)
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, "reorder-result.json"), append(b, '\n'), atomicfile.NotOver(inputs...)); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "reorder-epochs.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"tokens", "arm", "seed", "epoch", "step", "lr", "train_loss", "test_loss", "test_acc_pct", "row_max"})
		g := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
		for _, run := range r.Runs {
			for _, e := range run.Epochs {
				_ = cw.Write([]string{strconv.Itoa(run.L), run.Arm, strconv.FormatUint(run.Seed, 10), strconv.Itoa(e.Epoch), strconv.Itoa(e.Step),
					g(e.LR), g(e.TrainLoss), g(e.TestLoss), g(100 * e.TestAcc), g(e.RowMax)})
			}
		}
		cw.Flush()
		return cw.Error()
	}, atomicfile.NotOver(inputs...))
}

// printVisionSummary prints one line per (length, arm) and the verdicts.
func printVisionSummary(w io.Writer, r *reorder.Result, cached bool) {
	c := r.Spec
	src := "trained now"
	if cached {
		src = "cached result"
	}
	fmt.Fprintf(w, "Fashion-MNIST proxy of MambaVision-T / ImageNet-1K (%s): %d of %d training images, %d of %d test images, %d epochs of batch %d\n",
		src, r.TrainImages, r.FullTrain, r.TestImages, r.FullTest, c.Epochs, c.Batch)
	fmt.Fprintf(w, "quirks: reorder z %v, inverse permutation %v, dt bias added %s; init %s; weight decay groups %s; wall time %.0f s (%d threads)\n",
		c.ReorderZ, c.InversePermute, map[bool]string{false: "twice", true: "once"}[c.SingleDtBias], c.Init, c.DecayGroups, r.Seconds, r.Threads)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TOKENS\tARM\tSEEDS\tPARAMS\tTEST ACC % (mean ± sd)\tACC % AVERAGED OVER EPOCHS\tΔ ACC vs baseline, pp [95% CI]\tFINAL ROW MAX")
	for _, ps := range r.Summary().Patches {
		for i, a := range ps.Arms {
			d, rm := "—", "—"
			if i > 0 && i-1 < len(ps.Compare) {
				f := ps.Compare[i-1].Final
				d = fmt.Sprintf("%+.2f [%+.2f, %+.2f]", 100*f.Mean, 100*f.Lo, 100*f.Hi)
				rm = fmt.Sprintf("%.3f", a.RowMax[len(a.RowMax)-1])
			}
			fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%.2f ± %.2f\t%.2f ± %.2f\t%s\t%s\n", ps.L, a.Arm.Name, a.Runs, a.Params,
				100*a.TestAcc.Mean, 100*a.TestAcc.SD, 100*a.MeanAcc.Mean, 100*a.MeanAcc.SD, d, rm)
		}
	}
	for _, l := range r.Linear {
		fmt.Fprintf(tw, "%d\tlinear reference (seed %d)\t1\t%d\t%.2f\t—\t—\t—\n", (28/l.Patch)*(28/l.Patch), l.Seed,
			(784+1)*10, 100*l.TestAcc)
	}
	tw.Flush()
	if c.Validation {
		fmt.Fprintln(w, "(evaluated on images held out of the training images: \"test\" above means validation)")
	}
	for _, v := range r.Verdict() {
		fmt.Fprintf(w, "%s: %s — %s\n", strings.ToUpper(v.Outcome), v.Claim, v.Evidence)
	}
}

// trainVisionHelp is the text of `tokendyn train vision -h` above the flags.
const trainVisionHelp = `Usage: tokendyn train vision [flags]

Trains a small Mamba classifier on Fashion-MNIST patch tokens (4×4 patches: 49 tokens; 2×2: 196)
in paired arms: without reordering, reordering at τ = 1 (the authors'), hard straight-through
reordering (a permutation; not the authors'), for several seeds, and prints the verdicts (pkg/experiment/reorder): a scaled-down
proxy of the paper's MambaVision-T / ImageNet-1K runs (whose numbers are not available to us).
Defaults are the authors' mixer quirks: z not reordered, no inverse permutation, dt bias twice.`
