package claims

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Read reads a ledger that `tokendyn claims` wrote (claims.json) and checks
// every claim (fields filled, verdict one of the five).
func Read(path string) (*Ledger, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	var l Ledger
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("claims: %s: %w", path, err)
	}
	for _, c := range l.Claims {
		if err := c.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return &l, nil
}

// Experiment is, as a Markdown list, the ledger's claims that decide the
// pre-registered hypotheses of experiment exp ("lm" or "reorder"): ID,
// hypothesis, verdict, statement and evidence. The notebooks show it.
func (l *Ledger) Experiment(exp string) string {
	var b strings.Builder
	for _, c := range l.Claims {
		if !strings.HasPrefix(c.Hypothesis, exp+" ") {
			continue
		}
		v := "**" + c.Verdict + "**"
		if x := c.more(); x != "" {
			v += " " + x
		}
		fmt.Fprintf(&b, "- %s (%s) %s: %s — %s\n", c.ID, c.Hypothesis, v, md(c.Statement), md(c.Evidence))
	}
	return b.String()
}
