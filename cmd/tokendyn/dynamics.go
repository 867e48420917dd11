package main

import (
	"fmt"
	"io"
)

// runDynamics is filled in by its issue; until then it says so and fails.
func runDynamics(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tokendyn dynamics: not implemented yet")
	return 1
}
