package main

import (
	"fmt"
	"io"
)

// runReport is not built yet; its issue replaces this file.
func runReport(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ttx report: not built yet")
	return 1
}
