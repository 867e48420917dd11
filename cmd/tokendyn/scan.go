package main

import (
	"fmt"
	"io"
)

// runScan is filled in by its issue; until then it says so and fails.
func runScan(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tokendyn scan: not implemented yet")
	return 1
}
