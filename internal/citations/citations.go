package citations

import (
	"regexp"
	"strings"
)

// heading matches a numbered Markdown heading: "## 5. Title", "### 5.1 Title".
var heading = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(\d+(?:\.\d+)*)\.?[ \t]`)

// Sections returns the section numbers ("5", "5.1") of the numbered
// headings of a Markdown text.
func Sections(md string) map[string]bool {
	out := map[string]bool{}
	for _, m := range heading.FindAllStringSubmatch(md, -1) {
		out[m[1]] = true
	}
	return out
}

// citation matches "paper.md" and the first section number after it. The
// separator may wrap a line, with a comment marker ("//", "#", "*") or, in
// a notebook's JSON, the end and start of a string ("\n\",\n    \"").
var citation = regexp.MustCompile(`paper\.md((?:[\s/#*",]|\\n){0,40}?)§(\d+(?:\.\d+)?)`)

// more matches a further section of the same citation: ", §4", "–§3", "/§5.2".
var more = regexp.MustCompile(`^\s*(?:,|–|-|/|and|or)\s*§(\d+(?:\.\d+)?)`)

// Citation is one cited section in a text.
type Citation struct {
	Line    int    // 1-based line of the "§"
	Section string // "5" or "5.1"
	Bare    bool   // written without the docs/ prefix
}

// Find returns the citations of docs/paper.md sections in text, in order.
func Find(text string) []Citation {
	var out []Citation
	for _, m := range citation.FindAllStringSubmatchIndex(text, -1) {
		bare := !strings.HasSuffix(text[:m[0]], "docs/")
		end := m[5]
		out = append(out, Citation{Line: lineOf(text, m[4]), Section: text[m[4]:m[5]], Bare: bare})
		for {
			n := more.FindStringSubmatchIndex(text[end:])
			if n == nil {
				break
			}
			out = append(out, Citation{Line: lineOf(text, end+n[2]), Section: text[end+n[2] : end+n[3]], Bare: bare})
			end += n[3]
		}
	}
	return out
}

func lineOf(text string, at int) int { return 1 + strings.Count(text[:at], "\n") }
