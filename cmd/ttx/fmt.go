package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
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
			"Rewrites scenario files (directories are walked for *.hcl; the default is .) in\n"+
			"canonical HCL layout, as terraform fmt does, and names each file it changes.")
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
	files, err := hclFiles(paths)
	if err != nil {
		fmt.Fprintf(stderr, "ttx fmt: %v\n", err)
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
				err = os.WriteFile(name, out, info.Mode().Perm())
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

// hclFiles lists the files named and the *.hcl files under the directories named, each
// directory in lexical order.
func hclFiles(paths []string) ([]string, error) {
	var files []string
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("no file or directory at %s", root)
		}
		if !info.IsDir() {
			files = append(files, root)
			continue
		}
		err = filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(name, ".hcl") {
				files = append(files, name)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}
