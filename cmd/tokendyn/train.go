package main

import (
	"fmt"
	"io"
)

// runTrain is filled in by its issue; until then it says so and fails.
func runTrain(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tokendyn train: not implemented yet")
	return 1
}
