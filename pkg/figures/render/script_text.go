package render

import (
	"math"
	"strings"
	"unicode"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// scriptText draws the paper's index notation in one-line labels as real
// sub- and superscripts: "x_l(t)" with a lowered small l, "P^d_lj" with a
// raised d and lowered lj, "_{k+1}" for a braced group and "^(−1/2)" for a
// parenthesized one (drawn without its parentheses: t^(−1/2) is t to the
// −1/2), groups nesting ("(T* − t)^(−β_l)"). A script is the run of letters
// and digits after '_' or '^' (or a group), modifier letters such as the ᵀ
// of S_Cᵀ excluded; a '_' or '^' followed by anything else is drawn as is,
// and so is the '_' of a code identifier (out_proj; see codeWord).
// The source text stays readable as plain text (INDEX.md, sidecars).
// gonum/plot's LaTeX handler (go-latex v0.2.0) cannot do this: it rejects
// '_', '^' and '|'.
type scriptText struct{ text.Plain }

// script is one run of a label: its text and its script levels from the
// outside in (−1 sub, +1 sup; none for the base line).
type script struct {
	s      string
	levels []int
}

// Relative size and baseline shifts (in units of the enclosing size) of
// scripts.
const scriptScale, subShift, supShift = 0.7, -0.22, 0.42

func scripts(txt string) []script { return parseScripts([]rune(txt), nil) }

// scriptToken is a piece of a label at one level: base text (level 0) or a
// script (level −1 or +1) whose text may hold further scripts when it came
// from a group; raw is the source of the piece.
type scriptToken struct {
	level     int
	text, raw string
	group     bool
}

// scriptTokens splits rs into base text and its outermost scripts.
func scriptTokens(rs []rune) []scriptToken {
	var out []scriptToken
	var base strings.Builder
	flush := func() {
		if base.Len() > 0 {
			out = append(out, scriptToken{text: base.String(), raw: base.String()})
			base.Reset()
		}
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if (r == '_' || r == '^') && i+1 < len(rs) && !(r == '_' && codeWord(rs, i)) {
			lv := -1
			if r == '^' {
				lv = 1
			}
			if open := rs[i+1]; open == '{' || open == '(' {
				if j := matching(rs, i+1); j > i+2 {
					flush()
					out = append(out, scriptToken{lv, string(rs[i+2 : j]), string(rs[i : j+1]), true})
					i = j
					continue
				}
			}
			j := i + 1
			for j < len(rs) && (unicode.IsLetter(rs[j]) && !unicode.Is(unicode.Lm, rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			if j > i+1 {
				flush()
				out = append(out, scriptToken{lv, string(rs[i+1 : j]), string(rs[i:j]), false})
				i = j - 1
				continue
			}
		}
		base.WriteRune(r)
	}
	flush()
	return out
}

func parseScripts(rs []rune, levels []int) []script {
	var out []script
	for _, tk := range scriptTokens(rs) {
		switch {
		case tk.level == 0:
			out = append(out, script{s: tk.text, levels: levels})
		case tk.group:
			out = append(out, parseScripts([]rune(tk.text), append(append([]int(nil), levels...), tk.level))...)
		default:
			out = append(out, script{s: tk.text, levels: append(append([]int(nil), levels...), tk.level)})
		}
	}
	return out
}

// codeWord reports whether the '_' at rs[i] joins a code identifier
// (out_proj, x_proj, d_model): it follows two lower-case ASCII letters or
// precedes a word of four or more, where index notation has short scripts
// (x_l, S_Δ, P^d_lj, b_dt).
func codeWord(rs []rune, i int) bool {
	lower := func(r rune) bool { return r >= 'a' && r <= 'z' }
	if i >= 2 && lower(rs[i-1]) && lower(rs[i-2]) {
		return true
	}
	n := 0
	for j := i + 1; j < len(rs) && lower(rs[j]); j++ {
		n++
	}
	return n >= 4
}

// matching is the index of the bracket closing the one at rs[at], or −1.
func matching(rs []rune, at int) int {
	open := rs[at]
	close := map[rune]rune{'{': '}', '(': ')'}[open]
	depth := 0
	for k := at; k < len(rs); k++ {
		switch rs[k] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// font is the font of the run and its baseline shift for a base font.
func (s script) font(base font.Font) (font.Font, vg.Length) {
	f := base
	var dy vg.Length
	for _, lv := range s.levels {
		if lv < 0 {
			dy += f.Size * subShift
		} else {
			dy += f.Size * supShift
		}
		f.Size *= scriptScale
	}
	return f, dy
}

// Box is the extent of the one-line label txt.
func (h scriptText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	for _, s := range scripts(txt) {
		f, dy := s.font(fnt)
		face := h.Fonts.Lookup(f, f.Size)
		e := face.Extents()
		width += face.Width(s.s)
		height = vg.Length(math.Max(float64(height), float64(e.Ascent+dy)))
		depth = vg.Length(math.Max(float64(depth), float64(e.Descent-dy)))
	}
	return width, height, depth
}

// Draw draws the one-line label txt aligned and rotated as sty says.
func (h scriptText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
		sin64, cos64 := math.Sincos(sty.Rotation)
		sin, cos := vg.Length(sin64), vg.Length(cos64)
		pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	}
	w, ht, d := h.Box(txt, sty.Font)
	x := pt.X + vg.Length(sty.XAlign)*w
	baseline := pt.Y + d + vg.Length(sty.YAlign)*(ht+d)
	for _, s := range scripts(txt) {
		f, dy := s.font(sty.Font)
		face := h.Fonts.Lookup(f, f.Size)
		c.FillString(face, vg.Point{X: x, Y: baseline + dy}, s.s)
		x += face.Width(s.s)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// labelHandler is the handler of a one-line label or panel title: scriptText when it has
// index notation, the plain handler otherwise.
func labelHandler(label string) text.Handler {
	if strings.ContainsAny(label, "_^") && !strings.Contains(label, "\n") {
		return scriptText{text.Plain{Fonts: font.DefaultCache}}
	}
	return textHandler()
}

// legendHandler is the handler of a legend: scriptText when any entry has
// index notation (it draws plain entries as the plain handler does).
func legendHandler(names []string) text.Handler {
	for _, n := range names {
		if _, ok := labelHandler(n).(scriptText); ok {
			return labelHandler(n)
		}
	}
	return textHandler()
}
