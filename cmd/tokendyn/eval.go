package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/train"
)

const evalHelp = `Usage: tokendyn eval --model DIR --text FILE [--window L] [--json]

Evaluates a checkpoint written by tokendyn train on a text: the text is encoded with the
checkpoint's byte vocabulary and cut into consecutive windows of L+1 tokens that share one
token (every token but the first is predicted once; the last window may be shorter; a window
at least as long as the text is one sequence, len-1 predictions). Prints the number of
predicted tokens, the mean NLL (nats per predicted token), the perplexity exp(NLL) and bits per
byte NLL/ln 2. The model runs in float64.`

// runEval implements `tokendyn eval`.
func runEval(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("eval", stderr, evalHelp)
	dir := fs.String("model", "", "checkpoint `DIR` written by tokendyn train")
	textPath := fs.String("text", "", "text `FILE` to evaluate")
	window := fs.Int("window", 0, "window length L in tokens (0: the checkpoint's training seq_len)")
	asJSON := fs.Bool("json", false, "print one JSON object {tokens, nll, perplexity, bits_per_byte}")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if *dir == "" || *textPath == "" || fs.NArg() > 0 || *window < 0 {
		fmt.Fprintln(stderr, "tokendyn eval: --model DIR and --text FILE are required, --window must be >= 0, no other arguments")
		fs.Usage()
		return 2
	}
	ev, err := evalText(*dir, *textPath, *window)
	if err != nil {
		fmt.Fprintf(stderr, "tokendyn eval: %v\n", err)
		return 1
	}
	if *asJSON {
		b, _ := json.Marshal(struct {
			Tokens      int64   `json:"tokens"`
			NLL         float64 `json:"nll"`
			Perplexity  float64 `json:"perplexity"`
			BitsPerByte float64 `json:"bits_per_byte"`
		}{ev.Tokens, ev.NLL, ev.Perplexity, ev.BitsPerByte})
		fmt.Fprintln(stdout, string(b))
		return 0
	}
	fmt.Fprintf(stdout, "tokens %d  nll %.6f  perplexity %.6f  bits_per_byte %.6f\n", ev.Tokens, ev.NLL, ev.Perplexity, ev.BitsPerByte)
	return 0
}

// evalText computes the mean next-token NLL of the text at path.
func evalText(dir, path string, window int) (lmrun.Eval, error) {
	ck, err := checkpoint.Open(dir)
	if err != nil {
		return lmrun.Eval{}, err
	}
	defer ck.Close()
	if ck.Config.Layout != checkpoint.Tokendyn {
		return lmrun.Eval{}, fmt.Errorf("%s: a %s checkpoint: eval reads checkpoints written by tokendyn train (byte vocabularies)", dir, ck.Config.Layout)
	}
	vocab, err := ck.Config.ByteVocab()
	if err != nil {
		return lmrun.Eval{}, fmt.Errorf("%s: %w", dir, err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return lmrun.Eval{}, err
	}
	if len(raw) < 2 {
		return lmrun.Eval{}, fmt.Errorf("%s: %d bytes: need at least 2 for one next-token prediction", path, len(raw))
	}
	ids, err := vocab.Encode(raw)
	if err != nil {
		return lmrun.Eval{}, fmt.Errorf("%s: %w", path, err)
	}
	if window == 0 {
		rc, err := train.ConfigFromCheckpoint(dir)
		if err != nil {
			return lmrun.Eval{}, err
		}
		window = rc.Data.SeqLen
	}
	m, err := ck.LoadLM()
	if err != nil {
		return lmrun.Eval{}, err
	}
	var sum float64
	var n int64
	seq := make([]int32, 0, min(window, len(ids)-1)+1)
	for start := 0; start+1 < len(ids); start += window {
		end := min(start+window+1, len(ids))
		seq = seq[:0]
		for _, id := range ids[start:end] {
			seq = append(seq, int32(id))
		}
		loss, err := m.Loss(seq, 1, false, nil)
		if err != nil {
			return lmrun.Eval{}, fmt.Errorf("%s: %w", dir, err)
		}
		sum += loss * float64(end-start-1)
		n += int64(end - start - 1)
	}
	return lmrun.NewEval(sum/float64(n), n), nil
}
