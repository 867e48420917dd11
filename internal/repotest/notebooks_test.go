package repotest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// maxNotebookFunc is the longest function body (in lines) a notebook cell
// may define: notebooks call the packages and explain; anything longer
// belongs in a package where it is tested.
const maxNotebookFunc = 15

var funcStart = regexp.MustCompile(`^func\b`)

// notebookFuncs returns, for each function a code cell declares at top
// level, its first line and the number of lines of its body.
func notebookFuncs(src string) map[string]int {
	out := map[string]int{}
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		if !funcStart.MatchString(lines[i]) || strings.HasSuffix(strings.TrimSpace(lines[i]), "}") {
			continue
		}
		j := i + 1
		for j < len(lines) && lines[j] != "}" {
			j++
		}
		out[lines[i]] = j - i - 1
		i = j
	}
	return out
}

// notebookCell is what the rules read of a notebook cell.
type notebookCell struct {
	Type    string            `json:"cell_type"`
	Source  []string          `json:"source"`
	Outputs []json.RawMessage `json:"outputs"`
	Count   *int              `json:"execution_count"`
}

// committedNotebooks returns the cells of every notebook under notebooks/,
// by file name.
func committedNotebooks(t *testing.T) map[string][]notebookCell {
	t.Helper()
	paths, err := filepath.Glob("../../notebooks/*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found (%v)", err)
	}
	out := map[string][]notebookCell{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var nb struct {
			Cells []notebookCell `json:"cells"`
		}
		if err := json.Unmarshal(b, &nb); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[filepath.Base(p)] = nb.Cells
	}
	return out
}

func TestNotebookFunctionsAreShort(t *testing.T) {
	for name, cells := range committedNotebooks(t) {
		for i, c := range cells {
			if c.Type != "code" {
				continue
			}
			for sig, n := range notebookFuncs(strings.Join(c.Source, "")) {
				if n > maxNotebookFunc {
					t.Errorf("%s cell %d: %q has %d lines (at most %d): move it into a package", name, i, sig, n, maxNotebookFunc)
				}
			}
		}
	}
}

func TestNotebookFuncsCountsBodies(t *testing.T) {
	got := notebookFuncs("import \"fmt\"\n\nfunc short() int { return 1 }\n\nfunc f(x int) int {\n\ty := x\n\treturn y\n}\n%%\nf(1)\n")
	if len(got) != 1 || got["func f(x int) int {"] != 2 {
		t.Fatalf("got %v, want f with 2 body lines", got)
	}
}

// Committed notebooks carry no outputs and no execution counts: outputs
// belong to build/notebooks/, and a committed one would go stale.
func TestCommittedNotebooksHaveNoOutputs(t *testing.T) {
	for name, cells := range committedNotebooks(t) {
		for i, c := range cells {
			if len(c.Outputs) > 0 || c.Count != nil {
				t.Errorf("%s cell %d has outputs or an execution count; commit it cleared "+
					"(jupyter nbconvert --clear-output --inplace %s)", name, i, name)
			}
		}
	}
}
