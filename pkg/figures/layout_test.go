package figures

import (
	"context"
	"flag"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

var fullLayout = flag.Bool("full-layout", false, "check the full-size figures too (the experiments must be cached)")

// Every figure of the registry (quick mode; -full-layout adds full size) keeps its legends clear of the
// data in the static drawing, and reports every point it cannot show.
func TestStaticFiguresShowTheirData(t *testing.T) {
	modes := []bool{true}
	if *fullLayout {
		modes = append(modes, false)
	}
	for _, quick := range modes {
		for _, a := range All() {
			res, err := a.Build(context.Background(), testEnv(quick, a.Seed))
			if err != nil {
				t.Fatalf("%s: %v", a.ID, err)
			}
			for fi := range res.Figures {
				f := &res.Figures[fi]
				lay, err := render.StaticLayout(f)
				if err != nil {
					t.Fatalf("%s: %v", a.ID, err)
				}
				for _, l := range lay {
					if l.Covered > 0 {
						t.Errorf("%s %q panel %d: the legend covers %d drawn points", a.ID, f.Name, l.Panel, l.Covered)
					}
				}
				for pi := range f.Panels {
					out, raised := f.Panels[pi].Unseen()
					if (out > 0) && !f.Panels[pi].Cut || raised > 0 {
						t.Errorf("%s %q panel %d: %d points outside a fixed range (Cut %v), %d raised on a log axis", a.ID, f.Name, pi, out, f.Panels[pi].Cut, raised)
					}
				}
			}
		}
	}
}
