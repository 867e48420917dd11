package theory

// progressOf adapts a progress callback (done, total) (may be nil) to the
// per-job callback of parallel.Map.
func progressOf[R any](progress func(done, total int), total int) func(int, R, int) {
	if progress == nil {
		return nil
	}
	return func(_ int, _ R, finished int) { progress(finished, total) }
}
