package runner

import (
	"hash/fnv"

	"github.com/tokendyn/tokendyn/pkg/experiment/lm"
	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// Pick is the index in [0, n) that a check seeded by s retrains: the
// FNV-1a hash of s modulo n (s is, in CI, the commit). Both experiments'
// replays pick through it, so one commit string picks a run of each. n
// must be positive.
func Pick(s string, n int) int {
	if n < 1 {
		panic("runner: Pick among no jobs")
	}
	h := fnv.New64a()
	h.Write([]byte(s))
	return int(h.Sum64() % uint64(n))
}

// PickJob is the job of the LM spec (in Jobs' order) that a check seeded
// by s retrains: Pick(s, len(spec.Jobs())).
func PickJob(spec lm.Spec, s string) int { return Pick(s, len(spec.Jobs())) }

// PickReorderJob is the job of the reordering spec (in Jobs' order, the
// order of Result.Runs) that a check seeded by s retrains:
// Pick(s, len(spec.Jobs())).
func PickReorderJob(spec reorder.Spec, s string) int { return Pick(s, len(spec.Jobs())) }
