package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSoakPasses runs a short soak: twenty clients that drop their connections every second
// or so. It must pass its own checks and print the table.
func TestSoakPasses(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"-duration", "4s", "-clients", "20", "-every", "1s", "-join", "500ms",
		"-think", "200ms", "-lifetime", "1s", "-offline", "100ms", "-seed", "7"}, &out, &errb)
	assert.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out.String(), errb.String())
	assert.Contains(t, out.String(), "heap in use MiB")
	assert.Contains(t, out.String(), "each stored once")
	assert.True(t, strings.HasSuffix(out.String(), "PASS\n"), "%s", out.String())
}

func TestSoakRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-clients", "0"}, {"-duration", "-1s"}, {"extra"}, {"-speed"}} {
		var out, errb bytes.Buffer
		assert.Equal(t, 2, run(args, &out, &errb), "%v", args)
		assert.NotEmpty(t, errb.String(), "%v", args)
	}
}
