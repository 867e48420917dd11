package reorder

// Epoch is the state of one run after an epoch.
//
//	TrainLoss         mean training cross-entropy of the epoch's updates (each before its update)
//	TestLoss, TestAcc on the test subset after the epoch (never used for any choice)
//	RowMax            mean over Spec.Probe test images and the L rows of the soft permutation
//	                  P̂ of max_l P̂[k,l]: 1/L for uniform rows, 1 for a permutation; 0 for the baseline
//	Seconds           wall time since the start of the run (not deterministic)
type Epoch struct {
	Epoch     int     `json:"epoch"`
	Step      int     `json:"step"`
	LR        float64 `json:"lr"`
	TrainLoss float64 `json:"train_loss"`
	TestLoss  float64 `json:"test_loss"`
	TestAcc   float64 `json:"test_acc"`
	RowMax    float64 `json:"row_max"`
	Seconds   float64 `json:"seconds"`
}

// Record is one trained model: a patch size, an arm and a seed.
type Record struct {
	Patch    int     `json:"patch"`
	L        int     `json:"tokens"`
	Arm      string  `json:"arm"`
	Seed     uint64  `json:"seed"`
	Params   int     `json:"params"` // trainable scalars
	Steps    int     `json:"steps"`  // optimizer updates
	Epochs   []Epoch `json:"epochs"`
	TestAcc  float64 `json:"test_acc"` // after the last epoch
	TestLoss float64 `json:"test_loss"`
	Seconds  float64 `json:"seconds"` // not deterministic
	// Importance: for a reordering arm, what the trained block does on a
	// few test images.
	Importance *Importance `json:"importance,omitempty"`
	// Weights is the hash of the final weights (experiment.Fingerprint).
	Weights string `json:"weights"`
}

// Importance is the learned importance scores of a few test images of
// distinct classes and the soft permutation of the first.
//
//	Samples[i].Scores  (L)     s_l = K(S_Δ x_l + b_dt) in patch order
//	PHat               (L, L)  P̂ = SoftSort(−s) of Samples[0]
type Importance struct {
	Layer   int         `json:"layer"`
	Samples []Sample    `json:"samples"`
	PHat    [][]float64 `json:"phat"`
}

// Sample is one test image with its patch scores.
type Sample struct {
	TestIndex int       `json:"test_index"`
	Label     int       `json:"label"`
	Predicted int       `json:"predicted"`
	H         int       `json:"h"`
	W         int       `json:"w"`
	Pixels    []float32 `json:"pixels"` // (H, W) in [0, 1]
	Scores    []float64 `json:"scores"` // (L)
}
