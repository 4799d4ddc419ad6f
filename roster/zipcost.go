package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
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
// workbook zr.
func chargeXLSX(zr *zip.Reader, m *meter) error {
	for _, f := range zr.File {
		size := int64(f.UncompressedSize64)
		name := strings.ToLower(f.Name)
		sheet := strings.HasPrefix(name, "xl/worksheets/")
		if sheet && size <= xlsxPartInMemory {
			// Held in memory and read row by row: its bytes.
			if err := m.charge(int(size)); err != nil {
				return err
			}
			continue
		}
		if !sheet && !m.room(size) {
			return tooComplex(m.limit)
		}
		elems, longest, err := scanXML(f)
		if err != nil {
			return err
		}
		var cost int64
		switch {
		case sheet:
			// Streamed from a temporary file: a tag at a time.
			cost = 2 * longest
		case name == "xl/sharedstrings.xml" && size > xlsxPartInMemory:
			cost = 2*longest + elems*indexCost
		default:
			cost = size + 2*longest + elems*elementCost
		}
		if err := m.charge(int(min(cost, 1<<40))); err != nil {
			return err
		}
	}
	return nil
}

// chargeODS charges the meter for the longest tag of content.xml, which
// the decoder holds at once.
func chargeODS(f *zip.File, m *meter) error {
	_, longest, err := scanXML(f)
	if err != nil {
		return err
	}
	return m.charge(int(min(3*longest, 1<<40)))
}

// scanXML decompresses a part and counts its elements (the '<' that open
// a tag) and the longest run between two of them.
func scanXML(f *zip.File) (elems, longest int64, err error) {
	rc, err := f.Open()
	if err != nil {
		return 0, 0, corrupt()
	}
	defer rc.Close()
	buf := make([]byte, 32<<10)
	run := int64(0)
	for {
		n, err := rc.Read(buf)
		for chunk := buf[:n]; len(chunk) > 0; {
			i := bytes.IndexByte(chunk, '<')
			if i < 0 {
				run += int64(len(chunk))
				break
			}
			longest = max(longest, run+int64(i))
			elems++
			run = 0
			chunk = chunk[i+1:]
		}
		if errors.Is(err, io.EOF) {
			return elems, max(longest, run), nil
		}
		if err != nil {
			return 0, 0, corrupt()
		}
	}
}
