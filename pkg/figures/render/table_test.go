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
