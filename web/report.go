package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scoring"
)

// reportRoutes adds the reviewers' endpoints: an exercise's report and a plan's readiness.
func (s *Server) reportRoutes(api *gin.RouterGroup) {
	api.GET("/exercises/:id/report", s.may(facilitator.ActReport), s.report)
	api.GET("/plans/:name/readiness", s.may(facilitator.ActReviewPlan), s.planKnownOr404, s.readiness)
}

// onlyQuery refuses query parameters other than allowed, naming the first one.
func onlyQuery(c *gin.Context, allowed ...string) error {
	for _, k := range slices.Sorted(maps.Keys(c.Request.URL.Query())) {
		if slices.Contains(allowed, k) {
			continue
		}
		takes := "none"
		if len(allowed) > 0 {
			takes = strings.Join(allowed, ", ")
		}
		return invalid("unknown query parameter %q; this endpoint takes %s", truncate(k), takes)
	}
	return nil
}

// report is GET /api/exercises/:id/report?format=json|md|html|csv|csv-timeline (default json)
// [&table=items|timeline] [&download=1] (reportFormat).
func (s *Server) report(c *gin.Context) {
	if err := onlyQuery(c, "format", "table", "download"); err != nil {
		s.fail(c, err)
		return
	}
	format, download, err := reportFormat(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctype, ok := scoring.ContentTypes[format]
	if !ok {
		s.fail(c, invalid("format: unknown report format %q; choose one of %s (or markdown)", truncate(format),
			strings.Join(slices.Sorted(maps.Keys(scoring.ContentTypes)), ", ")))
		return
	}
	body, x, err := s.kept(c.Param("id"), keptReport(format), func(x *facilitator.Listed) ([]byte, error) {
		return s.renderReport(x, format)
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	if format == "html" {
		// A self-contained page: its own inline styles and images, no scripts at all.
		c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
	}
	if download {
		c.Header("Content-Disposition", reportAttachment(x, format))
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, ctype, body)
}

// renderReport writes x's report in format; an ended exercise's is rendered once for each
// length of its log.
func (s *Server) renderReport(x *facilitator.Listed, format string) ([]byte, error) {
	r, key := s.scored(x)
	render := func() (any, error) {
		var buf bytes.Buffer
		if err := scoring.Write(&buf, r, format); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	var b any
	var err error
	if key == "" {
		b, err = render()
	} else {
		b, err = s.memo.get(memoKey("report", key, format), func() (any, error) {
			b, err := render()
			if err == nil {
				s.keep(x, key, keptReport(format), b.([]byte))
			}
			return b, err
		})
	}
	if err != nil {
		return nil, err
	}
	return b.([]byte), nil
}

// readiness is GET /api/plans/:name/readiness?format=json|svg[&include=rehearsals,training]:
// the scores of the finished exercises of the plan that readiness counts, oldest first
// (scoring.Trend). Who may ask is reviewsPlan's rule.
func (s *Server) readiness(c *gin.Context) {
	if err := onlyQuery(c, "format", "include"); err != nil {
		s.fail(c, err)
		return
	}
	opts, err := scoring.ParseInclude(c.Query("include"))
	if err != nil {
		s.fail(c, err)
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "svg" {
		s.fail(c, invalid("format: unknown readiness format %q; choose json or svg", truncate(format)))
		return
	}
	plan := c.Param("name")
	body, err := s.readinessOf(plan, opts, format)
	if err != nil {
		s.fail(c, err)
		return
	}
	if format == "svg" {
		c.Header("X-Content-Type-Options", "nosniff")
		c.Data(http.StatusOK, "image/svg+xml", body)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// readinessOf returns plan's readiness in format (json or svg) over its ended exercises,
// computed once for each set of their logs: the key names every exercise and the seq of its
// last event, so that an exercise ending, or an event of a hot wash, makes a new entry.
func (s *Server) readinessOf(plan string, opts scoring.ReadinessOptions, format string) ([]byte, error) {
	var ended []facilitator.Filed
	logs := sha256.New()
	for _, x := range s.m.Filed() {
		if x.Plan == plan && x.Ended {
			ended = append(ended, x)
			fmt.Fprintf(logs, "%s@%d\n", x.ID, x.LastSeq)
		}
	}
	key := memoKey("readiness", plan, strconv.FormatBool(opts.Rehearsals), strconv.FormatBool(opts.Training), format,
		hex.EncodeToString(logs.Sum(nil)))
	v, err := s.memo.get(key, func() (any, error) {
		var rows []scoring.ReadinessRow
		kept := s.m.KeptAll(keptRow)
		for _, x := range ended {
			r, err := s.rowOf(x, kept)
			if err != nil {
				continue // it could not be restored: GET /api/exercises says why
			}
			rows = append(rows, r)
		}
		trend := scoring.ReadinessOfRows(plan, rows, opts)
		if format == "svg" {
			return []byte(scoring.ReadinessChart(trend)), nil
		}
		return json.Marshal(trend)
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}
