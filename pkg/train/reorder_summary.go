package train

// ReorderArmSummary aggregates the runs of one arm over its seeds (Stat:
// mean, sample standard deviation with n−1, min, max).
//
//	TestAcc, TestLoss  after the last epoch
//	MeanTestAcc        the test accuracy averaged over the epochs of a run (the normalised
//	                   area under its accuracy curve): higher means faster convergence
//	Seconds            wall time per run
type ReorderArmSummary struct {
	Arm         string `json:"arm"`
	Runs        int    `json:"runs"`
	Params      int    `json:"params"`
	Epochs      int    `json:"epochs"`
	TestAcc     Stat   `json:"test_acc"`
	TestLoss    Stat   `json:"test_loss"`
	MeanTestAcc Stat   `json:"mean_test_acc"`
	Seconds     Stat   `json:"seconds"`
}

// Summary returns one entry per arm, in the configuration's order.
func (r *ReorderResult) Summary() []ReorderArmSummary {
	var out []ReorderArmSummary
	for _, arm := range r.Config.Arms {
		s := ReorderArmSummary{Arm: arm, Epochs: r.Config.Epochs}
		var acc, loss, auc, sec []float64
		for _, run := range r.Runs {
			if run.Arm != arm {
				continue
			}
			s.Runs++
			s.Params = run.Params
			acc = append(acc, run.TestAcc)
			loss = append(loss, run.TestLoss)
			sec = append(sec, run.Seconds)
			var a float64
			for _, e := range run.Epochs {
				a += e.TestAcc
			}
			auc = append(auc, a/float64(max(1, len(run.Epochs))))
		}
		s.TestAcc, s.TestLoss, s.MeanTestAcc, s.Seconds = NewStat(acc), NewStat(loss), NewStat(auc), NewStat(sec)
		out = append(out, s)
	}
	return out
}

// Reorder metrics that ReorderCurves can aggregate.
const (
	MetricTestAcc       = "test_acc"
	MetricTestLoss      = "test_loss"
	MetricTrainLoss     = "train_loss"
	MetricTrainEvalAcc  = "train_eval_acc"
	MetricTrainEvalLoss = "train_eval_loss"
)

// ReorderCurve is one metric of one arm against the epoch, over seeds.
type ReorderCurve struct {
	Arm    string    `json:"arm"`
	Metric string    `json:"metric"`
	Epochs []int     `json:"epochs"`
	Mean   []float64 `json:"mean"`
	Min    []float64 `json:"min"`
	Max    []float64 `json:"max"`
}

// Curves returns, for each arm in the configuration's order, the metric
// (one of the Metric constants) after every epoch: mean, min and max over
// the seeds. An unknown metric gives nil.
func (r *ReorderResult) Curves(metric string) []ReorderCurve {
	get := map[string]func(ReorderEpoch) float64{
		MetricTestAcc:       func(e ReorderEpoch) float64 { return e.TestAcc },
		MetricTestLoss:      func(e ReorderEpoch) float64 { return e.TestLoss },
		MetricTrainLoss:     func(e ReorderEpoch) float64 { return e.TrainLoss },
		MetricTrainEvalAcc:  func(e ReorderEpoch) float64 { return e.TrainEvalAcc },
		MetricTrainEvalLoss: func(e ReorderEpoch) float64 { return e.TrainEvalLoss },
	}[metric]
	if get == nil {
		return nil
	}
	var out []ReorderCurve
	for _, arm := range r.Config.Arms {
		c := ReorderCurve{Arm: arm, Metric: metric}
		for ep := 0; ep < r.Config.Epochs; ep++ {
			var xs []float64
			for _, run := range r.Runs {
				if run.Arm == arm && ep < len(run.Epochs) {
					xs = append(xs, get(run.Epochs[ep]))
				}
			}
			if len(xs) == 0 {
				continue
			}
			st := NewStat(xs)
			c.Epochs = append(c.Epochs, ep+1)
			c.Mean = append(c.Mean, st.Mean)
			c.Min = append(c.Min, st.Min)
			c.Max = append(c.Max, st.Max)
		}
		out = append(out, c)
	}
	return out
}
