package facilitator

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/scenarios"
)

// sourcesOf returns the HCL text of exactly the files the exercise of sc needs to be loaded
// again: sc's file and its plan's, and then, since a file is loaded whole, the plan of every
// other scenario in a file taken and the scenario of every rehearsal in one, until nothing
// more is needed. Each is keyed by sourceKey, which no two files share.
func (m *Manager) sourcesOf(sc *scenarios.Scenario) (map[string]string, error) {
	need := map[string]bool{}
	var queue []string
	add := func(name string) {
		if !need[name] {
			need[name] = true
			queue = append(queue, name)
		}
	}
	add(sc.DeclRange.Filename)
	add(sc.Plan.DeclRange.Filename)
	for len(queue) > 0 {
		file := queue[0]
		queue = queue[1:]
		for _, other := range m.lib.Scenarios {
			if other.DeclRange.Filename == file && other.Plan != nil {
				add(other.Plan.DeclRange.Filename)
			}
		}
		for _, r := range m.lib.Rehearsals {
			if r.DeclRange.Filename != file {
				continue
			}
			if played, ok := m.lib.Scenarios[r.ScenarioName]; ok {
				add(played.DeclRange.Filename)
			}
		}
	}
	sources := make(map[string]string, len(need))
	for name := range need {
		f, ok := m.lib.Files[name]
		if !ok {
			return nil, fmt.Errorf("the source of scenario %s is not in the library (file %q)", sc.Name, name)
		}
		key := sourceKey(name)
		if _, dup := sources[key]; dup {
			return nil, fmt.Errorf("two sources of scenario %s are both stored as %q", sc.Name, key)
		}
		sources[key] = string(f.Bytes)
	}
	return sources, nil
}

// sourceKey turns a file name as loaded (maybe absolute, maybe with OS separators, maybe
// reaching up with "..") into a valid fs.FS path that still says where the file came from.
// The mapping is one to one, so that two files never share a key: "%" is escaped as "%25",
// a ".." element becomes "%2E%2E", and an absolute name starts with a "%2F" element.
func sourceKey(name string) string {
	clean := filepath.ToSlash(filepath.Clean(name))
	absolute := strings.HasPrefix(clean, "/")
	var elems []string
	if absolute {
		elems = append(elems, "%2F")
	}
	for _, e := range strings.Split(strings.Trim(clean, "/"), "/") {
		switch e {
		case "", ".":
			continue
		case "..":
			elems = append(elems, "%2E%2E")
		default:
			elems = append(elems, strings.ReplaceAll(e, "%", "%25"))
		}
	}
	if len(elems) == 0 {
		return "source.hcl"
	}
	return path.Join(elems...)
}

// ScenarioFromSources loads the scenario of rec from the HCL text stored with it, so that an
// exercise always replays exactly the scenario it ran.
func ScenarioFromSources(rec engine.ExerciseRecord) (*scenarios.Scenario, error) {
	set, err := SetFromSources(rec)
	if err != nil {
		return nil, err
	}
	return set.Scenarios[rec.Scenario], nil
}

// SetFromSources loads the HCL text stored with rec, which holds its scenario: the set keeps
// the parsed files, for tools that copy expressions as written (the MSEL export).
func SetFromSources(rec engine.ExerciseRecord) (*scenarios.Set, error) {
	fsys := fstest.MapFS{}
	paths := make([]string, 0, len(rec.Sources))
	for name, text := range rec.Sources {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
		paths = append(paths, name)
	}
	sort.Strings(paths)
	set, diags := scenarios.LoadFS(fsys, paths...)
	if diags.HasErrors() {
		return nil, fmt.Errorf("load the stored sources of scenario %s: %s", rec.Scenario, diags.Error())
	}
	if _, ok := set.Scenarios[rec.Scenario]; !ok {
		return nil, fmt.Errorf("the stored sources hold no scenario %q", rec.Scenario)
	}
	return set, nil
}
