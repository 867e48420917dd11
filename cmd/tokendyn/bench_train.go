package main

import (
	"fmt"
	"io"
)

// benchTrain is filled in by its issue; until then it says so and fails.
func benchTrain(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tokendyn bench train: not implemented yet")
	return 1
}
