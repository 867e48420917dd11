package render

import "testing"

func TestIndexTicksStaySparseAndRound(t *testing.T) {
	for i, test := range []struct {
		min, max   float64
		wantLabels []string
		maxTicks   int
	}{
		{0.5, 6.5, []string{"1", "2", "3", "4", "5", "6"}, 6},
		{80, 1600, []string{"200", "400", "600", "800", "1000", "1200", "1400", "1600"}, 40},
		{1, 16, []string{"2", "4", "6", "8", "10", "12", "14", "16"}, 16},
	} {
		ts := indexTicks{}.Ticks(test.min, test.max)
		var labels []string
		for _, tk := range ts {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if len(ts) > test.maxTicks {
			t.Errorf("test %d: %d ticks, want at most %d", i, len(ts), test.maxTicks)
		}
		if len(labels) != len(test.wantLabels) {
			t.Errorf("test %d: labels %v, want %v", i, labels, test.wantLabels)
			continue
		}
		for k := range labels {
			if labels[k] != test.wantLabels[k] {
				t.Errorf("test %d: labels %v, want %v", i, labels, test.wantLabels)
				break
			}
		}
	}
}
