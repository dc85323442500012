package scenarios

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns src in canonical HCL layout: hclwrite's formatter, the one terraform fmt uses,
// plus the two general rewrites terraform fmt makes before it, so that the result is what
// `terraform fmt` would write for the same text: a value that is a single interpolation
// ("${x}") is unwrapped to x, and block labels are written as quoted strings. Source that does
// not parse is only re-laid out by hclwrite; check syntax before formatting (ttx fmt does).
func Format(src []byte) []byte {
	f, diags := hclwrite.ParseConfig(src, "", hcl.InitialPos)
	if diags.HasErrors() {
		return hclwrite.Format(src)
	}
	tidyBody(f.Body())
	return f.Bytes()
}

func tidyBody(body *hclwrite.Body) {
	for name, attr := range body.Attributes() {
		body.SetAttributeRaw(name, unwrapInterpolation(attr.Expr().BuildTokens(nil)))
	}
	for _, block := range body.Blocks() {
		block.SetLabels(block.Labels())
		tidyBody(block.Body())
	}
}

// unwrapInterpolation turns the tokens of "${EXPR}" into those of EXPR, when the quoted string
// holds that one interpolation and nothing else; other tokens are returned as they are.
func unwrapInterpolation(tokens hclwrite.Tokens) hclwrite.Tokens {
	n := len(tokens)
	if n < 5 ||
		tokens[0].Type != hclsyntax.TokenOQuote || tokens[1].Type != hclsyntax.TokenTemplateInterp ||
		tokens[n-2].Type != hclsyntax.TokenTemplateSeqEnd || tokens[n-1].Type != hclsyntax.TokenCQuote {
		return tokens
	}
	inner := tokens[2 : n-2]
	depth := 0 // quoted strings nested inside the interpolation may hold their own templates
	for _, t := range inner {
		switch {
		case t.Type == hclsyntax.TokenOQuote:
			depth++
		case t.Type == hclsyntax.TokenCQuote:
			depth--
		case depth > 0:
		case t.Type == hclsyntax.TokenTemplateInterp, t.Type == hclsyntax.TokenTemplateSeqEnd,
			t.Type == hclsyntax.TokenQuotedLit:
			return tokens // "${a}${b}" or "${a} text": a real template
		}
	}
	for len(inner) > 0 && inner[0].Type == hclsyntax.TokenNewline {
		inner = inner[1:]
	}
	for len(inner) > 0 && inner[len(inner)-1].Type == hclsyntax.TokenNewline {
		inner = inner[:len(inner)-1]
	}
	multiline, parenthesised := false, len(inner) > 0 &&
		inner[0].Type == hclsyntax.TokenOParen && inner[len(inner)-1].Type == hclsyntax.TokenCParen
	for _, t := range inner {
		if t.Type == hclsyntax.TokenNewline {
			multiline = true
		}
	}
	if multiline && !parenthesised {
		// An expression over several lines parses as an attribute value only in parentheses.
		wrapped := make(hclwrite.Tokens, 0, len(inner)+2)
		wrapped = append(wrapped, &hclwrite.Token{Type: hclsyntax.TokenOParen, Bytes: []byte("(")})
		wrapped = append(wrapped, inner...)
		return append(wrapped, &hclwrite.Token{Type: hclsyntax.TokenCParen, Bytes: []byte(")")})
	}
	return inner
}
