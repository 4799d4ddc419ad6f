package roster

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// OpenDocument spreadsheets (.ods, LibreOffice's and WPS's own format): a
// zip whose content.xml holds every sheet. It is read with encoding/xml as
// a stream into the same grid as .xls, with the same conventions: dates as
// their 1900 serial number, numbers as shown, every digit in the raw value.

// odsMaxColumns is LibreOffice's column limit; cells beyond it are dropped.
const odsMaxColumns = 16384

// openODS reads the spreadsheet of an OpenDocument zip (sniffed by
// openZip, which has already judged the declared sizes).
func openODS(zr *zip.Reader, m *meter) (source, error) {
	var content *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "mimetype":
			if m, err := readZipPart(f, 256); err == nil && !strings.Contains(string(m), "spreadsheet") {
				return nil, notWorkbook()
			}
		case "META-INF/manifest.xml":
			if m, err := readZipPart(f, 1<<20); err == nil && strings.Contains(string(m), "encryption-data") {
				return nil, encrypted()
			}
		case "content.xml":
			content = f
		}
	}
	if err := chargeODS(content, m); err != nil {
		return nil, err
	}
	rc, err := content.Open()
	if err != nil {
		return nil, corrupt()
	}
	defer rc.Close()
	src, err := readODSContent(io.LimitReader(rc, maxUnzipped), m)
	if err != nil {
		return nil, err
	}
	if src == nil {
		return nil, notWorkbook()
	}
	return src, nil
}

func readZipPart(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit))
}

// odsReader holds the state of one pass over content.xml.
type odsReader struct {
	hiddenStyles map[string]bool // table styles with display="false"
	style        string          // the style being read
	grids        []gridSheet
	cells        int
	row, col     int // 0-based position of the next row and cell
	rowRepeat    int
	current      []string
	rowRaw       map[int]string
	cell         *odsCell
	textDepth    int // inside text:p (1 or more)
	skipDepth    int // inside an annotation, whose text is no cell value
	m            *meter
}

// odsCell is the cell being read.
type odsCell struct {
	valueType, value, date, boolean string
	repeat                          int
	text                            strings.Builder
	paragraphs                      int
}

// readODSContent returns nil, nil when content.xml holds no spreadsheet.
func readODSContent(r io.Reader, m *meter) (source, error) {
	d := xml.NewDecoder(r)
	o := &odsReader{hiddenStyles: map[string]bool{}, m: m}
	spreadsheet := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, corrupt()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "spreadsheet" {
				spreadsheet = true
			}
			err = o.start(t)
		case xml.EndElement:
			err = o.end(t)
		case xml.CharData:
			if o.cell != nil && o.textDepth > 0 && o.skipDepth == 0 {
				o.cell.text.Write(t)
				err = m.charge(len(t))
			}
		}
		if err == nil {
			err = m.tick()
		}
		if err != nil {
			return nil, err
		}
	}
	if !spreadsheet {
		return nil, nil
	}
	return &gridSource{grids: o.grids}, nil
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// repeatOf reads a number-*-repeated attribute: at least 1, and at most
// past every limit, so that counting never overflows.
func repeatOf(e xml.StartElement, local string) int {
	n, err := strconv.Atoi(attr(e, local))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 2*maxSheetRows)
}

func (o *odsReader) start(e xml.StartElement) error {
	if o.skipDepth > 0 {
		o.skipDepth++
		return nil
	}
	switch e.Name.Local {
	case "style":
		o.style = attr(e, "name")
	case "table-properties":
		if attr(e, "display") == "false" {
			o.hiddenStyles[o.style] = true
		}
	case "table":
		o.grids = append(o.grids, gridSheet{info: sheetInfo{name: attr(e, "name"), hidden: o.hiddenStyles[attr(e, "style-name")]}})
		o.row = 0
	case "table-row":
		o.current, o.rowRaw, o.col = nil, nil, 0
		o.rowRepeat = repeatOf(e, "number-rows-repeated")
	case "table-cell", "covered-table-cell":
		o.cell = &odsCell{
			valueType: attr(e, "value-type"),
			value:     attr(e, "value"),
			date:      attr(e, "date-value"),
			boolean:   attr(e, "boolean-value"),
			repeat:    repeatOf(e, "number-columns-repeated"),
		}
	case "annotation":
		o.skipDepth = 1
	case "p":
		if o.cell != nil {
			if o.cell.paragraphs > 0 {
				o.cell.text.WriteByte('\n')
			}
			o.cell.paragraphs++
			o.textDepth++
		}
	case "s":
		if o.cell != nil && o.textDepth > 0 {
			n := min(repeatOf(e, "c"), 100)
			o.cell.text.WriteString(strings.Repeat(" ", n))
			return o.m.charge(n)
		}
	case "tab":
		if o.cell != nil && o.textDepth > 0 {
			o.cell.text.WriteByte('\t')
		}
	case "line-break":
		if o.cell != nil && o.textDepth > 0 {
			o.cell.text.WriteByte('\n')
		}
	}
	return nil
}

func (o *odsReader) end(e xml.EndElement) error {
	if o.skipDepth > 0 {
		o.skipDepth--
		return nil
	}
	switch e.Name.Local {
	case "p":
		if o.textDepth > 0 {
			o.textDepth--
		}
	case "table-cell", "covered-table-cell":
		if o.cell != nil {
			err := o.endCell()
			o.cell = nil
			return err
		}
	case "table-row":
		return o.endRow()
	}
	return nil
}

// endCell places the cell, repeated as the file says, in the current
// row; the meter is charged for the row's slice (the text is shared).
func (o *odsReader) endCell() error {
	c := o.cell
	text, raw := c.values()
	if text == "" {
		o.col += c.repeat
		return nil
	}
	for range c.repeat {
		if o.col >= odsMaxColumns || o.cells > maxGridCells {
			return nil
		}
		// A slice grown by appending holds up to twice its length, and
		// left its last smaller array behind.
		if err := o.m.charge(3 * stringCost * (max(o.col, len(o.current)) - len(o.current) + 1)); err != nil {
			return err
		}
		for len(o.current) < o.col {
			o.current = append(o.current, "")
		}
		o.current = append(o.current, text)
		if raw != text {
			if o.rowRaw == nil {
				o.rowRaw = map[int]string{}
			}
			o.rowRaw[o.col] = raw
		}
		o.col++
	}
	return nil
}

// endRow files the row, repeated as the file says; repeated blank rows
// (LibreOffice writes a million of them after the data) only advance.
func (o *odsReader) endRow() error {
	if len(o.grids) == 0 {
		return nil
	}
	g := &o.grids[len(o.grids)-1]
	if len(o.current) == 0 {
		o.row += o.rowRepeat
		return nil
	}
	for range o.rowRepeat {
		if o.row >= maxSheetRows {
			return tooManyRows(g.info.name)
		}
		if o.cells > maxGridCells {
			return tooManyCells()
		}
		// A repeated row shares its cells; it costs its place in the
		// sheet and its raw values.
		if err := o.m.charge(64 + 96*len(o.rowRaw)); err != nil {
			return err
		}
		o.row++
		g.rows = append(g.rows, gridRow{num: o.row, cells: o.current})
		for col, v := range o.rowRaw {
			if g.raw == nil {
				g.raw = map[[2]int]string{}
			}
			g.raw[[2]int{o.row, col}] = v
		}
		o.cells += len(o.current)
	}
	return nil
}

// values is what the cell reads as, formatted and raw, by the conventions
// of the .xlsx reader.
func (c *odsCell) values() (text, raw string) {
	shown := c.text.String()
	switch c.valueType {
	case "float", "percentage", "currency":
		v, err := strconv.ParseFloat(c.value, 64)
		if err != nil {
			return shown, shown
		}
		if shown == "" || isScientific(shown) || strings.ContainsAny(shown, "Ee") {
			shown = generalNumber(v)
		}
		return shown, rawNumber(v)
	case "date":
		if s, ok := serialOf(c.date); ok {
			return s, s
		}
	case "boolean":
		if c.boolean == "true" {
			return "TRUE", "TRUE"
		}
		return "FALSE", "FALSE"
	}
	return shown, shown
}

// serialOf turns an ISO date (2010-01-05 or 2010-01-05T08:00:00) into its
// serial number in Excel's 1900 system, as .xlsx dates read.
func serialOf(iso string) (string, bool) {
	if i := strings.IndexByte(iso, 'T'); i >= 0 {
		iso = iso[:i]
	}
	t, err := time.Parse("2006-01-02", iso)
	if err != nil {
		return "", false
	}
	days := t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
	return strconv.Itoa(int(days)), true
}
