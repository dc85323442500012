//go:build race

package main_test

// raceEnabled says this test binary runs with the race detector, so the crash test builds the
// server with it too: its packages are already compiled that way, and races in the server
// under SIGKILL and reconnections are reported.
const raceEnabled = true
