package claims

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
)

// JSON is the ledger as indented JSON with a final newline: the data every
// rendering is made from.
func (l *Ledger) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	return append(b, '\n'), nil
}

// Lines is the ledger one line a claim: ID, verdict, statement.
func (l *Ledger) Lines() string {
	var b strings.Builder
	w := 0
	for _, v := range Verdicts() {
		w = max(w, len([]rune(v)))
	}
	for _, c := range l.Claims {
		fmt.Fprintf(&b, "%-4s %-*s  %s\n", c.ID, w, c.Verdict, c.title())
	}
	return b.String()
}

// more is what the experiment's own verdict adds to the ledger's word,
// e.g. "(equivalent within ±1 pp)"; "" when nothing.
func (c Claim) more() string {
	if c.Hypothesis == "" {
		return ""
	}
	x := strings.TrimSpace(strings.TrimPrefix(c.Detail, c.Verdict))
	if x == c.Detail || x == "" {
		return ""
	}
	return x
}

// title is the statement, prefixed by the hypothesis it decides.
func (c Claim) title() string {
	if c.Hypothesis != "" {
		return c.Hypothesis + ": " + c.Statement
	}
	return c.Statement
}

// md escapes text for Markdown: a literal * (T*, the blow-up time) would
// open an emphasis.
func md(s string) string { return strings.ReplaceAll(s, "*", `\*`) }

// cell escapes s for a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(md(s), "|", "&#124;") }

// span is the range of claim IDs of a group, e.g. "C1–C8".
func span(cs []Claim) string {
	if len(cs) == 1 {
		return cs[0].ID
	}
	return cs[0].ID + "–" + cs[len(cs)-1].ID
}

// byGroup returns the claims of each group, in Groups() order, skipping
// empty groups.
func (l *Ledger) byGroup() (names []string, claims [][]Claim) {
	for _, g := range Groups() {
		var cs []Claim
		for _, c := range l.Claims {
			if c.Group == g {
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			names, claims = append(names, g), append(claims, cs)
		}
	}
	return names, claims
}

// counts is how many of cs have each verdict, in Verdicts() order.
func counts(cs []Claim) []int {
	n := make([]int, len(Verdicts()))
	for _, c := range cs {
		for i, v := range Verdicts() {
			if c.Verdict == v {
				n[i]++
			}
		}
	}
	return n
}

// SummaryTable is the ledger's summary as a Markdown table: per group, how
// many claims have each verdict (the README's first screen shows it).
func (l *Ledger) SummaryTable() string {
	var b strings.Builder
	b.WriteString("| claims | " + strings.Join(Verdicts(), " | ") + " |\n|---|")
	b.WriteString(strings.Repeat("---:|", len(Verdicts())) + "\n")
	row := func(name string, cs []Claim) {
		fmt.Fprintf(&b, "| %s |", name)
		for _, n := range counts(cs) {
			if n == 0 {
				b.WriteString(" · |")
			} else {
				fmt.Fprintf(&b, " %d |", n)
			}
		}
		b.WriteString("\n")
	}
	names, groups := l.byGroup()
	for i, g := range groups {
		row(fmt.Sprintf("%s (%s)", names[i], span(g)), g)
	}
	row(fmt.Sprintf("**all %d**", len(l.Claims)), l.Claims)
	return b.String()
}

// ReadmeSummary is what README.md's first screen shows: SummaryTable,
// then one line for each claim that does not hold.
func (l *Ledger) ReadmeSummary() string {
	var b strings.Builder
	b.WriteString(l.SummaryTable())
	first := true
	for _, c := range l.Claims {
		if c.Verdict == Holds {
			continue
		}
		if first {
			b.WriteString("\nThe claims that do not hold here:\n\n")
			first = false
		}
		v := "**" + c.Verdict + "**"
		if x := c.more(); x != "" {
			v += " " + x
		}
		fmt.Fprintf(&b, "- %s %s: %s\n", c.ID, v, md(c.title()))
	}
	return b.String()
}

// IndexTable is one Markdown row per claim: ID, statement, verdict (with
// the experiment's own word where it says more), what shows it.
func (l *Ledger) IndexTable() string {
	var b strings.Builder
	b.WriteString("| | claim | verdict | shown in |\n|---|---|---|---|\n")
	for _, c := range l.Claims {
		v := "**" + c.Verdict + "**"
		if x := c.more(); x != "" {
			v += " " + x
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.ID, cell(c.title()), strings.ReplaceAll(v, "|", "&#124;"), cell(c.Artifact))
	}
	return b.String()
}

// Markdown is the whole ledger: the summary, the index, then every claim
// with its source, check, rule, evidence and basis.
func (l *Ledger) Markdown() string {
	var b strings.Builder
	b.WriteString("# Claims ledger\n\n")
	fmt.Fprintf(&b, "Every claim of %s that this repository can speak to, and the repository's own findings (marked *ours*), "+
		"each with the check that tests it and a verdict computed by code (`tokendyn claims`, pkg/claims). ", l.Paper)
	b.WriteString("Verdicts: " + strings.Join(Verdicts(), ", ") + ". The theory checks ran when this file was written, at reduced sizes; " +
		"the experiment claims read the committed results, decided by their pre-registrations.")
	if l.Quick {
		b.WriteString(" **Smoke sizes (quick): not the ledger's sizes.**")
	}
	b.WriteString("\n\n" + l.SummaryTable() + "\n" + l.IndexTable())
	names, groups := l.byGroup()
	for i, g := range groups {
		fmt.Fprintf(&b, "\n## %s\n", names[i])
		for _, c := range g {
			ours := ""
			if c.Ours {
				ours = " *(ours)*"
			}
			fmt.Fprintf(&b, "\n### %s — %s%s\n\n%s\n\n", c.ID, c.Verdict, ours, md(c.Statement))
			fmt.Fprintf(&b, "- **Source:** %s\n- **Check:** %s\n- **Rule:** %s\n", md(c.Source), md(c.Check), md(c.Rule))
			if c.Evidence != "" {
				fmt.Fprintf(&b, "- **Evidence:** %s\n", md(c.Evidence))
			}
			if c.Detail != "" {
				label := "Verdict of the pre-registered rule"
				if c.Verdict == NotTestable {
					label = "Why"
				}
				fmt.Fprintf(&b, "- **%s:** %s\n", label, md(c.Detail))
			}
			fmt.Fprintf(&b, "- **Shown in:** %s\n- **Basis:** %s\n", md(c.Artifact), md(c.Basis))
		}
	}
	return b.String()
}

var pageTemplate = template.Must(template.New("claims").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Claims ledger</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; }
td.n { text-align: right; }
.v { font-weight: bold; white-space: nowrap; }
.holds { color: #176117; } .contradicted { color: #a01818; } .not-supported { color: #8a5a00; }
.inconclusive { color: #555; } .not-testable-here { color: #555; font-style: italic; }
dl { margin: .3rem 0 1.2rem 1rem; } dt { font-weight: bold; float: left; clear: left; width: 7rem; } dd { margin-left: 7.5rem; }
</style>
</head>
<body>
<h1>Claims ledger</h1>
<p>Every claim of {{.Paper}} that this repository can speak to, and the repository's own findings (marked ours), each with
the check that tests it and a verdict computed by code (<code>tokendyn claims</code>). The theory checks ran when this page
was written, at reduced sizes; the experiment claims read the committed results, decided by their pre-registrations.{{if .Quick}}
<strong>Smoke sizes (quick): not the ledger's sizes.</strong>{{end}}</p>
<table>
<tr><th>claims</th>{{range .Verdicts}}<th>{{.}}</th>{{end}}</tr>
{{range .Summary}}<tr><td>{{.Name}}</td>{{range .Counts}}<td class="n">{{if .}}{{.}}{{else}}·{{end}}</td>{{end}}</tr>
{{end}}</table>
<table>
<tr><th></th><th>claim</th><th>verdict</th><th>shown in</th></tr>
{{range .Claims}}<tr><td><a href="#{{.ID}}">{{.ID}}</a></td><td>{{if .Hypothesis}}{{.Hypothesis}}: {{end}}{{.Statement}}</td><td class="v {{.Class}}">{{.Verdict}}</td><td>{{.Artifact}}</td></tr>
{{end}}</table>
{{range .Claims}}<h3 id="{{.ID}}">{{.ID}} — <span class="{{.Class}}">{{.Verdict}}</span>{{if .Ours}} (ours){{end}}</h3>
<p>{{.Statement}}</p>
<dl><dt>Source</dt><dd>{{.Source}}</dd><dt>Check</dt><dd>{{.Check}}</dd><dt>Rule</dt><dd>{{.Rule}}</dd>
{{if .Evidence}}<dt>Evidence</dt><dd>{{.Evidence}}</dd>{{end}}{{if .Detail}}<dt>{{if eq .Verdict "not testable here"}}Why{{else}}Pre-registered{{end}}</dt><dd>{{.Detail}}</dd>{{end}}
<dt>Shown in</dt><dd>{{.Artifact}}</dd><dt>Basis</dt><dd>{{.Basis}}</dd></dl>
{{end}}</body>
</html>
`))

// HTML is the ledger as a self-contained page (no script, no network).
func (l *Ledger) HTML() ([]byte, error) {
	type row struct {
		Name   string
		Counts []int
	}
	type claimView struct {
		Claim
		Class string
	}
	data := struct {
		Paper    string
		Quick    bool
		Verdicts []string
		Summary  []row
		Claims   []claimView
	}{Paper: l.Paper, Quick: l.Quick, Verdicts: Verdicts()}
	count := func(name string, cs []Claim) row { return row{Name: name, Counts: counts(cs)} }
	names, groups := l.byGroup()
	for i, g := range groups {
		data.Summary = append(data.Summary, count(fmt.Sprintf("%s (%s)", names[i], span(g)), g))
	}
	data.Summary = append(data.Summary, count(fmt.Sprintf("all %d", len(l.Claims)), l.Claims))
	for _, c := range l.Claims {
		data.Claims = append(data.Claims, claimView{c, strings.ReplaceAll(c.Verdict, " ", "-")})
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("claims: html: %w", err)
	}
	return b.Bytes(), nil
}
