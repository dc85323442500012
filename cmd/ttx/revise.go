package main

import (
	"fmt"
	"io"
)

// runRevise is not built yet; its issue replaces this file.
func runRevise(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ttx revise: not built yet")
	return 1
}
