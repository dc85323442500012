package web

import (
	"bytes"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
	"github.com/ttx-dev/ttx/scenarios/msel"
)

// mselRoutes adds the MSEL download of an exercise's scenario, for its facilitator and the
// admin (design/interop.md).
func (s *Server) mselRoutes(api *gin.RouterGroup) {
	api.GET("/exercises/:id/msel", s.may(facilitator.ActMSEL), s.mselDownload)
}

// mselTypes are the media types of the MSEL formats.
var mselTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
}

// mselDownload is GET /api/exercises/:id/msel?format=xlsx|csv (default xlsx): the MSEL of
// the scenario the exercise runs, as an attachment "ttx-SCENARIO-msel.xlsx".
func (s *Server) mselDownload(c *gin.Context) {
	if err := onlyQuery(c, "format"); err != nil {
		s.fail(c, err)
		return
	}
	format := c.DefaultQuery("format", "xlsx")
	ctype, ok := mselTypes[format]
	if !ok {
		s.fail(c, invalid("format: unknown MSEL format %q; choose xlsx or csv", truncate(format)))
		return
	}
	x, ok := s.exercise(c)
	if !ok {
		return
	}
	set, err := facilitator.SetFromSources(x.Record())
	if err != nil {
		s.fail(c, engine.Errorf(engine.EInternal, "msel: %v", err))
		return
	}
	wb := msel.Export(set.Scenarios[x.ScenarioName], set.Files)
	var buf bytes.Buffer
	if format == "csv" {
		err = msel.WriteCSV(&buf, wb)
	} else {
		err = msel.WriteXLSX(&buf, wb)
	}
	if err != nil {
		s.fail(c, engine.Errorf(engine.EInternal, "msel: %v", err))
		return
	}
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "ttx-" + x.ScenarioName + "-msel." + format}))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, ctype, buf.Bytes())
}
