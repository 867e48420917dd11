package figures

import "testing"

func TestValidID(t *testing.T) {
	for i, test := range []struct {
		id   string
		want bool
	}{
		{"fig6-2d", true}, {"tab1-dynamics", true}, {"a", true},
		{"", false}, {"-a", false}, {"a-", false}, {"a--b", false}, {"Fig", false}, {"a_b", false}, {"a b", false},
	} {
		if got := validID(test.id); got != test.want {
			t.Errorf("test %d: validID(%q) = %v, want %v", i, test.id, got, test.want)
		}
	}
}
