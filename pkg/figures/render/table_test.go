package render

import (
	"html"
	"strings"
	"testing"
)

// A | in a header or a cell never becomes a column separator: every line
// of the table has exactly one | per column boundary, and unescaping the
// entities gives the text back.
func TestMarkdownKeepsPipesInsideCells(t *testing.T) {
	tab := &Table{Columns: []Column{{Head: "mean |rel. err.|", Right: true}, {Head: "G = |x|"}},
		Rows: [][]Cell{{C("1|2"), C("|x_1|")}, {C("plain"), C("")}}}
	lines := strings.Split(strings.TrimRight(string(tab.Markdown()), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	want := [][]string{{"mean |rel. err.|", "G = |x|"}, nil, {"1|2", "|x_1|"}, {"plain", ""}}
	for i, line := range lines {
		if n := strings.Count(line, "|"); n != len(tab.Columns)+1 {
			t.Errorf("line %d %q has %d separators, want %d", i, line, n, len(tab.Columns)+1)
		}
		if want[i] == nil {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for j, c := range cells {
			if got := html.UnescapeString(strings.TrimSpace(c)); got != want[i][j] {
				t.Errorf("line %d cell %d = %q, want %q", i, j, got, want[i][j])
			}
		}
	}
}

// A column with numeric heads becomes one CSV column per head, filled from
// Cell.Num rounded as the text shows it; a cell without numbers leaves the
// fields empty; Markdown and LaTeX keep the text; a count mismatch is an
// error.
func TestCSVNumericColumns(t *testing.T) {
	tab := &Table{Columns: []Column{{Head: "arm"}, {Head: "ppl", Num: []string{"ppl mean", "ppl sd"}}},
		Rows: [][]Cell{
			{C("neg"), {Text: "80.83 ± 0.14", TeX: `$80.83 \pm 0.14$`, Num: Nums(2, 80.8349, 0.1351)}},
			{C("paper"), C("—")},
			{C("zero"), {Text: "0.00 ± 0.00", Num: Nums(2, -0.0001, 0)}},
		}}
	if err := tab.Validate(); err != nil {
		t.Fatal(err)
	}
	want := "arm,ppl mean,ppl sd\nneg,80.83,0.14\npaper,,\nzero,0,0\n"
	if got := string(tab.CSV()); got != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, want)
	}
	if md := string(tab.Markdown()); !strings.Contains(md, "80.83 ± 0.14") {
		t.Errorf("Markdown lost the text:\n%s", md)
	}
	if tex := string(tab.LaTeX("t")); !strings.Contains(tex, `$80.83 \pm 0.14$`) {
		t.Errorf("LaTeX lost the math:\n%s", tex)
	}
	tab.Rows[0][1].Num = []float64{1}
	if err := tab.Validate(); err == nil {
		t.Error("one number for two numeric heads was accepted")
	}
}
