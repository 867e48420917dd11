package main

import (
	"fmt"
	"io"
)

// benchScan is filled in by its issue; until then it says so and fails.
func benchScan(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "tokendyn bench scan: not implemented yet")
	return 1
}
