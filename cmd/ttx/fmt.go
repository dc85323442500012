package main

import (
	"fmt"
	"io"
)

// runFmt is not built yet; its issue replaces this file.
func runFmt(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ttx fmt: not built yet")
	return 1
}
