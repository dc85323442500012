package msel_test

import (
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/require"

	"github.com/ttx-dev/ttx/scenarios"
)

// mustLoadWithPlan loads scenario text beside plan's block of set.
func mustLoadWithPlan(tb testing.TB, set *scenarios.Set, plan string, text []byte) *scenarios.Set {
	tb.Helper()
	p := set.Plans[plan]
	require.NotNil(tb, p, "plan %s", plan)
	f := set.Files[p.DeclRange.Filename]
	body := f.Body.(*hclsyntax.Body)
	var src []byte
	for _, b := range body.Blocks {
		if b.Type == "plan" && b.Labels[0] == plan {
			src = f.Bytes[b.Range().Start.Byte:b.Range().End.Byte]
		}
	}
	loaded, diags := scenarios.LoadFS(fstest.MapFS{
		"plan.hcl":     {Data: src},
		"scenario.hcl": {Data: text},
	})
	require.False(tb, diags.HasErrors(), "%s\n%s", diags.Error(), text)
	return loaded
}
