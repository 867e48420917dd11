package claims

// Claim is one row of the ledger.
type Claim struct {
	// ID numbers the claim: C1, C2, … in ledger order.
	ID string `json:"id"`
	// Group is the part of the paper the claim belongs to (Groups).
	Group string `json:"group"`
	// Statement is the claim in our words.
	Statement string `json:"statement"`
	// Source says where the claim comes from: the abstract, a Table 1 row,
	// a Figure 6 panel, a theorem of our reconstruction (docs/paper.md §N),
	// a refinement, a pre-registered hypothesis, or this repository.
	Source string `json:"source"`
	// Ours marks a claim of this repository, not of the paper.
	Ours bool `json:"ours"`
	// Check names the code that tests it.
	Check string `json:"check"`
	// Rule is how the verdict follows from the evidence.
	Rule string `json:"rule"`
	// Evidence is what the check measured, with its interval where
	// statistical.
	Evidence string `json:"evidence"`
	// Artifact names the figure, table or notebook that shows it.
	Artifact string `json:"artifact"`
	// Basis says whether the check ran now ("computed") or read a
	// committed result (its path and cache key).
	Basis string `json:"basis"`
	// Verdict is one of Verdicts().
	Verdict string `json:"verdict"`
	// Detail is the experiment's own verdict (e.g. "not supported
	// (equivalent within ±1 pp)") or, for NotTestable, why.
	Detail string `json:"detail,omitempty"`
	// Hypothesis is the pre-registered hypothesis (e.g. "lm H1") a claim
	// read from an experiment decides; "" for the others.
	Hypothesis string `json:"hypothesis,omitempty"`
}

// Ledger is every claim, in order, with how it was built.
type Ledger struct {
	Paper  string  `json:"paper"`
	Quick  bool    `json:"quick"` // the cheap checks ran at their smoke size
	Sizes  Sizes   `json:"sizes"`
	Claims []Claim `json:"claims"`
}

// Counts returns how many claims have each verdict, in Verdicts() order.
func (l *Ledger) Counts() []int { return counts(l.Claims) }

// Find returns the claim with the given ID or hypothesis label, or nil.
func (l *Ledger) Find(idOrHypothesis string) *Claim {
	for i := range l.Claims {
		if l.Claims[i].ID == idOrHypothesis || l.Claims[i].Hypothesis == idOrHypothesis {
			return &l.Claims[i]
		}
	}
	return nil
}
