package figures

import "github.com/tokendyn/tokendyn/pkg/experiment/runner"

// testEnv is the Env of one artifact in the tests: experiments come from
// the runner (trained and stored under the repository root when missing,
// as `tokendyn figures` does), never from this package.
func testEnv(quick bool, seed uint64) Env {
	return Env{Quick: quick, Seed: seed, Step: func(int, int) {}, source: runner.Source{Root: repoRoot}}
}

// testSource is the Options.Experiments of the tests' Builds.
func testSource() Experiments { return runner.Source{Root: repoRoot} }
