package main

import (
	"fmt"
	"io"
)

// runServe is not built yet; its issue replaces this file.
func runServe(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ttx serve: not built yet")
	return 1
}
