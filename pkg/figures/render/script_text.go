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
// raised d and lowered lj, "_{k+1}" for a braced group. A script is the
// run of letters and digits after '_' or '^' (or a braced group), modifier
// letters such as the ᵀ of S_Cᵀ excluded; a '_' or
// '^' followed by anything else is drawn as is. gonum/plot's LaTeX handler
// (go-latex v0.2.0) cannot do this: it rejects '_', '^' and '|'.
type scriptText struct{ text.Plain }

// script is one run of a label: its text and level (−1 sub, 0 base, +1 sup).
type script struct {
	s     string
	level int
}

// Relative size and baseline shifts (in units of the base size) of scripts.
const scriptScale, subShift, supShift = 0.7, -0.22, 0.42

func scripts(txt string) []script {
	var out []script
	var base strings.Builder
	flush := func() {
		if base.Len() > 0 {
			out = append(out, script{s: base.String()})
			base.Reset()
		}
	}
	rs := []rune(txt)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if (r == '_' || r == '^') && i+1 < len(rs) {
			level := -1
			if r == '^' {
				level = 1
			}
			if rs[i+1] == '{' {
				if j := indexRune(rs, '}', i+2); j > i+2 {
					flush()
					out = append(out, script{string(rs[i+2 : j]), level})
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
				out = append(out, script{string(rs[i+1 : j]), level})
				i = j - 1
				continue
			}
		}
		base.WriteRune(r)
	}
	flush()
	return out
}

func indexRune(rs []rune, r rune, from int) int {
	for k := from; k < len(rs); k++ {
		if rs[k] == r {
			return k
		}
	}
	return -1
}

func (s script) font(base font.Font) (font.Font, vg.Length) {
	f := base
	switch s.level {
	case -1:
		f.Size = base.Size * scriptScale
		return f, base.Size * subShift
	case 1:
		f.Size = base.Size * scriptScale
		return f, base.Size * supShift
	}
	return f, 0
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
