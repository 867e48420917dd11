package train

import (
	"fmt"

	"github.com/tokendyn/tokendyn/internal/strictjson"
	"github.com/tokendyn/tokendyn/pkg/checkpoint"
	"github.com/tokendyn/tokendyn/pkg/lmrun"
)

// ConfigFromCheckpoint returns the run configuration Run stored in the
// checkpoint in dir (checkpoint.RunConfig), decoded strictly.
func ConfigFromCheckpoint(dir string) (lmrun.Config, error) {
	b, err := checkpoint.RunConfig(dir)
	if err != nil {
		return lmrun.Config{}, fmt.Errorf("train: %w", err)
	}
	var c lmrun.Config
	if err := strictjson.Decode(b, &c); err != nil {
		return lmrun.Config{}, fmt.Errorf("train: checkpoint %s configuration: %w", dir, err)
	}
	return c, nil
}
