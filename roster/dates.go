package roster

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// datesAsSerials turns every date number format of the workbook into
// General, in memory only, so that date cells read as their serial number
// (cleanDate converts it). Two reasons: schools format birth dates as
// "mmm-yy" or "yyyy年m月", and the formatted value then drops the day; and
// excelize's date formatting costs more than the rest of reading a row. Other
// formats (such as "000000", which keeps a student number's leading zeros)
// still apply.
func datesAsSerials(f *excelize.File) {
	// excelize reads the styles part lazily; make it read them now, so the
	// formats below are the ones its cell reader will apply.
	f.GetStyle(0)
	st := f.Styles
	if st == nil || st.CellXfs == nil {
		return
	}
	customDate := map[int]bool{}
	custom := map[int]bool{}
	if st.NumFmts != nil {
		for _, nf := range st.NumFmts.NumFmt {
			if nf == nil {
				continue
			}
			code := nf.FormatCode
			if nf.FormatCode16 != "" {
				code = nf.FormatCode16
			}
			custom[nf.NumFmtID] = true
			customDate[nf.NumFmtID] = isDateFormat(code)
		}
	}
	for i := range st.CellXfs.Xf {
		id := st.CellXfs.Xf[i].NumFmtID
		if id == nil {
			continue
		}
		if customDate[*id] || (!custom[*id] && isBuiltinDate(*id)) {
			general := 0
			st.CellXfs.Xf[i].NumFmtID = &general
		}
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
