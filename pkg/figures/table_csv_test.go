package figures

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/pkg/figures/render"
)

// textNumbers are the numbers written in a cell's text, read back
// independently of Cell.Num: "80.83 ± 0.14" → 80.83, 0.14;
// "+0.01 [−0.02, +0.04]" → 0.01, −0.02, 0.04; "0.5 (1/L = 0.25)" → 0.5, 0.25.
func textNumbers(s string) []float64 {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "1/L", ""), "−", "-")
	var out []float64
	for _, m := range regexp.MustCompile(`[-+]?[0-9]+(\.[0-9]+)?`).FindAllString(s, -1) {
		v, _ := strconv.ParseFloat(m, 64)
		out = append(out, v)
	}
	return out
}

// checkNumericCSV asserts that every column of tab with numeric heads is
// numeric in the CSV (each field empty or a number), that the CSV has one
// field per head, and that the numbers are those printed in the cell text.
func checkNumericCSV(t *testing.T, tab render.Table) {
	t.Helper()
	if err := tab.Validate(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(tab.CSV())).ReadAll()
	if err != nil {
		t.Fatalf("table %q: CSV does not parse: %v", tab.Name, err)
	}
	if len(recs) != len(tab.Rows)+1 {
		t.Fatalf("table %q: %d CSV records for %d rows", tab.Name, len(recs), len(tab.Rows))
	}
	numeric := 0
	for r, row := range tab.Rows {
		f := 0
		for j, c := range row {
			col := tab.Columns[j]
			if col.Num == nil {
				f++
				continue
			}
			numeric++
			fields := recs[r+1][f : f+len(col.Num)]
			if got := recs[0][f : f+len(col.Num)]; strings.Join(got, "|") != strings.Join(col.Num, "|") {
				t.Errorf("table %q: heads %q, want %q", tab.Name, got, col.Num)
			}
			f += len(col.Num)
			if c.Num == nil {
				for _, x := range fields {
					if x != "" {
						t.Errorf("table %q row %d %q: text %q without numbers writes %q", tab.Name, r, col.Head, c.Text, x)
					}
				}
				continue
			}
			want := textNumbers(c.Text)
			if len(want) != len(fields) {
				t.Errorf("table %q row %d %q: text %q shows %d numbers, CSV has %d", tab.Name, r, col.Head, c.Text, len(want), len(fields))
				continue
			}
			for k, x := range fields {
				v, err := strconv.ParseFloat(x, 64)
				if err != nil || v != want[k] {
					t.Errorf("table %q row %d %q field %d: CSV %q, text %q says %v", tab.Name, r, col.Head, k, x, c.Text, want[k])
				}
			}
		}
		if f != len(recs[r+1]) {
			t.Errorf("table %q row %d: %d CSV fields, want %d", tab.Name, r, len(recs[r+1]), f)
		}
	}
	if numeric == 0 {
		t.Errorf("table %q has no numeric columns", tab.Name)
	}
}

// The reordering table's mean ± sd and CI cells are separate numeric CSV
// columns equal to the printed numbers, and its LaTeX fits the page.
func TestReorderTableCSVNumeric(t *testing.T) {
	res, err := reorderTable(reorderTestResult(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range res.Tables {
		checkNumericCSV(t, tab)
		checkLaTeX(t, tab)
	}
}

// checkLaTeX asserts that the table's LaTeX fits the page (the tabular sits
// in a scale-down-only \resizebox to \linewidth), is plain ASCII (every
// symbol spelled as a LaTeX command, so any engine compiles it), and that
// every line has balanced braces and an even number of unescaped $, so that
// math cells open and close on their line.
func checkLaTeX(t *testing.T, tab render.Table) {
	t.Helper()
	tex := string(tab.LaTeX("tab:x"))
	if !strings.Contains(tex, "\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%\n\\begin{tabular}") ||
		!strings.Contains(tex, "\\end{tabular}%\n}\n\\end{table}") {
		t.Errorf("table %q: tabular not wrapped to \\linewidth:\n%s", tab.Name, tex)
	}
	for i, line := range strings.Split(tex, "\n") {
		for _, r := range line {
			if r > 0x7e {
				t.Errorf("table %q line %d has the non-ASCII %q: %s", tab.Name, i, r, line)
				break
			}
		}
		plain := strings.NewReplacer(`\$`, "", `\{`, "", `\}`, "", `\%`, "").Replace(line)
		if strings.Count(plain, "$")%2 != 0 {
			t.Errorf("table %q line %d has an unclosed $: %s", tab.Name, i, line)
		}
		if depth := strings.Count(plain, "{") - strings.Count(plain, "}"); depth != 0 && !strings.HasPrefix(line, "\\resizebox") && line != "}" {
			t.Errorf("table %q line %d has unbalanced braces: %s", tab.Name, i, line)
		}
	}
}
