package runner

// Hooks are the optional callbacks of both experiments' runners (LM,
// Reorder and their Run functions), never called concurrently.
type Hooks struct {
	// OnStep gets the optimizer updates done and in total over all runs.
	OnStep func(done, total int)
	// OnRun gets one line describing a finished run.
	OnRun func(line string)
}
