package main

import (
	"fmt"
	"io"
)

// runValidate is not built yet; its issue replaces this file.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ttx validate: not built yet")
	return 1
}
