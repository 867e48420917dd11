package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Table is a renderer-independent table: written as CSV, Markdown and LaTeX
// (booktabs). Cells are strings already formatted with a fixed precision by
// the artifact (see Fixed and Sci), so every writer prints the same digits.
// A column whose cells combine several numbers ("80.83 ± 0.14",
// "+0.01 [−0.02, +0.04]") also carries them as numbers (Column.Num,
// Cell.Num): the CSV then has one numeric column per number, so a
// spreadsheet or pandas reads the mean and the sd as numbers.
type Table struct {
	Name    string // file-stem suffix: files are <artifact ID>[-<Name>].{csv,md,tex}
	Caption string
	Columns []Column
	Rows    [][]Cell
}

// Column is one column header.
type Column struct {
	Head  string // plain Unicode, used by CSV and Markdown
	TeX   string // LaTeX header; "" means Head escaped
	Right bool   // right-aligned (numbers)

	// Num, when set, are the CSV heads of the numbers behind this column's
	// cells ("test ppl mean", "test ppl sd"): the CSV writes one column per
	// head, filled from Cell.Num, instead of the cell text. A cell without
	// Num (a dash, "not available") writes empty fields there, so each CSV
	// column stays numeric. Markdown and LaTeX keep the text.
	Num []string
}

// Cell is one table entry.
type Cell struct {
	Text string // plain Unicode, used by CSV and Markdown
	TeX  string // LaTeX body; "" means Text escaped

	// Num are the numbers shown in Text, one per head of the column's Num
	// (see Column.Num), already rounded to the digits Text shows (Nums).
	// NaN writes an empty field.
	Num []float64
}

// Nums rounds each v to prec digits after the point, as Fixed prints it, so
// that a CSV number and the table text agree digit for digit.
func Nums(prec int, v ...float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			out[i] = x
			continue
		}
		out[i], _ = strconv.ParseFloat(Fixed(x, prec), 64)
	}
	return out
}

// csvNum writes a number in the shortest form that reads back the same;
// NaN and ±Inf (no value) write an empty field.
func csvNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return noNegZero(strconv.FormatFloat(v, 'g', -1, 64))
}

// C returns a cell with the same text in every format.
func C(s string) Cell { return Cell{Text: s} }

// CT returns a cell with a separate LaTeX form (math, symbols).
func CT(text, tex string) Cell { return Cell{Text: text, TeX: tex} }

// Validate checks that the table has columns and that every row has one
// cell per column.
func (t *Table) Validate() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("table %q has no columns", t.Name)
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return fmt.Errorf("table %q row %d has %d cells, want %d", t.Name, i, len(r), len(t.Columns))
		}
		for j, c := range r {
			if c.Num != nil && len(c.Num) != len(t.Columns[j].Num) {
				return fmt.Errorf("table %q row %d column %q: %d numbers, the column has %d numeric heads",
					t.Name, i, t.Columns[j].Head, len(c.Num), len(t.Columns[j].Num))
			}
		}
	}
	return nil
}

// CSV renders the table as RFC 4180 CSV (header line, then one line per row,
// CRLF-free: lines end in \n).
func (t *Table) CSV() []byte {
	var b strings.Builder
	row := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n\r") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
	}
	var head []string
	for _, c := range t.Columns {
		if c.Num != nil {
			head = append(head, c.Num...)
			continue
		}
		head = append(head, c.Head)
	}
	row(head)
	for _, r := range t.Rows {
		var cells []string
		for i, c := range r {
			heads := t.Columns[i].Num
			if heads == nil {
				cells = append(cells, c.Text)
				continue
			}
			for k := range heads {
				v := math.NaN()
				if k < len(c.Num) {
					v = c.Num[k]
				}
				cells = append(cells, csvNum(v))
			}
		}
		row(cells)
	}
	return []byte(b.String())
}

// Markdown renders a GitHub-flavoured Markdown table preceded by its caption.
func (t *Table) Markdown() []byte {
	var b strings.Builder
	if t.Caption != "" {
		fmt.Fprintf(&b, "%s\n\n", t.Caption)
	}
	// A | inside a cell is written as the entity &#124;: GitHub accepts \|,
	// but nbconvert's Markdown renderer (mistune) splits a header row at \|
	// and shifts every column after it; the entity is one cell everywhere.
	esc := func(s string) string { return strings.ReplaceAll(s, "|", "&#124;") }
	b.WriteString("|")
	for _, c := range t.Columns {
		fmt.Fprintf(&b, " %s |", esc(c.Head))
	}
	b.WriteString("\n|")
	for _, c := range t.Columns {
		if c.Right {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		b.WriteString("|")
		for _, c := range r {
			fmt.Fprintf(&b, " %s |", esc(c.Text))
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// LaTeX renders a booktabs table environment (needs \usepackage{booktabs}
// and \usepackage{graphicx}). The tabular is wrapped in a \resizebox that
// shrinks it to \linewidth when it is wider and leaves a narrow table at
// its natural size, so every table fits the page or column it is put in.
func (t *Table) LaTeX(label string) []byte {
	var b strings.Builder
	b.WriteString("% Generated by tokendyn figures; needs \\usepackage{booktabs} and \\usepackage{graphicx}.\n")
	b.WriteString("\\begin{table}[t]\n\\centering\n")
	if t.Caption != "" {
		fmt.Fprintf(&b, "\\caption{%s}\n", texEscape(t.Caption))
	}
	fmt.Fprintf(&b, "\\label{%s}\n", label)
	// graphicx evaluates \width to the natural width of the box inside
	// \resizebox's arguments: scale down only.
	b.WriteString("\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%\n")
	b.WriteString("\\begin{tabular}{")
	for _, c := range t.Columns {
		if c.Right {
			b.WriteByte('r')
		} else {
			b.WriteByte('l')
		}
	}
	b.WriteString("}\n\\toprule\n")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteString(texOr(c.TeX, c.Head))
	}
	b.WriteString(" \\\\\n\\midrule\n")
	for _, r := range t.Rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(" & ")
			}
			b.WriteString(texOr(c.TeX, c.Text))
		}
		b.WriteString(" \\\\\n")
	}
	b.WriteString("\\bottomrule\n\\end{tabular}%\n}\n\\end{table}\n")
	return []byte(b.String())
}

func texOr(tex, text string) string {
	if tex != "" {
		return tex
	}
	return texEscape(text)
}

// texEscape escapes LaTeX's special characters and spells the Unicode
// symbols used in plain text as LaTeX (math where needed), so that the
// output compiles with any engine and font encoding.
func texEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if t, ok := texRune(r); ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// texRune returns the LaTeX spelling of a character that needs escaping or
// is not plain ASCII text.
func texRune(r rune) (string, bool) {
	t, ok := texRunes[r]
	return t, ok
}

// texRunes are texRune's spellings: LaTeX's special characters, then the
// Greek letters, symbols and sub- and superscripts that tables and captions
// write in plain Unicode. It is read only.
var texRunes = map[rune]string{
	'\\': `\textbackslash{}`,
	'&':  `\&`,
	'%':  `\%`,
	'$':  `\$`,
	'#':  `\#`,
	'_':  `\_`,
	'{':  `\{`,
	'}':  `\}`,
	'~':  `\textasciitilde{}`,
	'^':  `\textasciicircum{}`,
	'|':  `\textbar{}`,
	'<':  `\textless{}`,
	'>':  `\textgreater{}`,
	'α':  `$\alpha$`,
	'β':  `$\beta$`,
	'γ':  `$\gamma$`,
	'δ':  `$\delta$`,
	'λ':  `$\lambda$`,
	'μ':  `$\mu$`,
	'σ':  `$\sigma$`,
	'τ':  `$\tau$`,
	'φ':  `$\varphi$`,
	'Δ':  `$\Delta$`,
	'Λ':  `$\Lambda$`,
	'Σ':  `$\Sigma$`,
	'≤':  `$\le$`,
	'≥':  `$\ge$`,
	'∞':  `$\infty$`,
	'√':  `$\surd$`,
	'·':  `$\cdot$`,
	'×':  `$\times$`,
	'−':  `$-$`,
	'–':  `--`,
	'—':  `---`,
	'≡':  `$\equiv$`,
	'≠':  `$\neq$`,
	'§':  `\S{}`,
	'…':  `\dots{}`,
	'₀':  `$_0$`,
	'₁':  `$_1$`,
	'₂':  `$_2$`,
	'₃':  `$_3$`,
	'₄':  `$_4$`,
	'₅':  `$_5$`,
	'₆':  `$_6$`,
	'₇':  `$_7$`,
	'₈':  `$_8$`,
	'₉':  `$_9$`,
	'→':  `$\to$`,
	'≈':  `$\approx$`,
	'ᵀ':  `$^\top$`,
	'∀':  `$\forall$`,
	'∃':  `$\exists$`,
	'±':  `$\pm$`,
	'²':  `$^2$`,
	'³':  `$^3$`,
	'‖':  `$\|$`,
	'ℓ':  `$\ell$`,
}
