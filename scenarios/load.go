package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

var topSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "plan", LabelNames: []string{"name"}},
		{Type: "scenario", LabelNames: []string{"name"}},
		{Type: "rehearsal", LabelNames: []string{"name"}},
	},
}

// Load reads the given files and directories from disk (see FindFiles), and checks every rule
// of the language. The diagnostics hold every problem found, errors and warnings, in file
// order; the Set holds what could be decoded and is usable only when the diagnostics have no
// error. Set.Files always holds the parsed files, for printing the diagnostics with their
// source.
func Load(paths ...string) (*Set, hcl.Diagnostics) {
	files, diags := FindFiles(paths...)
	p := problems{diags: diags}
	return load(files, os.ReadFile, &p)
}

// FindFiles lists the files named in paths, and the *.hcl files under the directories named,
// each walked in lexical order so that output is deterministic. Below a directory named, it
// skips testdata and hidden directories, as the go tool does. A path that cannot be read, or a
// directory with no *.hcl file, gives a diagnostic.
func FindFiles(paths ...string) ([]string, hcl.Diagnostics) {
	return findFiles(paths, os.Stat, filepath.WalkDir, filepath.Clean)
}

// skipDir tells whether a directory found while walking holds no scenarios to load: test
// fixtures, which are often invalid on purpose, and hidden directories such as .git.
func skipDir(name string) bool {
	return name == "testdata" || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// LoadFS is Load over fsys, with paths as fs.FS paths (slash-separated, unrooted), found as
// FindFiles finds them. With no paths it loads every *.hcl file in fsys.
func LoadFS(fsys fs.FS, paths ...string) (*Set, hcl.Diagnostics) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, diags := findFiles(paths,
		func(name string) (fs.FileInfo, error) { return fs.Stat(fsys, name) },
		func(root string, fn fs.WalkDirFunc) error { return fs.WalkDir(fsys, root, fn) },
		path.Clean)
	p := problems{diags: diags}
	return load(files, func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) }, &p)
}

// findFiles is FindFiles over any file system: stat and walk read it, and clean gives the
// form of a name under which a file named twice is listed once.
func findFiles(paths []string, stat func(string) (fs.FileInfo, error),
	walk func(string, fs.WalkDirFunc) error, clean func(string) string) ([]string, hcl.Diagnostics) {
	var files []string
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	addFile := func(name string) {
		if c := clean(name); !seen[c] {
			seen[c] = true
			files = append(files, name)
		}
	}
	for _, root := range paths {
		info, err := stat(root)
		if err != nil {
			diags = append(diags, readError(root, err))
			continue
		}
		if !info.IsDir() {
			addFile(root)
			continue
		}
		before := len(files)
		err = walk(root, func(name string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				diags = append(diags, readError(name, err))
			case d.IsDir() && name != root && skipDir(d.Name()):
				return fs.SkipDir
			case !d.IsDir() && strings.HasSuffix(name, ".hcl"):
				addFile(name)
			}
			return nil
		})
		if err != nil {
			diags = append(diags, readError(root, err))
		}
		if len(files) == before {
			diags = append(diags, emptyDir(root))
		}
	}
	return files, diags
}

func readError(name string, err error) *hcl.Diagnostic {
	detail := fmt.Sprintf("%s. Check the path.", err)
	if errors.Is(err, fs.ErrNotExist) {
		detail = fmt.Sprintf("There is no file or directory %q. Check the path.", name)
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read " + name, Detail: detail}
}

// emptyDir warns of a directory with no scenario file, which is most often a wrong path.
func emptyDir(dir string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "No scenario files in " + dir,
		Detail:   "The directory holds no *.hcl file, so nothing was loaded from it. Check the path.",
	}
}

// load parses files in the given order and decodes them in three passes: every plan and every
// scenario and rehearsal on its own, then scenarios against their plans, then rehearsals
// against their scenarios, since any of them may be defined in another file.
func load(files []string, read func(string) ([]byte, error), p *problems) (*Set, hcl.Diagnostics) {
	parser := hclparse.NewParser()
	set := &Set{
		Plans:      map[string]*Plan{},
		Scenarios:  map[string]*Scenario{},
		Rehearsals: map[string]*Rehearsal{},
	}
	plans := map[string]*planIndex{}
	scenarios := map[string]*scenarioDraft{}
	var scenarioOrder []*scenarioDraft
	var rehearsals []*rehearsalDraft
	rehearsalRanges := map[string]hcl.Range{}

	for _, name := range files {
		src, err := read(name)
		if err != nil {
			p.add(readError(name, err))
			continue
		}
		file, diags := parser.ParseHCL(src, name)
		p.add(diags...)
		if file == nil || file.Body == nil {
			continue
		}
		content, diags := file.Body.Content(topSchema)
		p.add(diags...)
		for _, b := range content.Blocks {
			switch b.Type {
			case "plan":
				plan, ix := p.decodePlan(b)
				if first, dup := plans[plan.Name]; dup {
					p.duplicate("plan", plan.Name, b.LabelRanges[0], first.plan.DeclRange)
					continue
				}
				plans[plan.Name] = ix
				set.Plans[plan.Name] = plan
			case "scenario":
				d := p.decodeScenario(b)
				if first, dup := scenarios[d.scenario.Name]; dup {
					p.duplicate("scenario", d.scenario.Name, b.LabelRanges[0], first.scenario.DeclRange)
					continue
				}
				scenarios[d.scenario.Name] = d
				scenarioOrder = append(scenarioOrder, d)
				set.Scenarios[d.scenario.Name] = d.scenario
			case "rehearsal":
				d := p.decodeRehearsal(b)
				if first, dup := rehearsalRanges[d.rehearsal.Name]; dup {
					p.duplicate("rehearsal", d.rehearsal.Name, b.LabelRanges[0], first)
					continue
				}
				rehearsalRanges[d.rehearsal.Name] = d.rehearsal.DeclRange
				rehearsals = append(rehearsals, d)
				set.Rehearsals[d.rehearsal.Name] = d.rehearsal
			}
		}
	}
	for _, d := range scenarioOrder {
		p.resolveScenario(d, plans)
	}
	for _, d := range rehearsals {
		p.resolveRehearsal(d, scenarios)
	}
	set.Files = parser.Files()
	return set, p.sorted()
}

// sortedNames returns a map's keys in order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
