package main

import (
	"fmt"
	"io"
)

// runFigures is filled in by its issue; until then it says so and fails.
func runFigures(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tokendyn figures: not implemented yet")
	return 1
}
