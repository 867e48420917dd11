package runner

import (
	"context"
	"io"

	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// Source supplies experiment results to a reader that does not train (it
// satisfies pkg/figures' Experiments): the stored result when its key
// holds, otherwise it runs the experiment under Root and stores it, as
// `tokendyn experiment NAME` does.
type Source struct{ Root string }

// RepoRoot is s.Root (pkg/figures' Experiments: the sidecars' provenance
// names the code and the result files under it).
func (s Source) RepoRoot() (string, error) { return s.Root, nil }

// LM is LM(ctx, s.Root, spec, …) with step as the progress hook.
func (s Source) LM(ctx context.Context, spec lm.Spec, step func(done, total int), log io.Writer) (*lm.Result, error) {
	r, _, err := LM(ctx, s.Root, spec, Hooks{OnStep: step}, log)
	return r, err
}

// Reorder is Reorder(ctx, s.Root, spec, …) with step as the progress hook.
func (s Source) Reorder(ctx context.Context, spec reorder.Spec, step func(done, total int), log io.Writer) (*reorder.Result, error) {
	r, _, err := Reorder(ctx, s.Root, spec, Hooks{OnStep: step}, log)
	return r, err
}
