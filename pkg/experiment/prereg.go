package experiment

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
)

// MaxPreregBytes bounds the size of a pre-registration file.
const MaxPreregBytes = 1 << 20

// The two hypothesis families, and the one correction Decide applies.
const (
	Primary   = "primary"
	Secondary = "secondary"
	HolmCorr  = "holm"
)

// preregFence opens the one fenced block of a pre-registration file that
// holds its JSON; a line "```" closes it.
const preregFence = "```json prereg"

// Prereg is a pre-registration: the design and decision rule of one
// experiment, fixed before the run it governs. It lives in a Markdown file
// (prose for the reader) as one fenced block opened by "```json prereg":
//
//	{"experiment": "lm",
//	 "hypotheses": [{"id": "H1", "statement": "…", "endpoint": "pos-none/final_ppl",
//	                 "sign": -1, "family": "primary"}, …],
//	 "seeds": [101, 102, …], "arms": ["none", "pos", …],
//	 "budget": {"steps": 600, …},
//	 "alpha": 0.05, "margin": {"value": 0.005, "unit": "ppl/byte"},
//	 "effect": {"value": 0.02, "unit": "ppl/byte"}, "power": 0.8,
//	 "correction": "holm"}
//
// Every key is required except budget's contents, which are free-form.
type Prereg struct {
	Experiment string       `json:"experiment"`
	Hypotheses []Hypothesis `json:"hypotheses"`
	// Seeds: at least 2, unique, never exactly the old set {1, 2, 3, 4, 5}.
	Seeds []int64  `json:"seeds"`
	Arms  []string `json:"arms"` // unique, non-empty names
	// Budget is free-form (steps, epochs, tokens, minutes, …); numbers
	// keep their JSON text (json.Number).
	Budget map[string]any `json:"budget"`
	// Alpha is the family-wise level of every test, in (0, ½).
	Alpha float64 `json:"alpha"`
	// Margin is the equivalence margin m > 0 of TOST, in the endpoints'
	// unit (the difference of the two arms).
	Margin Quantity `json:"margin"`
	// Effect is the smallest effect of interest, in the margin's unit:
	// Decide reports the power reached for it, and Power is the target.
	Effect Quantity `json:"effect"`
	Power  float64  `json:"power"`
	// Correction is the multiple-comparison correction; only "holm".
	Correction string `json:"correction"`
}

// Hypothesis is one pre-registered claim on one endpoint: the mean of the
// paired differences (as Decide is handed them) has the sign Sign — +1
// positive, −1 negative, 0 equivalent to 0 within the margin (a symmetry
// claim). Family is Primary or Secondary; a Prereg has exactly one primary
// hypothesis.
type Hypothesis struct {
	ID        string `json:"id"`
	Statement string `json:"statement"`
	Endpoint  string `json:"endpoint"`
	Sign      int    `json:"sign"`
	Family    string `json:"family"`
}

// Quantity is a number with its unit.
type Quantity struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// The decoded forms, with pointers where a missing key would otherwise
// pass for a valid zero (a missing sign would claim equivalence).
type preregWire struct {
	Experiment *string          `json:"experiment"`
	Hypotheses []hypothesisWire `json:"hypotheses"`
	Seeds      []int64          `json:"seeds"`
	Arms       []string         `json:"arms"`
	Budget     map[string]any   `json:"budget"`
	Alpha      *float64         `json:"alpha"`
	Margin     *quantityWire    `json:"margin"`
	Effect     *quantityWire    `json:"effect"`
	Power      *float64         `json:"power"`
	Correction *string          `json:"correction"`
}

type hypothesisWire struct {
	ID        *string `json:"id"`
	Statement *string `json:"statement"`
	Endpoint  *string `json:"endpoint"`
	Sign      *int    `json:"sign"`
	Family    *string `json:"family"`
}

type quantityWire struct {
	Value *float64 `json:"value"`
	Unit  *string  `json:"unit"`
}

// LoadPrereg reads and parses the pre-registration file at path; errors
// name the file.
func LoadPrereg(path string) (Prereg, error) {
	f, err := os.Open(path)
	if err != nil {
		return Prereg{}, fmt.Errorf("experiment: pre-registration: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxPreregBytes+1))
	if err != nil {
		return Prereg{}, fmt.Errorf("experiment: pre-registration %s: %w", path, err)
	}
	p, err := ParsePrereg(b)
	if err != nil {
		return Prereg{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ParsePrereg parses a pre-registration Markdown file: exactly one fenced
// block opened by a line "```json prereg" and closed by a line "```",
// holding one JSON object decoded strictly (unknown keys, missing keys,
// wrong types and trailing data are errors) and then checked by Validate.
// Inputs over MaxPreregBytes are refused. Every error is one line.
func ParsePrereg(md []byte) (Prereg, error) {
	if len(md) > MaxPreregBytes {
		return Prereg{}, fmt.Errorf("experiment: pre-registration of more than %d bytes", MaxPreregBytes)
	}
	block, err := preregBlock(md)
	if err != nil {
		return Prereg{}, fmt.Errorf("experiment: pre-registration: %w", err)
	}
	p, err := decodePrereg(block)
	if err != nil {
		return Prereg{}, fmt.Errorf("experiment: pre-registration: %s", oneLine(err.Error()))
	}
	if err := p.Validate(); err != nil {
		return Prereg{}, err
	}
	return p, nil
}

// preregBlock is the text inside the one "```json prereg" block.
func preregBlock(md []byte) ([]byte, error) {
	var block []byte
	found, open := 0, false
	var cur bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(md))
	sc.Buffer(make([]byte, 0, 64*1024), MaxPreregBytes+1)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimRight(sc.Text(), " \t\r")
		switch {
		case !open && strings.HasPrefix(t, preregFence) && t != preregFence:
			return nil, fmt.Errorf("line %d opens a block with %q, want exactly %q", line, oneLine(t), preregFence)
		case !open && t == preregFence:
			found++
			if found > 1 {
				return nil, fmt.Errorf("a second %q block at line %d, want exactly one", preregFence, line)
			}
			open = true
			cur.Reset()
		case open && t == "```":
			open = false
			block = bytes.Clone(cur.Bytes())
		case open:
			cur.WriteString(sc.Text())
			cur.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case found == 0:
		return nil, fmt.Errorf("no %q block", preregFence)
	case open:
		return nil, fmt.Errorf("the %q block is not closed by a line ```", preregFence)
	}
	return block, nil
}

func decodePrereg(b []byte) (Prereg, error) {
	if err := noDuplicateKeys(b); err != nil {
		return Prereg{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var w preregWire
	if err := dec.Decode(&w); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return Prereg{}, fmt.Errorf("key %s: a JSON %s, want %s", te.Field, te.Value, te.Type)
		}
		return Prereg{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return Prereg{}, errors.New("trailing data after the JSON object")
	}
	missing := func(key string) error { return fmt.Errorf("key %s is missing", key) }
	var p Prereg
	switch {
	case w.Experiment == nil:
		return p, missing("experiment")
	case w.Hypotheses == nil:
		return p, missing("hypotheses")
	case w.Seeds == nil:
		return p, missing("seeds")
	case w.Arms == nil:
		return p, missing("arms")
	case w.Budget == nil:
		return p, missing("budget")
	case w.Alpha == nil:
		return p, missing("alpha")
	case w.Margin == nil:
		return p, missing("margin")
	case w.Effect == nil:
		return p, missing("effect")
	case w.Power == nil:
		return p, missing("power")
	case w.Correction == nil:
		return p, missing("correction")
	}
	p = Prereg{Experiment: *w.Experiment, Seeds: w.Seeds, Arms: w.Arms, Budget: w.Budget,
		Alpha: *w.Alpha, Power: *w.Power, Correction: *w.Correction}
	var err error
	if p.Margin, err = w.Margin.quantity("margin"); err != nil {
		return Prereg{}, err
	}
	if p.Effect, err = w.Effect.quantity("effect"); err != nil {
		return Prereg{}, err
	}
	for i, h := range w.Hypotheses {
		key := func(k string) error { return missing(fmt.Sprintf("hypotheses[%d].%s", i, k)) }
		switch {
		case h.ID == nil:
			return Prereg{}, key("id")
		case h.Statement == nil:
			return Prereg{}, key("statement")
		case h.Endpoint == nil:
			return Prereg{}, key("endpoint")
		case h.Sign == nil:
			return Prereg{}, key("sign")
		case h.Family == nil:
			return Prereg{}, key("family")
		}
		p.Hypotheses = append(p.Hypotheses, Hypothesis{ID: *h.ID, Statement: *h.Statement,
			Endpoint: *h.Endpoint, Sign: *h.Sign, Family: *h.Family})
	}
	return p, nil
}

// noDuplicateKeys refuses an object that holds a key twice (encoding/json
// would keep the last silently). Syntax errors are left to the decoder.
func noDuplicateKeys(b []byte) error {
	type frame struct {
		keys    map[string]bool // nil for an array
		wantKey bool
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].wantKey {
			if k, ok := tok.(string); ok {
				if stack[n-1].keys[k] {
					return fmt.Errorf("key %q appears twice in one object", k)
				}
				stack[n-1].keys[k], stack[n-1].wantKey = true, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true // a value of this object is complete
		}
	}
}

func (q *quantityWire) quantity(key string) (Quantity, error) {
	switch {
	case q.Value == nil:
		return Quantity{}, fmt.Errorf("key %s.value is missing", key)
	case q.Unit == nil:
		return Quantity{}, fmt.Errorf("key %s.unit is missing", key)
	}
	return Quantity{Value: *q.Value, Unit: *q.Unit}, nil
}

// Validate checks the schema's rules beyond the JSON types; its error
// names the first problem in one line.
func (p Prereg) Validate() error {
	if strings.TrimSpace(p.Experiment) == "" {
		return p.invalid("experiment name is empty")
	}
	if err := p.validateHypotheses(); err != nil {
		return err
	}
	if err := p.validateSeeds(); err != nil {
		return err
	}
	if err := p.validateArms(); err != nil {
		return err
	}
	return p.validateStatistics()
}

// invalid is Validate's error: the problem, formatted, after the
// experiment's name.
func (p Prereg) invalid(format string, a ...any) error {
	return fmt.Errorf("experiment: pre-registration %q: %s", p.Experiment, fmt.Sprintf(format, a...))
}

// validateHypotheses checks the hypotheses: at least one, each with a
// unique id, a statement, an endpoint no other one claims, a sign in
// {-1, 0, +1} and a family, exactly one of them primary.
func (p Prereg) validateHypotheses() error {
	if len(p.Hypotheses) == 0 {
		return p.invalid("no hypotheses")
	}
	ids, endpoints := map[string]bool{}, map[string]bool{}
	primaries := 0
	for i, h := range p.Hypotheses {
		switch {
		case strings.TrimSpace(h.ID) == "":
			return p.invalid("hypothesis %d has an empty id", i)
		case ids[h.ID]:
			return p.invalid("hypothesis id %q appears twice", h.ID)
		case strings.TrimSpace(h.Statement) == "":
			return p.invalid("hypothesis %q has an empty statement", h.ID)
		case strings.TrimSpace(h.Endpoint) == "":
			return p.invalid("hypothesis %q has an empty endpoint", h.ID)
		case endpoints[h.Endpoint]:
			return p.invalid("endpoint %q is claimed by two hypotheses", h.Endpoint)
		case h.Sign < -1 || h.Sign > 1:
			return p.invalid("hypothesis %q has sign %d, want -1, 0 or +1", h.ID, h.Sign)
		case h.Family != Primary && h.Family != Secondary:
			return p.invalid("hypothesis %q has family %q, want %q or %q", h.ID, h.Family, Primary, Secondary)
		}
		ids[h.ID], endpoints[h.Endpoint] = true, true
		if h.Family == Primary {
			primaries++
		}
	}
	if primaries != 1 {
		return p.invalid("%d primary hypotheses, want exactly one", primaries)
	}
	return nil
}

// validateSeeds checks the seeds: at least 2, distinct, and not the old
// set 1–5.
func (p Prereg) validateSeeds() error {
	if len(p.Seeds) < 2 {
		return p.invalid("%d seeds, want at least 2", len(p.Seeds))
	}
	seen := map[int64]bool{}
	for _, s := range p.Seeds {
		if seen[s] {
			return p.invalid("seed %d appears twice", s)
		}
		seen[s] = true
	}
	sorted := slices.Clone(p.Seeds)
	slices.Sort(sorted)
	if slices.Equal(sorted, []int64{1, 2, 3, 4, 5}) { // the first, underpowered runs' seeds
		return p.invalid("seeds are the old set 1–5; pick fresh ones")
	}
	return nil
}

// validateArms checks the arms: at least one, each named, no name twice.
func (p Prereg) validateArms() error {
	if len(p.Arms) == 0 {
		return p.invalid("no arms")
	}
	arms := map[string]bool{}
	for _, a := range p.Arms {
		switch {
		case strings.TrimSpace(a) == "":
			return p.invalid("an arm has an empty name")
		case arms[a]:
			return p.invalid("arm %q appears twice", a)
		}
		arms[a] = true
	}
	return nil
}

// validateStatistics checks the test's parameters: alpha in (0, 0.5), a
// positive finite margin and effect in one unit, power in (0, 1) and Holm's
// correction.
func (p Prereg) validateStatistics() error {
	switch {
	case !(p.Alpha > 0 && p.Alpha < 0.5):
		return p.invalid("alpha %v, want it in (0, 0.5)", p.Alpha)
	case !(p.Margin.Value > 0) || math.IsInf(p.Margin.Value, 0):
		return p.invalid("margin %v, want a positive finite number", p.Margin.Value)
	case strings.TrimSpace(p.Margin.Unit) == "":
		return p.invalid("margin has no unit")
	case !(p.Effect.Value > 0) || math.IsInf(p.Effect.Value, 0):
		return p.invalid("effect %v, want a positive finite number", p.Effect.Value)
	case p.Effect.Unit != p.Margin.Unit:
		return p.invalid("effect unit %q differs from the margin unit %q", p.Effect.Unit, p.Margin.Unit)
	case !(p.Power > 0 && p.Power < 1):
		return p.invalid("power %v, want it in (0, 1)", p.Power)
	case p.Correction != HolmCorr:
		return p.invalid("correction %q, want %q", p.Correction, HolmCorr)
	}
	return nil
}

// oneLine keeps an error on one line whatever the input held.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
