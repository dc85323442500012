package web

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"
)

// staticFiles holds the pages, scripts and styles, served from the binary: no CDN, nothing
// fetched at run time.
//
//go:embed static
var staticFiles embed.FS

// pages maps the page routes of the web contract to their files.
var pages = map[string]string{
	"/":         "index.html",
	"/play":     "play.html",
	"/console":  "console.html",
	"/review":   "review.html",
	"/evaluate": "evaluator.html",
}

func (s *Server) staticRoutes(r *gin.Engine) {
	for route, file := range pages {
		r.GET(route, s.servePage(file))
	}
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	files := http.StripPrefix("/static", http.FileServerFS(sub))
	r.GET("/static/*path", func(c *gin.Context) {
		setPageHeaders(c)
		files.ServeHTTP(c.Writer, c.Request)
	})
}

// servePage serves one page of web/static with the pages' headers.
func (s *Server) servePage(file string) gin.HandlerFunc {
	return func(c *gin.Context) {
		page, err := fs.ReadFile(staticFiles, "static/"+file)
		if err != nil {
			s.fail(c, fmt.Errorf("read page %s: %w", file, err))
			return
		}
		setPageHeaders(c)
		c.Data(http.StatusOK, "text/html; charset=utf-8", page)
	}
}

// setPageHeaders keeps pages from being framed or sniffed and forbids any script or style
// that is not the server's own: the pages insert participant text as text, and this is the
// second line of defence.
func setPageHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}
