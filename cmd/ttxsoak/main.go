// Command ttxsoak plays a long exercise at high speed against a real ttx server in this
// process, with hundreds of WebSocket participants that join, act, drop their connections and
// reconnect at random (seeded), for a set time. Every few seconds it prints a row: clients
// connected, messages sent and acked, reconnects, events in the log, the heap in use and the
// goroutines. At the end every client finishes what it sent, the facilitator pauses, and
// ttxsoak checks that
//
//   - every acked response is in the log exactly once, under the seq it was acked with, and
//     nothing that was not acked is;
//   - the log in memory is the log on disk;
//   - every client's feed, across all its reconnections, is exactly the log filtered to its
//     team: no gap, no duplicate;
//   - once the clients have left, the goroutines are back to where they were before they came.
//
// It exits 1 when a check fails, 2 on bad flags. `make soak` runs it.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags set.
type config struct {
	duration time.Duration
	clients  int
	seed     uint64
	speed    float64
	every    time.Duration
	join     time.Duration
	client   clientConfig
	slack    int
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ttxsoak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.DurationVar(&cfg.duration, "duration", 2*time.Minute, "how long the clients play before the checks")
	fs.IntVar(&cfg.clients, "clients", 300, "how many WebSocket participants")
	fs.Uint64Var(&cfg.seed, "seed", 0, "random seed of the clients' behaviour (0: from the time; printed)")
	fs.Float64Var(&cfg.speed, "speed", 300, "the exercise's speed, simulated seconds per real second")
	fs.DurationVar(&cfg.every, "every", 5*time.Second, "how often to print a row of the table")
	fs.DurationVar(&cfg.join, "join", 10*time.Second, "the clients join at random within this time")
	fs.DurationVar(&cfg.client.think, "think", 2*time.Second, "mean time between two messages of a client")
	fs.DurationVar(&cfg.client.lifetime, "lifetime", 20*time.Second, "mean time a connection lives before it drops")
	fs.DurationVar(&cfg.client.offline, "offline", time.Second, "mean time a client stays away after a drop")
	fs.IntVar(&cfg.slack, "slack", 5, "goroutines above the starting level still counted as back to it")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "ttxsoak: unexpected argument %q\n", fs.Arg(0))
		return 2
	case cfg.clients < 1 || cfg.duration <= 0 || cfg.every <= 0 || cfg.client.think <= 0 ||
		cfg.client.lifetime <= 0 || cfg.client.offline <= 0 || cfg.join < 0:
		fmt.Fprintln(stderr, "ttxsoak: -clients, -duration, -every, -think, -lifetime and -offline must be positive")
		return 2
	}
	if cfg.seed == 0 {
		cfg.seed = uint64(time.Now().UnixNano())
	}
	problems, err := soak(cfg, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "ttxsoak: %v\n", err)
		return 1
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stdout, "FAIL: %s\n", p)
		}
		return 1
	}
	fmt.Fprintln(stdout, "PASS")
	return 0
}
