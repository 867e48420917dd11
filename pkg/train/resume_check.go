package train

import (
	"fmt"

	"github.com/tokendyn/tokendyn/internal/strictjson"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// checkSameRun compares the configuration stored in a checkpoint with the
// one a resumed run uses (cfg, its vocabulary already resolved). The model
// shape is also checked tensor by tensor by checkpoint.LoadTraining; this catches
// what no tensor shape shows (the parametrization, the sequence length, the
// corpus, the seeds). The corpus directory, the thread count and the
// evaluation and checkpoint settings may differ.
func checkSameRun(ck *Resumed, cfg lmrun.Config) error {
	s, ok := ck.Meta["tokendyn.config"]
	if !ok {
		return fmt.Errorf("the checkpoint holds no tokendyn.config metadata")
	}
	var st lmrun.Config
	if err := strictjson.Decode([]byte(s), &st); err != nil {
		return fmt.Errorf("stored configuration: %w", err)
	}
	switch {
	case st.Model != cfg.Model:
		return fmt.Errorf("stored model %+v, this run's %+v", st.Model, cfg.Model)
	case st.Data.Name != cfg.Data.Name || st.Data.SeqLen != cfg.Data.SeqLen:
		return fmt.Errorf("stored data %s with seq_len %d, this run's %s with seq_len %d", st.Data.Name, st.Data.SeqLen, cfg.Data.Name, cfg.Data.SeqLen)
	case st.Seed != cfg.Seed || st.Train.Seed != cfg.Train.Seed:
		return fmt.Errorf("stored seeds %d/%d, this run's %d/%d", st.Seed, st.Train.Seed, cfg.Seed, cfg.Train.Seed)
	case st.Epochs != cfg.Epochs:
		return fmt.Errorf("stored epochs %v, this run's %v", st.Epochs, cfg.Epochs)
	}
	return nil
}
