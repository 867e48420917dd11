package train

import (
	"math"

	"github.com/tokendyn/tokendyn/pkg/lmrun"
	"github.com/tokendyn/tokendyn/pkg/optim"
)

// Schedule returns the cosine schedule the options o describe.
func Schedule(o lmrun.Options) optim.Cosine {
	return optim.Cosine{
		Peak: o.LR, Min: o.MinLRRatio * o.LR, WarmupInit: o.WarmupInit,
		Warmup: int(math.Round(o.WarmupFrac * float64(o.Steps))), Total: o.Steps,
	}
}
