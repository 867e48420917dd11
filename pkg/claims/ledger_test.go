package claims

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tokendyn/tokendyn/internal/docblock"
)

const root = "../.."

var update = flag.Bool("update", false, "rewrite docs/claims.md and README.md's claims summary from the ledger")

// The committed copy and the README's block.
const (
	committedMD  = "docs/claims.md"
	readmeBegin  = "<!-- begin claims summary (docs/claims.md; kept equal by pkg/claims TestLedgerCommitted; regenerate: go test ./pkg/claims -run TestLedgerCommitted -update) -->\n"
	readmeEnd    = "<!-- end claims summary -->"
	regenerateIt = "regenerate: go test ./pkg/claims -run TestLedgerCommitted -update"
)

func build(t *testing.T, s Sizes, quick bool) *Ledger {
	t.Helper()
	l, err := Build(context.Background(), root, s, quick)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// The ledger is complete and ordered: IDs C1… in order, every group in
// Groups() order, every verdict one of the five, every field filled; the
// theorems hold on random instances even at smoke sizes (they are
// theorems), and the experiment claims are exactly the pre-registered
// hypotheses of both designs.
func TestBuildQuick(t *testing.T) {
	l := build(t, QuickSizes(), true)
	g := 0
	hyp := 0
	for i, c := range l.Claims {
		if c.ID != "C"+itoa(i+1) {
			t.Errorf("claim %d has ID %q", i, c.ID)
		}
		for g < len(Groups()) && Groups()[g] != c.Group {
			g++
		}
		if g == len(Groups()) {
			t.Fatalf("%s: group %q out of order", c.ID, c.Group)
		}
		if err := c.validate(); err != nil {
			t.Error(err)
		}
		if c.Hypothesis != "" {
			hyp++
		}
		if c.Group == GroupTheory && c.Verdict != Holds {
			t.Errorf("%s (%s): %s on smoke sizes: %s", c.ID, c.Statement, c.Verdict, c.Evidence)
		}
	}
	if hyp != 9+4 {
		t.Errorf("%d experiment claims, want the 9 + 4 pre-registered hypotheses", hyp)
	}
	if md := l.Markdown() + l.ReadmeSummary() + l.IndexTable(); strings.Contains(md, "T*") || !strings.Contains(md, `T\*`) {
		t.Error("a literal * (T*) is not escaped in the Markdown: it would open an emphasis")
	}
	if l.Find("lm H1") == nil || l.Find("reorder H4") == nil || l.Find("C1") == nil || l.Find("lm H10") != nil {
		t.Error("Find does not find by ID and hypothesis")
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// Building twice gives the same bytes (no map order, no clock).
func TestDeterministic(t *testing.T) {
	a, b := build(t, QuickSizes(), true), build(t, QuickSizes(), true)
	ja, _ := a.JSON()
	jb, _ := b.JSON()
	ha, _ := a.HTML()
	hb, _ := b.HTML()
	if string(ja) != string(jb) || string(ha) != string(hb) || a.Markdown() != b.Markdown() {
		t.Fatal("two builds differ")
	}
	var back Ledger
	if err := json.Unmarshal(ja, &back); err != nil || len(back.Claims) != len(a.Claims) || back.Claims[3] != a.Claims[3] {
		t.Fatalf("the JSON does not read back: %v", err)
	}
}

// docs/claims.md is the ledger at its sizes, and README.md's first screen
// shows its summary (ReadmeSummary).
func TestLedgerCommitted(t *testing.T) {
	l := build(t, DefaultSizes(), false)
	md := l.Markdown()
	path := filepath.Join(root, committedMD)
	readmePath := filepath.Join(root, "README.md")
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := docblock.Replace(string(readme), readmeBegin, readmeEnd, l.ReadmeSummary())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readmePath, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != md {
		t.Errorf("%s differs from the ledger the code computes (%v): %s", committedMD, err, regenerateIt)
	}
	body, err := docblock.Body(string(readme), readmeBegin, readmeEnd)
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	if body != l.ReadmeSummary() {
		t.Errorf("README.md's claims summary differs from the ledger's:\n%s\n--- computed\n%s\n%s", body, l.ReadmeSummary(), regenerateIt)
	}
	if i := strings.Index(string(readme), readmeBegin); i < 0 || strings.Count(string(readme)[:i], "\n") > 40 {
		t.Errorf("README.md's claims summary is not on its first screen (line %d)", strings.Count(string(readme)[:max(i, 0)], "\n")+1)
	}
}

// A verdict printed in README.md's experiment tables is the ledger's: every
// hypothesis row's verdict cell, read back through FromExperiment, equals
// the verdict of the ledger's claim for that hypothesis, and every
// experiment claim of the ledger has its row.
func TestReadmeVerdictsAreTheLedgers(t *testing.T) {
	l := build(t, QuickSizes(), true)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[string]string{"lm": "tab-wt103-scaled summary", "reorder": "tab-imagenet-scaled summary"}
	row := regexp.MustCompile(`(?m)^\| (H\d+)(?: \(primary\))? \|.*\| ([^|]+) \|$`)
	seen := map[string]bool{}
	for exp, name := range blocks {
		i := strings.Index(string(readme), "<!-- begin "+name)
		j := strings.Index(string(readme)[max(i, 0):], "<!-- end "+name)
		if i < 0 || j < 0 {
			t.Fatalf("README.md has no %q block", name)
		}
		for _, m := range row.FindAllStringSubmatch(string(readme)[i:i+j], -1) {
			h := exp + " " + m[1]
			c := l.Find(h)
			if c == nil {
				t.Errorf("README.md shows %s, which the ledger does not have", h)
				continue
			}
			seen[h] = true
			printed := strings.Trim(strings.TrimSpace(m[2]), "*")
			if FromExperiment(printed) != c.Verdict || printed != c.Detail {
				t.Errorf("README.md prints %q for %s; the ledger's %s says %q (%s)", printed, h, c.ID, c.Verdict, c.Detail)
			}
		}
	}
	for _, c := range l.Claims {
		if c.Hypothesis != "" && !seen[c.Hypothesis] {
			t.Errorf("the ledger's %s (%s) has no row in README.md", c.ID, c.Hypothesis)
		}
	}
}

// What `tokendyn claims` writes reads back, and Experiment lists exactly the
// claims of one experiment.
func TestReadAndExperiment(t *testing.T) {
	l := build(t, QuickSizes(), true)
	js, err := l.JSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "claims.json")
	if err := os.WriteFile(path, js, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := Read(path)
	if err != nil || back.Markdown() != l.Markdown() {
		t.Fatalf("Read: %v", err)
	}
	if n := strings.Count(back.Experiment("lm"), "\n- ") + 1; n != 9 || !strings.Contains(back.Experiment("reorder"), "(reorder H1) **not supported** (equivalent within ±1 pp)") {
		t.Errorf("Experiment lists %d lm claims:\n%s%s", n, back.Experiment("lm"), back.Experiment("reorder"))
	}
	bad := strings.Replace(string(js), `"verdict": "holds"`, `"verdict": "likely"`, 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); err == nil || !strings.Contains(err.Error(), "likely") {
		t.Errorf("Read accepted an unknown verdict: %v", err)
	}
}

// The notebooks print no verdict of their own: a bold verdict word in a
// notebook's prose would be typed in, not computed; their verdict cells
// show the ledger (Experiment).
func TestNotebooksTypeNoVerdict(t *testing.T) {
	nbs, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	bold := regexp.MustCompile(`\*\*(holds|supported|not supported[^*]*|contradicted|inconclusive|not testable here)\*\*`)
	for _, nb := range nbs {
		b, err := os.ReadFile(nb)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Cells []struct {
				Type   string   `json:"cell_type"`
				Source []string `json:"source"`
			} `json:"cells"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", nb, err)
		}
		for i, c := range doc.Cells {
			src := strings.Join(c.Source, "")
			if c.Type == "markdown" && bold.MatchString(src) {
				t.Errorf("%s, cell %d: types the verdict %q; show the ledger instead", filepath.Base(nb), i, bold.FindString(src))
			}
			if c.Type == "code" && strings.Contains(src, "Params.Verdicts") {
				t.Errorf("%s, cell %d: prints the sidecar's verdicts; print the ledger's (claims.Read, Ledger.Experiment)", filepath.Base(nb), i)
			}
		}
	}
}
