//go:build !race

package main_test

// raceEnabled says this test binary runs with the race detector (see crashrace_test.go).
const raceEnabled = false
