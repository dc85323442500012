package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/ttx-dev/ttx/scenarios"
)

// runFmt is `ttx fmt [-check] [-diff] [PATH…]`: rewrite scenario files in the canonical layout
// terraform fmt gives HCL. It names each file it changes; -check writes nothing and exits 1 if
// any file would change; -diff also prints what changes. A file that does not parse is left
// alone, its diagnostics printed, and the exit code is 2.
func runFmt(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("ttx fmt", flag.ContinueOnError)
	flags.SetOutput(stderr)
	check := flags.Bool("check", false, "write nothing; list the files that are not formatted and exit 1 if there are any")
	diff := flags.Bool("diff", false, "print a unified diff of each change")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: ttx fmt [-check] [-diff] [PATH…]\n\n"+
			"Rewrites scenario files in canonical HCL layout, as terraform fmt does, and names each\n"+
			"file it changes. Directories (the default is .) are walked for *.hcl, skipping testdata\n"+
			"and hidden directories.")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	paths := flags.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, diags := scenarios.FindFiles(paths...)
	writeDiagnostics(stderr, nil, diags)
	if diags.HasErrors() {
		return 2
	}
	syntaxErrors, changed := false, false
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "ttx fmt: %v\n", err)
			syntaxErrors = true
			continue
		}
		// Like terraform fmt, refuse to lay out what does not parse: the result could be far
		// from what the author meant and hard to undo.
		file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			writeDiagnostics(stderr, map[string]*hcl.File{name: file}, diags)
			syntaxErrors = true
			continue
		}
		out := scenarios.Format(src)
		if string(out) == string(src) {
			continue
		}
		changed = true
		fmt.Fprintln(stdout, name)
		if *diff {
			slashed := strings.TrimPrefix(filepath.ToSlash(name), "/")
			stdout.Write(scenarios.UnifiedDiff("old/"+slashed, "new/"+slashed, src, out))
		}
		if !*check {
			info, err := os.Stat(name)
			if err == nil {
				err = writeFileAtomic(name, out, info.Mode().Perm())
			}
			if err != nil {
				fmt.Fprintf(stderr, "ttx fmt: write %s: %v\n", name, err)
				syntaxErrors = true
			}
		}
	}
	switch {
	case syntaxErrors:
		return 2
	case *check && changed:
		return 1
	}
	return 0
}
