package scoring

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"time"
)

// wordDoc builds a WordprocessingML document (ECMA-376, the .docx of Word and LibreOffice
// Writer) from paragraphs, tables and PNG images, and writes it as its zip package. It knows
// the few styles the AAR/IP uses, defined in wordStyles.
type wordDoc struct {
	body   strings.Builder
	images [][]byte // PNGs, word/media/imageN.png, related as rIdImgN
	title  string
}

// xmlEsc escapes text for XML character data and attribute values.
func xmlEsc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run is one span of text with its formatting.
type run struct {
	text string
	bold bool
}

// para adds a paragraph in style (wordStyles: "Title", "Subtitle", "Heading1", "Heading2",
// "Caption", "ListBullet" or "" for body text) of runs; new lines in a run become breaks.
func (d *wordDoc) para(style string, runs ...run) {
	d.body.WriteString("<w:p>")
	if style != "" {
		fmt.Fprintf(&d.body, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, style)
	}
	for _, r := range runs {
		writeRun(&d.body, r)
	}
	d.body.WriteString("</w:p>")
}

// text adds a body paragraph of plain text.
func (d *wordDoc) text(s string) { d.para("", run{text: s}) }

// bullet adds a bulleted paragraph.
func (d *wordDoc) bullet(runs ...run) { d.para("ListBullet", runs...) }

// bulletsOr writes a bullet a list of runs, or the one bullet none when there are none, so
// that an empty heading still says so.
func (d *wordDoc) bulletsOr(none string, bullets [][]run) {
	if len(bullets) == 0 {
		d.bullet(run{text: none})
	}
	for _, b := range bullets {
		d.bullet(b...)
	}
}

func writeRun(b *strings.Builder, r run) {
	b.WriteString("<w:r>")
	if r.bold {
		b.WriteString("<w:rPr><w:b/></w:rPr>")
	}
	for i, line := range strings.Split(r.text, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t>`, xmlEsc(line))
	}
	b.WriteString("</w:r>")
}

// pageBreak starts a new page.
func (d *wordDoc) pageBreak() { d.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`) }

// table adds a bordered table, its header row shaded and repeated on every page; widths are
// in twentieths of a point and may be nil.
func (d *wordDoc) table(header []string, rows [][]string, widths []int) {
	b := &d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid>`)
	for i := range header {
		w := 9000 / max(len(header), 1)
		if i < len(widths) {
			w = widths[i]
		}
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	d.row(header, true)
	for _, r := range rows {
		d.row(r, false)
	}
	b.WriteString(`</w:tbl>`)
	d.para("") // Word needs a paragraph between a table and what follows
}

func (d *wordDoc) row(cells []string, header bool) {
	b := &d.body
	b.WriteString("<w:tr>")
	if header {
		b.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
	}
	for _, c := range cells {
		b.WriteString("<w:tc>")
		if header {
			b.WriteString(`<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DDE4EE"/></w:tcPr>`)
		}
		b.WriteString("<w:p>")
		writeRun(b, run{text: c, bold: header})
		b.WriteString("</w:p></w:tc>")
	}
	b.WriteString("</w:tr>")
}

// image adds a PNG as an inline picture widthIn inches wide, in a paragraph of its own.
func (d *wordDoc) image(pngData []byte, widthPx, heightPx int, widthIn float64, alt string) {
	d.body.WriteString("<w:p>" + d.picture(pngData, widthPx, heightPx, widthIn, alt) + "</w:p>")
}

// picture is the run of an inline PNG widthIn inches wide, described by alt for readers that
// cannot see it.
func (d *wordDoc) picture(pngData []byte, widthPx, heightPx int, widthIn float64, alt string) string {
	d.images = append(d.images, pngData)
	n := len(d.images)
	const emuPerInch = 914400
	cx := int(widthIn * emuPerInch)
	cy := cx * heightPx / max(widthPx, 1)
	return fmt.Sprintf(`<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">`+
		`<wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Picture %d" descr="%s"/>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">`+
		`<pic:pic><pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rIdImg%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`,
		cx, cy, n, n, xmlEsc(alt), n, n, n, cx, cy)
}

// chartTable adds a bar chart as a table, a row a bar: its label, its bar (a picture), and its
// figures, so that each bar stands beside its label and value however the page is laid out.
func (d *wordDoc) chartTable(header [3]string, rows []chartRow) {
	b := &d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="4800"/><w:gridCol w:w="1800"/></w:tblGrid>`)
	d.row(header[:], true)
	for _, r := range rows {
		b.WriteString("<w:tr><w:tc><w:p>")
		writeRun(b, run{text: r.label})
		b.WriteString("</w:p></w:tc><w:tc><w:p>")
		b.WriteString(d.picture(r.bar, r.w, r.h, 3.2, r.label+": "+r.figure))
		b.WriteString("</w:p></w:tc><w:tc><w:p>")
		writeRun(b, run{text: r.figure})
		b.WriteString("</w:p></w:tc></w:tr>")
	}
	b.WriteString(`</w:tbl>`)
	d.para("")
}

// chartRow is one bar of a chartTable.
type chartRow struct {
	label, figure string
	bar           []byte // PNG
	w, h          int
}

// write writes the document's zip package.
func (d *wordDoc) write(w io.Writer, created time.Time) error {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	var rels strings.Builder
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	rels.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	for i := range d.images {
		fmt.Fprintf(&rels, `<Relationship Id="rIdImg%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, i+1, i+1)
	}
	rels.WriteString(`</Relationships>`)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", wordContentTypes},
		{"_rels/.rels", wordPackageRels},
		{"docProps/core.xml", fmt.Sprintf(wordCore, xmlEsc(d.title), created.UTC().Format(time.RFC3339))},
		{"word/_rels/document.xml.rels", rels.String()},
		{"word/styles.xml", wordStyles},
		{"word/document.xml", wordDocumentOpen + d.body.String() + wordDocumentClose},
	}
	for _, p := range parts {
		if err := zipPart(z, p.name, []byte(p.body), created); err != nil {
			return err
		}
	}
	for i, img := range d.images {
		if err := zipPart(z, fmt.Sprintf("word/media/image%d.png", i+1), img, created); err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// zipPart adds one part, stamped with the report's own time so that one report always gives
// the same bytes.
func zipPart(z *zip.Writer, name string, data []byte, modified time.Time) error {
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()})
	if err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("docx: %s: %w", name, err)
	}
	return nil
}

const wordContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`

const wordPackageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`

const wordCore = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>%s</dc:title><dc:creator>ttx</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created></cp:coreProperties>`

const wordDocumentOpen = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`

// The page: A4 with 2 cm margins.
const wordDocumentClose = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>`

const wordStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="21"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="100"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="2400" w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="52"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="32"/><w:color w:val="444444"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:color w:val="1F3864"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/><w:color w:val="1F3864"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:rPr><w:i/><w:sz w:val="18"/><w:color w:val="555555"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="360" w:hanging="240"/></w:pPr></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:left w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:right w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>`

// scoreBarPNG draws one score as the server's ScoreChart draws a bar, without its text: from
// 0 to 100 in its rating's colour over a grey track, with the M, S and P band lines at 50, 66
// and 80. Its label and figure stand beside it in the chart's table. It uses the standard
// library's image packages only: rasterising the SVG would need a renderer and fonts.
func scoreBarPNG(score float64) ([]byte, int, int) {
	const w, h, barH = 400, 22, 14
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, img.Bounds(), color.RGBA{255, 255, 255, 255})
	y := (h - barH) / 2
	fill(img, image.Rect(0, y, w, y+barH), color.RGBA{0xee, 0xee, 0xee, 255})
	fill(img, image.Rect(0, y, int(float64(w)*clamp(score, 0, 100)/100), y+barH), hexColour(ratingColours[Rating(score)]))
	for _, bl := range ratingBands {
		x := int(float64(w) * bl.from / 100)
		for y := 0; y < h; y += 4 {
			fill(img, image.Rect(x, y, x+1, min(y+2, h)), color.RGBA{0x33, 0x33, 0x33, 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // writing to memory cannot fail
	return buf.Bytes(), w, h
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// hexColour reads "#rrggbb".
func hexColour(s string) color.RGBA {
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color.RGBA{0x88, 0x88, 0x88, 255}
	}
	return color.RGBA{r, g, b, 255}
}
