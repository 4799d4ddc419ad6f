package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// textSource is a CSV or tab-separated text read as one sheet. Row numbers
// are the line numbers, as a text editor shows them and as Excel numbers
// the rows when it opens the file.
type textSource struct{ gridSource }

// openText reads text exported by other systems or saved by Excel as CSV:
// comma, semicolon or tab separated; UTF-8 (with or without BOM), UTF-16
// with BOM (Excel's "Unicode text"), or GBK/GB18030 (Chinese Windows).
func openText(data []byte, name string, m *meter) (source, error) {
	// The decoded text, at most half as long again as the bytes.
	if err := m.charge(len(data) * 3 / 2); err != nil {
		return nil, err
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if err := refuseMarkup(text); err != nil {
		return nil, err
	}
	delim, ok := sniffDelimiter(text)
	if !ok {
		return nil, notTable()
	}
	sheet := gridSheet{info: sheetInfo{name: tableName(name)}, lines: true}
	if sheet.rows, err = readCSV(text, delim, sheet.info.name, m); err != nil {
		return nil, err
	}
	return &textSource{gridSource{grids: []gridSheet{sheet}}}, nil
}

// readCSV reads the records of a text table, numbered by line.
func readCSV(text string, delim rune, sheet string, m *meter) ([]gridRow, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var rows []gridRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, notTable()
		}
		line, _ := r.FieldPos(0)
		if line > maxSheetRows {
			return nil, tooManyRows(sheet)
		}
		for len(rec) > 0 && strings.TrimSpace(rec[len(rec)-1]) == "" {
			rec = rec[:len(rec)-1]
		}
		if err := m.chargeStrings(rec); err != nil {
			return nil, err
		}
		if err := m.charge(64); err != nil {
			return nil, err
		}
		rows = append(rows, gridRow{num: line, cells: slices.Clone(rec)})
	}
}

// tableName is what Excel calls the sheet of a CSV file: its name without
// the extension.
func tableName(file string) string {
	file = path.Base(strings.ReplaceAll(file, `\`, "/"))
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		file = file[:i]
	}
	if file == "" || file == "." || file == "/" {
		return "Sheet1"
	}
	return file
}

// decodeText turns the bytes into UTF-8 text, or refuses bytes that are not
// text in an encoding schools use.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || !isText(out) {
			return "", notTable()
		}
		return string(out), nil
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		data = data[3:]
	}
	if utf8.Valid(data) {
		if !isText(data) {
			return "", notTable()
		}
		return string(data), nil
	}
	// GB18030 is a superset of GBK and GB2312: what Excel and WPS write on
	// Chinese Windows. Bytes it cannot decode were never Chinese text.
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) || !isText(out) {
		return "", notTable()
	}
	return string(out), nil
}

// isText reports UTF-8 without the control characters binary files are
// full of (text has tabs, line breaks and, rarely, a form feed).
func isText(b []byte) bool {
	controls := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			controls++
		}
	}
	return controls == 0 || controls*1000 < len(b)
}

// refuseMarkup answers the web pages and XML that systems export under an
// Excel name: Excel opens them, this reader does not.
func refuseMarkup(text string) error {
	head := strings.ToLower(strings.TrimSpace(text[:min(len(text), 4096)]))
	switch {
	case !strings.HasPrefix(head, "<"):
		return nil
	case strings.Contains(head, "urn:schemas-microsoft-com:office:spreadsheet"):
		return fileError(CodeNotXLSX, "这是 Excel 2003 XML 表格格式的文件，无法直接读取：请用 Excel 或 WPS 打开它，“另存为” Excel 工作簿（.xlsx）后再上传。")
	case strings.Contains(head, "<html") || strings.Contains(head, "<table") || strings.Contains(head, "<!doctype"):
		return fileError(CodeNotXLSX, "这个文件实际是网页（HTML）格式，只是扩展名像 Excel 文件（有些系统这样导出“Excel”）：请用 Excel 或 WPS 打开它，“另存为” Excel 工作簿（.xlsx）后再上传。")
	default:
		return notTable()
	}
}

// sniffDelimiter picks the separator that splits the most of the first
// lines (outside quotes): a comma, a semicolon (Excel in some locales) or a
// tab (exports named .xls, Excel's "Unicode text"). ok is false when no line
// has any: plain text, not a table.
func sniffDelimiter(text string) (rune, bool) {
	candidates := []rune{',', '\t', ';'}
	lines := make([]int, len(candidates))
	total := make([]int, len(candidates))
	for n, line := range strings.SplitN(text, "\n", 51) {
		if n == 50 {
			break
		}
		quoted := false
		seen := make([]int, len(candidates))
		for _, r := range line {
			if r == '"' {
				quoted = !quoted
				continue
			}
			if quoted {
				continue
			}
			for i, c := range candidates {
				if r == c {
					seen[i]++
				}
			}
		}
		for i := range candidates {
			if seen[i] > 0 {
				lines[i]++
				total[i] += seen[i]
			}
		}
	}
	best := -1
	for i := range candidates {
		if lines[i] == 0 {
			continue
		}
		if best < 0 || lines[i] > lines[best] || (lines[i] == lines[best] && total[i] > total[best]) {
			best = i
		}
	}
	if best < 0 {
		return 0, false
	}
	return candidates[best], true
}

func notTable() *FileError {
	return fileError(CodeNotXLSX, "这个文件既不是 Excel 工作簿，也不是能读取的表格（CSV）：请在 Excel 或 WPS 中打开花名册，“另存为” Excel 工作簿（.xlsx）后再上传。")
}

// requirePhoneColumn refuses a text table whose header names no guardian
// phone column. A text file has no sheet names, titles or formatting to say
// it is a class roster, and a 学号 and 姓名 list from another system (marks,
// a seat plan) is more likely than a roster without a single phone number;
// the teacher is told what is missing rather than given a class of
// paper-only families.
func requirePhoneColumn(l *layout) error {
	for _, s := range l.slots {
		if s.phone >= 0 {
			return nil
		}
	}
	return fileError(CodeNoHeader, "这个文本表格（CSV）的表头中没有家长手机号列：请从原系统导出包含家长手机号的名单，或在表头加一列“家长手机”并填上号码后再上传。")
}
