package roster

import (
	"bytes"
	"errors"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxSource reads an .xlsx workbook with excelize, streaming each sheet.
type xlsxSource struct {
	f     *excelize.File
	names []string
}

// openXLSX opens a zip that holds xl/workbook.xml (sniffed by openZip,
// which has charged the meter for what excelize will hold).
func openXLSX(data []byte) (source, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: xlsxPartInMemory,
		ShortDatePattern:  "yyyy-mm-dd",
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, zipBomb()
		}
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return nil, notWorkbook()
		}
		return nil, corrupt()
	}
	datesAsSerials(f)
	return &xlsxSource{f: f}, nil
}

func (s *xlsxSource) sheets() []sheetInfo {
	var out []sheetInfo
	s.names = s.f.GetSheetList()
	for _, name := range s.names {
		visible, err := s.f.GetSheetVisible(name)
		out = append(out, sheetInfo{name: name, hidden: err == nil && !visible})
	}
	return out
}

func (s *xlsxSource) rows(i int, raw bool) (rowIter, error) {
	name := s.names[i]
	rows, err := s.f.Rows(name)
	if err != nil {
		return nil, err
	}
	it := &xlsxRows{rows: rows, sheet: name}
	if raw {
		it.opts = []excelize.Options{{RawCellValue: true}}
	}
	return it, nil
}

func (s *xlsxSource) close() { s.f.Close() }

// xlsxRows numbers excelize's rows, which include the blank ones.
type xlsxRows struct {
	rows  *excelize.Rows
	sheet string
	num   int
	opts  []excelize.Options
}

func (r *xlsxRows) next() bool {
	if !r.rows.Next() {
		return false
	}
	r.num++
	return true
}

func (r *xlsxRows) row() int { return r.num }

func (r *xlsxRows) cells() ([]string, error) {
	cells, err := r.rows.Columns(r.opts...)
	if err != nil {
		if errors.Is(err, excelize.ErrMaxRows) {
			return nil, tooManyRows(r.sheet)
		}
		return nil, corrupt()
	}
	return cells, nil
}

func (r *xlsxRows) close() error {
	if err := r.rows.Close(); err != nil {
		return corrupt()
	}
	return nil
}
