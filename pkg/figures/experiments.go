package figures

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
)

// experimentMemo is, for one Build, the result of every experiment its
// artifacts read, by key (the experiment's name and specification): the
// four artifacts of an experiment share one load of the stored result (or
// one run), one parse of its JSON and one line on the log, instead of one
// each. It lives as long as the Build that made it (no package-level
// state), and is safe for artifacts built concurrently: a second caller of
// a key waits for the first one's result.
type experimentMemo struct {
	log   io.Writer // where the experiments say what they do
	mu    sync.Mutex
	calls map[string]*experimentCall
}

// experimentCall is one experiment's result, ready when done is closed.
type experimentCall struct {
	done chan struct{}
	val  any
	err  error
}

func newExperimentMemo(log io.Writer) *experimentMemo {
	if log == nil {
		log = os.Stderr
	}
	return &experimentMemo{log: log, calls: map[string]*experimentCall{}}
}

// sharedExperiment returns load's result for key, calling load once per
// Build (env's memo) with the Build's log: every later call with the same
// key, concurrent or not, gets the same value and error. A caller that
// waits gives up when ctx ends. Without a memo (an Env made outside Build,
// as Render and the tests do) it calls load with os.Stderr.
func sharedExperiment[T any](ctx context.Context, env Env, key string, load func(log io.Writer) (T, error)) (T, error) {
	m := env.experiments
	if m == nil {
		return load(os.Stderr)
	}
	m.mu.Lock()
	c, ok := m.calls[key]
	if !ok {
		c = &experimentCall{done: make(chan struct{})}
		m.calls[key] = c
	}
	m.mu.Unlock()
	if !ok {
		func() {
			defer close(c.done)
			c.err = fmt.Errorf("experiment %s: its load did not return", key) // kept if load panics
			c.val, c.err = load(m.log)
		}()
	}
	var zero T
	select {
	case <-c.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	if c.err != nil {
		return zero, c.err
	}
	return c.val.(T), nil
}

// experimentKey is the memo key of the experiment name run with spec (its
// JSON: the same specification gives the same key).
func experimentKey(name string, spec any) string {
	b, err := json.Marshal(spec)
	if err != nil {
		return fmt.Sprintf("%s %#v", name, spec)
	}
	return name + " " + string(b)
}
