package scenarios

import (
	"embed"
	"io/fs"
)

//go:embed library
var library embed.FS

// Library returns the bundled plans and scenarios: the files of scenarios/library, built into
// the binary. Load them with LoadFS(Library()).
func Library() fs.FS {
	sub, err := fs.Sub(library, "library")
	if err != nil {
		// fs.Sub fails only for an invalid path; "library" is valid.
		panic(err)
	}
	return sub
}
