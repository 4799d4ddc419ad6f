package roster

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// dateFormatsAsISO makes every date number format of the workbook display as
// yyyy-mm-dd, in memory only. Schools format birth dates as "mmm-yy" or
// "yyyy年m月" and excelize returns what the format shows, which can drop the
// day; with the formats replaced, the formatted value is the whole date,
// while other formats (such as "000000" keeping a student number's leading
// zeros) still apply.
func dateFormatsAsISO(f *excelize.File) {
	st := f.Styles
	if st == nil {
		return
	}
	const iso = "yyyy-mm-dd"
	custom := map[int]bool{}
	if st.NumFmts != nil {
		for i := range st.NumFmts.NumFmt {
			nf := st.NumFmts.NumFmt[i]
			if nf == nil {
				continue
			}
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = true
			if isDateFormat(code) {
				nf.FormatCode, nf.FormatCode16 = iso, ""
			}
		}
	}
	if st.CellXfs == nil {
		return
	}
	for i := range st.CellXfs.Xf {
		id := st.CellXfs.Xf[i].NumFmtID
		if id == nil || custom[*id] || !isBuiltinDate(*id) {
			continue
		}
		v := 14 // excelize shows 14 with Options.ShortDatePattern
		st.CellXfs.Xf[i].NumFmtID = &v
	}
}

// isBuiltinDate reports the built-in number formats that show a date,
// including the East Asian ones (27–36, 50–58).
func isBuiltinDate(id int) bool {
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)
}

// isDateFormat reports whether a custom format code shows a year or a day
// (outside quoted text and [colour] or [$-locale] sections).
func isDateFormat(code string) bool {
	var b strings.Builder
	inQuote, inBracket, escaped := false, false, false
	for _, r := range code {
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '[':
			inBracket = true
		case r == ']':
			inBracket = false
		case inBracket:
		default:
			b.WriteRune(r)
		}
	}
	s := strings.ToLower(b.String())
	return strings.ContainsAny(s, "yd")
}
