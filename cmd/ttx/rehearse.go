package main

import (
	"fmt"
	"io"
)

// runRehearse is not built yet; its issue replaces this file.
func runRehearse(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "ttx rehearse: not built yet")
	return 1
}
