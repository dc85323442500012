// Command ttx is the tabletop-exercise engine: one binary that validates and formats
// scenarios, rehearses them headless, serves live exercises, and reports on them.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one subcommand: it parses its own flags from args and returns the exit code.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"serve":     {"run the server with the bundled scenarios on SQLite or PostgreSQL", runServe},
	"validate":  {"load scenario files or directories and print every problem", runValidate},
	"fmt":       {"rewrite scenario files in canonical HCL layout", runFmt},
	"rehearse":  {"play a scenario headless with scripted responses", runRehearse},
	"report":    {"print the after-action report of a stored exercise", runReport},
	"revise":    {"propose the next version of a plan from exercises' gaps", runRevise},
	"readiness": {"print a plan's readiness over its finished exercises", runReadiness},
	"msel":      {"export a scenario as an MSEL spreadsheet (XLSX, CSV) or import one", runMSEL},
}

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the ttx command line with args (without the program name) and returns the exit
// code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "ttx: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: ttx COMMAND [ARGS…]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-9s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun 'ttx COMMAND -h' for a command's flags.")
}
