package render

import (
	"math"
	"strconv"
	"strings"
)

// Fixed formats v with prec digits after the point ("-0.00" becomes
// "0.00"), the one way numbers go into tables.
func Fixed(v float64, prec int) string {
	return noNegZero(strconv.FormatFloat(v, 'f', prec, 64))
}

// Sci formats v in scientific notation with prec digits after the point.
func Sci(v float64, prec int) string {
	return noNegZero(strconv.FormatFloat(v, 'e', prec, 64))
}

func noNegZero(s string) string {
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.e+-") == "" {
		return s[1:]
	}
	return s
}

// roundSig rounds v to sig significant digits, so that data written to
// HTML/JSON has a fixed precision whatever the last bits of the computation.
func RoundSig(v float64, sig int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', sig, 64), 64)
	return r
}

// htmlDigits is the number of significant digits of data in HTML charts.
const htmlDigits = 6

// signed formats v like %g with a typographic minus sign, for titles.
func Signed(v float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(v, 'g', -1, 64), "-", "−")
}

// short formats v compactly for titles: 1e8 rather than 1e+08, 0.25, 1000.
func Short(v float64) string {
	s := strconv.FormatFloat(v, 'g', 4, 64)
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		exp = strings.TrimPrefix(exp, "+")
		neg := strings.HasPrefix(exp, "-")
		exp = strings.TrimLeft(strings.TrimPrefix(exp, "-"), "0")
		if neg {
			exp = "−" + exp
		}
		s = mant + "e" + exp
	}
	return strings.ReplaceAll(s, "-", "−")
}
