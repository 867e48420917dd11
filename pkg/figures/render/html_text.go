package render

import (
	"bytes"
	"fmt"
	"html"
	"strings"
)

// pageText puts the figure's own words around the charts of a go-echarts
// page: the stamp and the title above them, the caption and the paper
// reference below, so the HTML says what it shows without its sidecar.
// page must hold exactly one <body> and one </body> (go-echarts' page
// template); every text is HTML-escaped, index notation as <sub>/<sup>.
func pageText(page []byte, f *Figure) ([]byte, error) {
	open, end := []byte("<body>"), []byte("</body>")
	if bytes.Count(page, open) != 1 || bytes.Count(page, end) != 1 {
		return nil, fmt.Errorf("echarts page has %d <body> and %d </body>, want one each",
			bytes.Count(page, open), bytes.Count(page, end))
	}
	var head, foot bytes.Buffer
	head.WriteString("\n<style>")
	head.WriteString("body { font-family: \"Liberation Sans\", Arial, sans-serif; max-width: 1200px; margin: 1em auto; padding: 0 1em; } ")
	head.WriteString(".figure-stamp { color: #c00000; font-weight: bold; margin: 0; } ")
	head.WriteString(".figure-title { font-size: 1.3em; margin: 0.3em 0 0.6em; } ")
	head.WriteString(".figure-caption { line-height: 1.4; } .figure-ref { color: #444; }")
	head.WriteString("</style>\n<header>\n")
	if f.Stamp != "" {
		fmt.Fprintf(&head, "<p class=\"figure-stamp\">%s</p>\n", html.EscapeString(f.Stamp))
	}
	if f.Title != "" {
		fmt.Fprintf(&head, "<h1 class=\"figure-title\">%s</h1>\n", ScriptHTML(f.Title))
	}
	head.WriteString("</header>\n")
	foot.WriteString("<footer>\n")
	if f.Caption != "" {
		fmt.Fprintf(&foot, "<p class=\"figure-caption\">%s</p>\n", ScriptHTML(f.Caption))
	}
	if f.Ref != "" {
		fmt.Fprintf(&foot, "<p class=\"figure-ref\">Paper: Vo, Pham, Tong, Nguyen, "+
			"“Demystifying the Token Dynamics of Deep Selective State Space Models”, ICLR 2025 (arXiv 2410.03292), %s.</p>\n",
			html.EscapeString(f.Ref))
	}
	foot.WriteString("</footer>\n")
	i := bytes.Index(page, open) + len(open)
	j := bytes.Index(page, end)
	var out bytes.Buffer
	out.Grow(len(page) + head.Len() + foot.Len())
	out.Write(page[:i])
	out.Write(head.Bytes())
	out.Write(page[i:j])
	out.Write(foot.Bytes())
	out.Write(page[j:])
	return out.Bytes(), nil
}

// ScriptHTML writes txt's index notation (x_l, P^d_lj, t^(−1/2); see
// scriptText) as HTML <sub>/<sup>, every text escaped: the one reading of
// the notation for web pages (the figure pages, the report's gallery).
func ScriptHTML(txt string) string {
	var b strings.Builder
	for _, s := range scripts(txt) {
		for _, lv := range s.levels {
			b.WriteString(map[bool]string{true: "<sub>", false: "<sup>"}[lv < 0])
		}
		b.WriteString(html.EscapeString(s.s))
		for i := len(s.levels) - 1; i >= 0; i-- {
			b.WriteString(map[bool]string{true: "</sub>", false: "</sup>"}[s.levels[i] < 0])
		}
	}
	return b.String()
}

// Unicode's sub- and superscript forms, for text inside echarts charts
// (titles, axis names, legends), which cannot typeset scripts.
const (
	subFrom = "0123456789+−=()aehijklmnoprstuvxβ"
	subTo   = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦ"
	supFrom = "0123456789+−=()abcdefghijklmnoprstuvwxyzTβ"
	supTo   = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀᵝ"
)

// scriptUnicode writes each script of txt in Unicode sub/superscript
// characters when all of its characters have one (x_l → xₗ, P^d_lj →
// Pᵈₗⱼ, t^(−1) → t⁻¹) and keeps the source notation for the others
// (S_Δ, S_C: no subscript Δ or C exists).
func scriptUnicode(txt string) string {
	var b strings.Builder
	for _, tk := range scriptTokens([]rune(txt)) {
		if tk.level == 0 {
			b.WriteString(tk.text)
			continue
		}
		from, to := supFrom, supTo
		if tk.level < 0 {
			from, to = subFrom, subTo
		}
		if u, ok := mapRunes(tk.text, []rune(from), []rune(to)); ok {
			b.WriteString(u)
		} else {
			b.WriteString(tk.raw)
		}
	}
	return b.String()
}

func mapRunes(s string, from, to []rune) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		k := -1
		for i, f := range from {
			if f == r {
				k = i
				break
			}
		}
		if k < 0 {
			return "", false
		}
		b.WriteRune(to[k])
	}
	return b.String(), true
}
