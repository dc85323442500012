package msel_test

import (
	"testing"
	"time"

	"github.com/ttx-dev/ttx/scenarios/msel"
)

// FuzzImportCSV imports arbitrary CSV against a bundled plan: whatever the bytes, the import
// ends with diagnostics or a scenario that loads beside its plan, never a panic.
func FuzzImportCSV(f *testing.F) {
	set := mustLibrary(f)
	f.Add(mustExport(f, set, "hospital-ransomware", "csv"))
	f.Add([]byte("Inject,Time,To,Channel,Decision,Options,Expected\nx,T+0:00,cyber_irt,email,d,\"a: A\nb: B\",c\n"))
	f.Add([]byte("Inject,After,To,Channel,Condition\ny,decision.z,gold,chat,!action.x.done\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, diags := msel.Import("fuzz.csv", data, msel.Options{Set: set, Plan: "st-aldrics-cyber-irp", Duration: 18 * time.Hour})
		if diags.HasErrors() {
			if text != nil {
				t.Fatalf("a scenario printed beside errors:\n%s", diags.Error())
			}
			return
		}
		mustLoadWithPlan(t, set, "st-aldrics-cyber-irp", text)
	})
}
