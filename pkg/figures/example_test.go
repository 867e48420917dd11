package figures_test

import (
	"context"
	"fmt"
	"os"

	"github.com/tokendyn/tokendyn/pkg/figures"
	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// An experiment adds an artifact by writing a constructor like this one and
// listing it in figures.All; here it is built on its own registry.
func Example_addAnArtifact() {
	proxy := figures.Artifact{
		ID:       "tab-demo-scaled",
		Kind:     figures.KindTable,
		Title:    "A scaled-down proxy table",
		PaperRef: "WikiText-103 table (values UNCONFIRMED)",
		Notebook: "notebooks/07-refinement-convergent-scenario.ipynb",
		Scale:    "scaled-down proxy of the WikiText-103 experiment",
		Seed:     7,
		Build: func(ctx context.Context, env figures.Env) (*figures.Result, error) {
			ppl := map[string]float64{"neg": 412.25, "pos": 388.5} // would come from pkg/train
			return &figures.Result{
				Params:  struct{ Steps int }{Steps: 100},
				Caption: "validation perplexity by parametrization",
				Tables: []render.Table{{
					Columns: []render.Column{{Head: "S_Cᵀ S_B"}, {Head: "perplexity", Right: true}},
					Rows: [][]render.Cell{
						{render.C("negative"), render.C(render.Fixed(ppl["neg"], 1))},
						{render.C("positive"), render.C(render.Fixed(ppl["pos"], 1))},
					},
				}},
			}, nil
		},
	}
	dir, err := os.MkdirTemp("", "figures-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	rep, err := figures.Build(context.Background(), figures.Options{OutDir: dir, Registry: []figures.Artifact{proxy}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range rep.Files {
		fmt.Println(f)
	}
	csv, _ := os.ReadFile(dir + "/tab-demo-scaled.csv")
	fmt.Print(string(csv))
	// Output:
	// tab-demo-scaled.csv
	// tab-demo-scaled.md
	// tab-demo-scaled.tex
	// tab-demo-scaled.json
	// INDEX.md
	// S_Cᵀ S_B,perplexity
	// negative,412.2
	// positive,388.5
}

func ExampleSelect() {
	sel, err := figures.Select(figures.All(), []string{"fig6-2d", "tab1-dynamics"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range sel {
		fmt.Println(a.ID, "->", a.Notebook)
	}
	_, err = figures.Select(figures.All(), []string{"fig-7"})
	fmt.Println(err != nil)
	// Output:
	// tab1-dynamics -> notebooks/04-divergence.ipynb
	// fig6-2d -> notebooks/05-higher-dimensions.ipynb
	// true
}

func ExampleFixed() {
	fmt.Println(render.Fixed(-0.0004, 3), render.Fixed(2.5, 2), render.Sci(12345, 2))
	// Output: 0.000 2.50 1.23e+04
}
