package web_test

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/ttx-dev/ttx/scenarios/msel"
)

// TestMSELDownload: the facilitator downloads the MSEL of the exercise's scenario as XLSX (by
// default) and CSV, the cells those of msel.Export; an unknown format is refused naming both.
func TestMSELDownload(t *testing.T) {
	e := newEnv(t)
	x := e.mustCreate()
	base := "/api/exercises/" + x.ID + "/msel"
	want := msel.Export(e.lib.Scenarios["test-scenario"], e.lib.Files)

	r := e.request("GET", base, x.FacilitatorToken, nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", r.header.Get("Content-Type"))
	_, params, err := mime.ParseMediaType(r.header.Get("Content-Disposition"))
	require.NoError(t, err)
	assert.Equal(t, "ttx-test-scenario-msel.xlsx", params["filename"])
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(msel.SheetMSEL)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	assert.Equal(t, msel.Headers(), rows[0])
	assert.Len(t, rows, len(want.MSEL))

	r = e.request("GET", base+"?format=csv", testAdmin, nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/csv"))
	assert.True(t, strings.HasPrefix(string(r.body), strings.Join(msel.Headers(), ",")+"\n"))

	r = e.request("GET", base+"?format=ods", x.FacilitatorToken, nil)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.errorText(), "choose xlsx or csv")
}

// TestReportDOCX: the reviewer's Word download is a DOCX package.
func TestReportDOCX(t *testing.T) {
	e := newEnv(t)
	x := e.mustStart()
	r := e.request("GET", "/api/exercises/"+x.ID+"/report?format=docx", x.ReviewerToken, nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", r.header.Get("Content-Type"))
	assert.True(t, bytes.HasPrefix(r.body, []byte("PK")), "a zip package")
}
