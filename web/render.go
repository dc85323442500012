package web

import (
	"bytes"
	"html"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
)

// renderer turns scenario Markdown into sanitised HTML: goldmark (which drops raw HTML) then
// bluemonday's UGC policy, so that even a hostile scenario file cannot put a script on a
// participant's page. Renders of scenario injects are cached by their text. Safe for
// concurrent use.
type renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy

	mu    sync.Mutex
	cache map[string]string
}

// maxCached bounds the cache; scenario texts are few, ad-hoc ones are not cached.
const maxCached = 4096

func newRenderer() *renderer {
	return &renderer{md: goldmark.New(), policy: bluemonday.UGCPolicy(), cache: make(map[string]string)}
}

// HTML returns the sanitised HTML of Markdown src; cache says whether src is worth keeping
// (a scenario's text, delivered to many clients).
func (r *renderer) HTML(src string, cache bool) string {
	if src == "" {
		return ""
	}
	if cache {
		r.mu.Lock()
		out, ok := r.cache[src]
		r.mu.Unlock()
		if ok {
			return out
		}
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when writing to buf fails; show the text escaped instead.
		return "<p>" + html.EscapeString(src) + "</p>"
	}
	out := string(r.policy.SanitizeBytes(buf.Bytes()))
	if cache {
		r.mu.Lock()
		if len(r.cache) < maxCached {
			r.cache[src] = out
		}
		r.mu.Unlock()
	}
	return out
}
