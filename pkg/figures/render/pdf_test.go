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
