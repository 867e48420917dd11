package experiment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const validPreregJSON = `{
  "experiment": "lm",
  "hypotheses": [
    {"id": "H1", "statement": "neg has a higher perplexity than pos", "endpoint": "neg-pos", "sign": 1, "family": "primary"},
    {"id": "H2", "statement": "pos is worse than plain Mamba", "endpoint": "pos-none", "sign": -1, "family": "secondary"},
    {"id": "H3", "statement": "the two symmetric arms coincide", "endpoint": "sym-a-sym-b", "sign": 0, "family": "secondary"}
  ],
  "seeds": [101, 102, 103, 104, 105, 106],
  "arms": ["none", "pos", "neg", "sym-a", "sym-b"],
  "budget": {"steps": 600, "note": "2 cores", "lr": 8.25e-4},
  "alpha": 0.05,
  "margin": {"value": 0.005, "unit": "ppl/byte"},
  "effect": {"value": 0.02, "unit": "ppl/byte"},
  "power": 0.8,
  "correction": "holm"
}`

func preregDoc(body string) string {
	return "# LM pre-registration\n\nProse for the reader.\n\n```json prereg\n" + body + "\n```\n\nMore prose.\n"
}

func TestParsePreregValid(t *testing.T) {
	p, err := ParsePrereg([]byte(preregDoc(validPreregJSON)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Experiment != "lm" || len(p.Hypotheses) != 3 || p.Hypotheses[2].Sign != 0 || p.Hypotheses[1].Sign != -1 ||
		len(p.Seeds) != 6 || p.Seeds[5] != 106 || p.Alpha != 0.05 || p.Margin != (Quantity{0.005, "ppl/byte"}) ||
		p.Effect.Value != 0.02 || p.Power != 0.8 || p.Correction != "holm" || p.Budget["note"] != "2 cores" {
		t.Errorf("parsed %+v", p)
	}
	path := filepath.Join(t.TempDir(), "lm.md")
	if err := os.WriteFile(path, []byte(preregDoc(validPreregJSON)), 0o644); err != nil {
		t.Fatal(err)
	}
	if q, err := LoadPrereg(path); err != nil || q.Experiment != "lm" {
		t.Errorf("LoadPrereg: %+v, %v", q, err)
	}
	if _, err := LoadPrereg(filepath.Join(t.TempDir(), "missing.md")); err == nil {
		t.Error("LoadPrereg of a missing file succeeded")
	}
}

// Each broken pre-registration is refused with a one-line error that
// names the problem.
func TestParsePreregErrors(t *testing.T) {
	sub := func(old, new string) string {
		if !strings.Contains(validPreregJSON, old) {
			t.Fatalf("fixture has no %q", old)
		}
		return preregDoc(strings.Replace(validPreregJSON, old, new, 1))
	}
	for _, c := range []struct{ name, doc, want string }{
		{"no block", "# nothing\n\n```json\n{}\n```\n", "no \"```json prereg\" block"},
		{"two blocks", preregDoc(validPreregJSON) + preregDoc(validPreregJSON), "a second"},
		{"unclosed", "```json prereg\n" + validPreregJSON + "\n", "not closed"},
		{"fence with more", "```json prereg v2\n" + validPreregJSON + "\n```\n", "want exactly"},
		{"unknown key", sub(`"power": 0.8,`, `"power": 0.8, "powr": 0.9,`), "unknown field"},
		{"unknown hypothesis key", sub(`"sign": 0,`, `"sign": 0, "sgn": 0,`), "unknown field"},
		{"duplicate key", sub(`"alpha": 0.05,`, `"alpha": 0.05, "alpha": 0.5,`), `key "alpha" appears twice`},
		{"trailing data", preregDoc(validPreregJSON + ` {}`), "trailing data"},
		{"not JSON", preregDoc(`{"experiment": `), "unexpected EOF"},
		{"wrong type", sub(`"alpha": 0.05`, `"alpha": "0.05"`), "key alpha"},
		{"float seed", sub(`106]`, `106.5]`), "seeds"},
		{"missing sign", sub(`"sign": 0, `, ``), "hypotheses[2].sign is missing"},
		{"missing alpha", sub(`"alpha": 0.05,`, ``), "alpha is missing"},
		{"missing budget", sub(`"budget": {"steps": 600, "note": "2 cores", "lr": 8.25e-4},`, ``), "budget is missing"},
		{"missing margin unit", sub(`"value": 0.005, "unit": "ppl/byte"`, `"value": 0.005`), "margin.unit is missing"},
		{"empty name", sub(`"experiment": "lm"`, `"experiment": " "`), "experiment name is empty"},
		{"no hypotheses", sub(`"hypotheses": [`, `"hypotheses": [], "x": [`), "unknown field"},
		{"bad sign", sub(`"sign": 0,`, `"sign": 2,`), "sign 2"},
		{"bad family", sub(`"family": "secondary"}
  ]`, `"family": "tertiary"}
  ]`), `family "tertiary"`},
		{"two primaries", sub(`"sign": -1, "family": "secondary"`, `"sign": -1, "family": "primary"`), "2 primary hypotheses"},
		{"no primary", sub(`"sign": 1, "family": "primary"`, `"sign": 1, "family": "secondary"`), "0 primary hypotheses"},
		{"duplicate id", sub(`"id": "H3"`, `"id": "H2"`), `"H2" appears twice`},
		{"duplicate endpoint", sub(`"endpoint": "sym-a-sym-b"`, `"endpoint": "pos-none"`), `endpoint "pos-none" is claimed by two`},
		{"old seeds", sub(`[101, 102, 103, 104, 105, 106]`, `[5, 3, 1, 2, 4]`), "old set"},
		{"duplicate seed", sub(`[101, 102,`, `[101, 101,`), "seed 101 appears twice"},
		{"one seed", sub(`[101, 102, 103, 104, 105, 106]`, `[7]`), "1 seeds"},
		{"duplicate arm", sub(`"sym-b"]`, `"pos"]`), `arm "pos" appears twice`},
		{"alpha", sub(`"alpha": 0.05`, `"alpha": 0.5`), "alpha 0.5"},
		{"margin", sub(`"value": 0.005`, `"value": 0`), "margin 0"},
		{"effect unit", sub(`"value": 0.02, "unit": "ppl/byte"`, `"value": 0.02, "unit": "pp"`), "effect unit"},
		{"power", sub(`"power": 0.8`, `"power": 1`), "power 1"},
		{"correction", sub(`"holm"`, `"bonferroni"`), `correction "bonferroni"`},
		{"too large", preregDoc(validPreregJSON) + strings.Repeat(" ", MaxPreregBytes), "more than"},
		{"newline in id", sub(`"id": "H3", "statement": "the two symmetric arms coincide"`, `"id": "H\n3", "statement": ""`), `"H\n3" has an empty statement`},
	} {
		_, err := ParsePrereg([]byte(c.doc))
		switch {
		case err == nil:
			t.Errorf("%s: accepted", c.name)
		case !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: error %q, want it to contain %q", c.name, err, c.want)
		case strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: error on more than one line: %q", c.name, err)
		}
	}
}

func FuzzParsePrereg(f *testing.F) {
	f.Add([]byte(preregDoc(validPreregJSON)))
	f.Add([]byte("```json prereg\n{}\n```\n"))
	f.Add([]byte("```json prereg\n{\"budget\": {\"a\": [1, {\"b\": null}]}}\n```"))
	f.Add([]byte("```json prereg\n"))
	f.Fuzz(func(t *testing.T, md []byte) {
		p, err := ParsePrereg(md)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error on more than one line: %q", err)
			}
			return
		}
		// Whatever parses is valid by the schema.
		if err := p.Validate(); err != nil {
			t.Fatalf("parsed a pre-registration that does not validate: %v", err)
		}
	})
}
