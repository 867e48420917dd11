package runner

import (
	"testing"

	"github.com/tokendyn/tokendyn/pkg/experiment/reorder"
)

// Pick is FNV-1a of the string modulo n, so the LM run a commit picks is
// the one it picked before the reordering replay shared the picker.
func TestPick(t *testing.T) {
	// FNV-1a 64 of "tokendyn", computed independently.
	const h = uint64(0xcbf29ce484222325)
	want := h
	for _, c := range []byte("tokendyn") {
		want ^= uint64(c)
		want *= 0x100000001b3
	}
	for _, n := range []int{1, 7, 30, 64} {
		if got := Pick("tokendyn", n); got != int(want%uint64(n)) {
			t.Errorf("Pick(tokendyn, %d) = %d, want %d", n, got, want%uint64(n))
		}
	}
	if spec := reorder.Default(); PickReorderJob(spec, "abc") != Pick("abc", 30) {
		t.Error("PickReorderJob is not Pick over the 30 runs of reorder.Default")
	}
}
