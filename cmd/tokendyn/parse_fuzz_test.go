package main

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseTokens (--x0): any string is refused with one line or gives one
// finite number per comma-separated field, which the independent reference
// strconv.ParseFloat of each trimmed field agrees with bit for bit, and which
// re-formatted with 'g' -1 parses back to the same values.
//
//	go test ./cmd/tokendyn -run '^$' -fuzz FuzzParseTokens -fuzztime 30s
func FuzzParseTokens(f *testing.F) {
	for _, s := range []string{"0.5,-0.3,0.4", "1e308,-1e-320", " 1 , 2 ", "", ",", "NaN", "inf", "0x1p-3", "1_000", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := parseTokens(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		fields := strings.Split(s, ",")
		if len(x) != len(fields) {
			t.Fatalf("%q: %d tokens from %d fields", s, len(x), len(fields))
		}
		parts := make([]string, len(x))
		for i, v := range x {
			ref, err := strconv.ParseFloat(strings.TrimSpace(fields[i]), 64)
			if err != nil || math.Float64bits(ref) != math.Float64bits(v) || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q: token %d = %v, reference %v (%v)", s, i, v, ref, err)
			}
			parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		back, err := parseTokens(strings.Join(parts, ","))
		if err != nil || !slices.Equal(back, x) {
			t.Fatalf("%q: round trip %v (%v), want %v", s, back, err, x)
		}
	})
}

// FuzzParseSeeds (--seeds of train vision): refused with one line, or
// distinct non-negative integers, one per field, that joinSeeds writes back
// into a string parsing to the same seeds.
//
//	go test ./cmd/tokendyn -run '^$' -fuzz FuzzParseSeeds -fuzztime 30s
func FuzzParseSeeds(f *testing.F) {
	for _, s := range []string{"1,2,3", "1,1", " 7 ", "", "-1", "18446744073709551615", "18446744073709551616", "1,,2", "+3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ss, err := parseSeeds(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		seen := map[uint64]bool{}
		for _, v := range ss {
			if seen[v] {
				t.Fatalf("%q: seed %d twice", s, v)
			}
			seen[v] = true
		}
		back, err := parseSeeds(joinSeeds(ss))
		if err != nil || !slices.Equal(back, ss) {
			t.Fatalf("%q: round trip %v (%v), want %v", s, back, err, ss)
		}
	})
}
