package roster

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
)

// What a zipped workbook costs before it is read. excelize reads an .xlsx
// whole on opening: it keeps every part in memory (parts bigger than
// xlsxPartInMemory go to temporary files and are streamed: worksheets
// row by row, the shared strings through an index of one entry per
// string), and it parses the workbook, the styles, the shared strings and
// the relationships into a struct per element. A shared strings part of
// one-letter strings costs it some 400 bytes for each 18 bytes of XML, so
// a 40 KB upload could hold 350 MB: the meter is charged from the parts
// themselves, their bytes and their elements (counted by decompressing
// them once, without keeping anything), before excelize sees them.
//
// The .ods reader streams content.xml, but the XML decoder holds a whole
// tag at once, attributes included: the longest tag is charged.

const (
	// xlsxPartInMemory is the part size above which excelize streams a
	// part from a temporary file.
	xlsxPartInMemory = 1 << 20
	// elementCost is what excelize holds per element of a part it parses
	// whole; indexCost per shared string of a streamed table.
	elementCost = 512
	indexCost   = 64
)

// chargeXLSX charges the meter for what excelize will hold of the
// workbook zr, and checks every part whole first: excelize ignores a part
// that fails its checksum or ends early (it reads what inflates), and
// stops a worksheet at the first XML it cannot read, so that a damaged
// part would read as a sheet with its last rows missing.
func chargeXLSX(zr *zip.Reader, m *meter) error {
	if err := checkSheetParts(zr, m); err != nil {
		return err
	}
	for _, f := range zr.File {
		size := int64(f.UncompressedSize64)
		name := strings.ToLower(f.Name)
		sheet := strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")
		if !sheet && !m.room(size) {
			return tooComplex(m.limit)
		}
		scan, err := scanXML(f)
		if err != nil {
			return err
		}
		if sheet && !scan.endsWith("worksheet>") {
			return corrupt()
		}
		var cost int64
		switch {
		case sheet && size <= xlsxPartInMemory:
			cost = size // held in memory, read a row at a time
		case sheet:
			cost = 2 * scan.longest // streamed from a temporary file
		case name == "xl/sharedstrings.xml" && size > xlsxPartInMemory:
			cost = 2*scan.longest + scan.elems*indexCost
		default:
			cost = size + 2*scan.longest + scan.elems*elementCost
		}
		if err := m.charge(int(min(cost, 1<<40))); err != nil {
			return err
		}
	}
	return nil
}

// checkSheetParts requires the part of every worksheet the workbook's
// relationships name: excelize reads a missing one as an empty sheet.
func checkSheetParts(zr *zip.Reader, m *meter) error {
	parts := map[string]bool{}
	var rels *zip.File
	for _, f := range zr.File {
		parts[strings.ToLower(f.Name)] = true
		if strings.EqualFold(f.Name, "xl/_rels/workbook.xml.rels") {
			rels = f
		}
	}
	if rels == nil {
		return corrupt()
	}
	if !m.room(int64(rels.UncompressedSize64) * 4) {
		return tooComplex(m.limit)
	}
	rc, err := rels.Open()
	if err != nil {
		return corrupt()
	}
	defer rc.Close()
	var doc struct {
		Rels []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.NewDecoder(rc).Decode(&doc); err != nil {
		return corrupt()
	}
	for _, r := range doc.Rels {
		if !strings.HasSuffix(r.Type, "/worksheet") {
			continue
		}
		target := path.Join("xl", r.Target)
		if strings.HasPrefix(r.Target, "/") {
			target = strings.TrimPrefix(r.Target, "/")
		}
		if !parts[strings.ToLower(target)] {
			return corrupt()
		}
	}
	return nil
}

// chargeODS charges the meter for the longest tag of content.xml, which
// the decoder holds at once.
func chargeODS(f *zip.File, m *meter) error {
	scan, err := scanXML(f)
	if err != nil {
		return err
	}
	return m.charge(int(min(3*scan.longest, 1<<40)))
}

// xmlScan is what scanXML finds in a part.
type xmlScan struct {
	elems, longest int64
	tail           []byte // the last bytes, spaces trimmed
}

// endsWith reports whether the part ends with suffix (a closing tag).
func (x xmlScan) endsWith(suffix string) bool { return bytes.HasSuffix(x.tail, []byte(suffix)) }

// scanXML decompresses a part whole (archive/zip checks its size and
// checksum at the end) and counts its elements (the '<' that open a tag)
// and the longest run between two of them, keeping its last bytes.
func scanXML(f *zip.File) (xmlScan, error) {
	var x xmlScan
	rc, err := f.Open()
	if err != nil {
		return x, corrupt()
	}
	defer rc.Close()
	buf := make([]byte, 32<<10)
	var tail []byte
	run := int64(0)
	for {
		n, err := rc.Read(buf)
		if tail = append(tail, buf[:n]...); len(tail) > 128 {
			tail = append(tail[:0], tail[len(tail)-64:]...)
		}
		for chunk := buf[:n]; len(chunk) > 0; {
			i := bytes.IndexByte(chunk, '<')
			if i < 0 {
				run += int64(len(chunk))
				break
			}
			x.longest = max(x.longest, run+int64(i))
			x.elems++
			run = 0
			chunk = chunk[i+1:]
		}
		if errors.Is(err, io.EOF) {
			x.longest = max(x.longest, run)
			x.tail = bytes.TrimRight(tail, " \t\r\n")
			return x, nil
		}
		if err != nil {
			return x, corrupt()
		}
	}
}
