package msel_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
	"github.com/ttx-dev/ttx/scenarios/msel"
)

// TestImportV2 exports language.md's v2 example (scenarios/testdata/valid/v2: every v2 field
// an MSEL carries, after = decision among them, which no bundled scenario has) to XLSX,
// imports it, loads the import with the real loader beside its plan, and rehearses both to the
// same report. The import is written in language.md's v2 syntax.
func TestImportV2(t *testing.T) {
	set, diags := scenarios.LoadFS(os.DirFS("../testdata/valid/v2"))
	require.False(t, diags.HasErrors(), "%s", diags.Error())
	sc := set.Scenarios["hospital-ransomware"]
	require.NotNil(t, sc)
	back, text := mustImport(t, set, "v2.xlsx", mustExport(t, set, sc.Name, "xlsx"), msel.Options{Plan: sc.PlanName})
	assertSameObjectivesAndModules(t, sc, back)
	assertSameInjects(t, sc, back)
	rh := set.Rehearsals["slow-containment"]
	require.NotNil(t, rh)
	want, wantRes := rehearse(t, sc, rh)
	got, gotRes := rehearse(t, back, rh)
	assert.Equal(t, asJSON(t, want), asJSON(t, got))
	assert.Empty(t, wantRes.Errors)
	assert.Empty(t, gotRes.Errors)
	require.Len(t, got.Answers, 2, "a module's question and an inject's")

	for _, w := range []string{
		`objective "contain" {`,
		`capabilities = ["containment", "escalation"]`,
		"module \"crisis\" {\n    title = \"Module 2: the demand\"\n    at    = \"2h\"",
		"body     = <<-EOT\n      Two workstations on Ward 3 show a red screen asking for payment.\n    EOT",
		`notes    = "If asked: Ward 3 has 12 PCs, all on the clinical VLAN."`,
		`after   = decision.ransom`,
		`when    = decision.ransom.choice == "pay"`,
		`after     = action.contain_hosts`,
		`prompts = [action.notify_regulator]`,
		`decided_by = [team.cmt]`,
		"credit = {\n        refuse    = 1\n        negotiate = 0.5\n      }",
	} {
		assert.Contains(t, string(text), w)
	}
	assert.Less(t, strings.Index(string(text), `inject "payment-wallet"`), strings.Index(string(text), `inject "regulator-calls"`), "injects in # order")
}
