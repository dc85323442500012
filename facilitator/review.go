package facilitator

import (
	"github.com/ttx-dev/ttx/engine"
)

// Reviewing reaches across exercises. protocol.md gives the reviewer role as "the exercise's
// reviewer token, or admin", and a continuity manager owns a plan, not one exercise: to find
// last quarter's exercises and a plan's readiness with only a reviewer token, the reviewer
// of exercise X may read every finished exercise of X's plan (its reports, the plan's
// readiness and revisions), besides X itself at any time. The admin may read everything.

// Ended reports whether exercise x has ended.
func (x *Listed) Ended() bool { return engine.HasEnded(x.Snapshot().Status) }
