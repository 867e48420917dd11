package render

import (
	"bytes"
	"fmt"
	"html"
)

// pageText puts the figure's own words around the charts of a go-echarts
// page: the stamp and the title above them, the caption and the paper
// reference below, so the HTML says what it shows without its sidecar.
// page must hold exactly one <body> and one </body> (go-echarts' page
// template); every text is HTML-escaped.
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
		fmt.Fprintf(&head, "<h1 class=\"figure-title\">%s</h1>\n", html.EscapeString(f.Title))
	}
	head.WriteString("</header>\n")
	foot.WriteString("<footer>\n")
	if f.Caption != "" {
		fmt.Fprintf(&foot, "<p class=\"figure-caption\">%s</p>\n", html.EscapeString(f.Caption))
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
