package train

import (
	"math/rand/v2"

	"github.com/tokendyn/tokendyn/pkg/mamba"
	"github.com/tokendyn/tokendyn/pkg/model"
)

// Model is what the trainer needs from a language model: its trainable
// tensors and a loss that accumulates gradients.
//
// Loss runs the model on tokens, a (batch, L+1) row-major array of token ids:
// row b predicts tokens[b, 1..L] from tokens[b, 0..L-1]. It returns the mean
// negative log-likelihood per predicted token (nats, averaged over batch·L
// predictions). When train is true it ADDS d(mean NLL)/dW to every Param.G
// (it never zeroes them) and draws its dropout masks from rng; when train is
// false it must not touch G and must not use rng (evaluation).
// *model.LM satisfies it; the tests use a small softmax-regression model.
type Model[T mamba.Float] interface {
	Params() []*model.Param[T]
	Loss(tokens []int32, batch int, train bool, rng *rand.Rand) (float64, error)
}

// CountParams returns the number of scalar weights of ps (tied tensors that
// appear once in the list count once).
func CountParams[T mamba.Float](ps []*model.Param[T]) int {
	n := 0
	for _, p := range ps {
		n += len(p.W)
	}
	return n
}
