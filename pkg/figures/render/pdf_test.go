package render

import (
	"strings"
	"testing"
)

// The PDF beside the PNG and SVG carries the fixed dates, not the wall
// clock, so its bytes are a function of the figure.
func TestPDFIsDeterministic(t *testing.T) {
	f := &Figure{Name: "t", Title: "a figure", Panels: []Panel{{Title: "p", Series: []Series{{Name: "s", X: []float64{1, 2, 3}, Y: []float64{1, 4, 9}}}}}}
	_, _, pdf, err := StaticAll(f)
	if err != nil {
		t.Fatal(err)
	}
	s := string(pdf)
	if !strings.HasPrefix(s, "%PDF-") || strings.Count(s, "(D:") != 2 ||
		!strings.Contains(s, "/CreationDate ("+pdfEpoch+")") || !strings.Contains(s, "/ModDate ("+pdfEpoch+")") {
		t.Errorf("PDF dates not fixed: %q", pdfDate.FindAllString(s, -1))
	}
	_, _, again, err := StaticAll(f)
	if err != nil || string(again) != s {
		t.Errorf("two PDFs of one figure differ (err %v)", err)
	}
	if _, err := fixPDFDates([]byte("%PDF-1.3 /CreationDate (D:20240101000000)")); err == nil {
		t.Error("a document with one date is accepted")
	}
}

// A figure with several colour bars gives the same PDF bytes every time:
// vgpdf writes images in map order, so colour bars are painted as vector
// bands in a PDF (colorBar) and the document holds no image at all.
func TestPDFWithColourBarsIsDeterministic(t *testing.T) {
	heat := func(s float64) *Heatmap {
		return &Heatmap{Z: [][]float64{{0, s}, {2 * s, 3 * s}}, Label: "P"}
	}
	f := &Figure{Name: "h", Title: "three heat maps", Panels: []Panel{{Title: "a", Heat: heat(1)}, {Title: "b", Heat: heat(-2)}, {Title: "c", Heat: heat(5)}}}
	_, _, first, err := StaticAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(first), "/Subtype /Image") {
		t.Error("the PDF embeds an image")
	}
	for i := 0; i < 8; i++ { // map order changes between runs: eight draws catch it
		_, _, again, err := StaticAll(f)
		if err != nil || string(again) != string(first) {
			t.Fatalf("draw %d: the PDF differs from the first (err %v)", i+2, err)
		}
	}
}
