package roster

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"jiashu/grade"
)

// sheetReader reads the rows of one sheet after its header.
type sheetReader struct {
	p    *parser
	name string
	lay  *layout

	defaultClass classKey // from the title rows, the sheet name or the caller
	classSource  string   // where defaultClass came from, for messages
	headTeacher  string   // from a title row (班主任：…)

	// The last non-empty grade, class and head-teacher cells: merged cells
	// hold their value only in the top row, and vertically merged class
	// columns are common. Filling down covers them without loading the
	// whole sheet (excelize's GetMergeCells reads every cell into memory).
	lastGrade, lastClass, lastTeacher string

	records             []record
	rawNeeded           map[int]int // Excel row → index in records whose number needs the raw cell
	classMissing        int         // rows without any class
	numberColumnMissing int         // rows read from a sheet without a 学号 column
	classMissingRow     int
}

// record is a student row waiting for the workbook-wide number check.
type record struct {
	student     Student
	class       classKey
	headTeacher string
	failed      bool // an error was reported for the row
	numberExact bool // the number cell was a number of more than 15 digits
}

// start works out the sheet's default class from what is above the header.
func (s *sheetReader) start(titles []string) {
	for _, t := range titles {
		if s.defaultClass == (classKey{}) {
			if g, c, ok := grade.ParseClassName(t); ok {
				s.defaultClass, s.classSource = classKey{g, c}, "title"
			}
		}
		if s.headTeacher == "" {
			s.headTeacher = headTeacherIn(t)
		}
	}
	if s.defaultClass == (classKey{}) {
		if g, c, ok := grade.ParseClassName(s.name); ok {
			s.defaultClass, s.classSource = classKey{g, c}, "sheet"
		}
	}
	if s.defaultClass == (classKey{}) && s.p.callerClass.valid() {
		s.defaultClass, s.classSource = s.p.callerClass, "caller"
	}
}

// headTeacherIn finds "班主任：张老师" in a title cell.
func headTeacherIn(t string) string {
	t = grade.Normalize(t)
	i := strings.Index(t, "班主任")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(t[i+len("班主任"):], " :：")
	if j := strings.IndexAny(rest, " \t,，;；"); j >= 0 {
		rest = rest[:j]
	}
	return cleanName(rest)
}

func (s *sheetReader) cell(cells []string, r role) (string, string) {
	c, ok := s.lay.byRole[r]
	if !ok {
		return "", ""
	}
	if c.index < len(cells) {
		return strings.TrimSpace(cells[c.index]), c.header
	}
	return "", c.header
}

func at(cells []string, i int) string {
	if i >= 0 && i < len(cells) {
		return strings.TrimSpace(cells[i])
	}
	return ""
}

// readRow validates one row after the header.
func (s *sheetReader) readRow(row int, cells []string) {
	if !hasContent(cells) {
		return
	}
	for _, c := range cells {
		if isSummary(c) || strings.Contains(c, "示例") {
			return
		}
	}
	rawName, nameH := s.cell(cells, roleName)
	rawNumber, numberH := s.cell(cells, roleNumber)
	name := cleanName(rawName)
	number := cleanNumber(rawNumber)
	if name == "" && number == "" {
		// A pre-numbered empty line, a note under the table, a stray phone:
		// nothing that names a student.
		return
	}
	// Fill merged (or simply left blank) grade/class/teacher cells downwards.
	gradeCell, gradeH := s.cell(cells, roleGrade)
	classCell, classH := s.cell(cells, roleClass)
	teacherCell, _ := s.cell(cells, roleHeadTeacher)
	if _, ok := s.lay.byRole[roleGrade]; ok {
		gradeCell = fillDown(&s.lastGrade, gradeCell)
	}
	if _, ok := s.lay.byRole[roleClass]; ok {
		classCell = fillDown(&s.lastClass, classCell)
	}
	if _, ok := s.lay.byRole[roleHeadTeacher]; ok {
		teacherCell = fillDown(&s.lastTeacher, teacherCell)
	}

	rec := record{student: Student{Sheet: s.name, Row: row, Number: number, Name: name}, headTeacher: cleanName(teacherCell)}
	if rec.headTeacher == "" {
		rec.headTeacher = s.headTeacher
	}
	fail := func(col, value, code, msg string) {
		s.p.problem(s.name, row, col, value, Error, code, msg)
		rec.failed = true
	}
	warn := func(col, value, code, msg string) {
		s.p.problem(s.name, row, col, value, Warning, code, msg)
	}
	nameCol := orDefault(nameH, "姓名")
	if name == "" {
		fail(nameCol, "", "name_missing", fmt.Sprintf("第%d行缺少学生姓名（学号 %s），请补上姓名，或删除这一行。", row, number))
	}
	_, hasNumberColumn := s.lay.byRole[roleNumber]
	if !hasNumberColumn {
		// One problem for the sheet rather than one per row.
		s.numberColumnMissing++
		rec.failed = true
	} else if number == "" {
		fail(orDefault(numberH, "学号"), "", "number_missing", fmt.Sprintf("第%d行「%s」没有学号，请补上学号（学校内每名学生的学号不能重复）。", row, name))
	} else if isScientific(rawNumber) {
		s.markRaw(row)
	}

	// Class: from the columns, else the sheet's default.
	key, ok := s.classOf(gradeCell, classCell)
	switch {
	case !ok:
		col, val := classH, classCell
		if col == "" {
			col, val = gradeH, gradeCell
		}
		fail(col, val, "class_invalid", fmt.Sprintf("第%d行「%s」的班级“%s”无法识别，请写成“三年级2班”或“四年级（3）班”这样的格式。", row, col, strings.TrimSpace(gradeCell+" "+classCell)))
	case !key.valid():
		s.classMissing++
		if s.classMissingRow == 0 {
			s.classMissingRow = row
		}
		rec.failed = true
	}
	rec.class = key

	if g := at(cells, s.colIndex(roleGender)); g != "" {
		if v, ok := cleanGender(g); ok {
			rec.student.Gender = v
		} else {
			warn(s.lay.byRole[roleGender].header, g, "gender_unknown", fmt.Sprintf("第%d行「性别」“%s”无法识别，请填写“男”或“女”；性别暂时留空。", row, g))
		}
	}
	if b := at(cells, s.colIndex(roleBirth)); b != "" {
		if v, ok := cleanDate(b); ok {
			rec.student.BirthDate = v
		} else {
			warn(s.lay.byRole[roleBirth].header, b, "birth_date_invalid", fmt.Sprintf("第%d行「出生日期」“%s”无法识别，请写成 2010-01-05 或 2010年1月5日；出生日期暂时留空。", row, b))
		}
	}

	// Guardians.
	reachable, phoneBad := false, false
	var noPhone []string // named guardians without a number
	for _, slot := range s.lay.slots {
		gName := cleanName(at(cells, slot.name))
		rel := strings.TrimSpace(at(cells, slot.relation))
		if rel == "" {
			rel = slot.fixedRelation
		}
		rawPhone := at(cells, slot.phone)
		mobile, res := cleanPhone(rawPhone)
		switch res {
		case phoneMobile:
			reachable = true
		case phoneInvalid:
			phoneBad = true
			fail(slot.phoneHeader, rawPhone, "phone_invalid", fmt.Sprintf("第%d行「%s」%s 不是有效的11位手机号码，请核对后重新填写。", row, slot.phoneHeader, rawPhone))
		case phoneLandline:
			warn(slot.phoneHeader, rawPhone, "phone_landline", fmt.Sprintf("第%d行「%s」%s 是固定电话，家长收不到短信提醒，请尽量改填家长的手机号码。", row, slot.phoneHeader, rawPhone))
		}
		if gName == "" && mobile == "" {
			continue
		}
		if rawPhone == "" && slot.phone >= 0 {
			noPhone = append(noPhone, gName)
		}
		rec.student.Guardians = append(rec.student.Guardians, Guardian{Name: gName, Relation: rel, Mobile: mobile})
	}
	if reachable {
		for _, g := range noPhone {
			warn("", g, "guardian_no_phone", fmt.Sprintf("第%d行家长「%s」没有填写手机号码，这位家长收不到提醒；如有号码请补上。", row, g))
		}
	}
	if !reachable && !phoneBad {
		warn("", "", "no_phone", fmt.Sprintf("第%d行「%s」没有可用的家长手机号码，只能发放纸质家书，家长无法在手机上确认；如有号码请补上。", row, name))
	}

	// Characters the letter cannot print.
	s.checkPrintable(row, nameCol, name, warn)
	for _, g := range rec.student.Guardians {
		s.checkPrintable(row, "家长姓名", g.Name, warn)
	}
	s.records = append(s.records, rec)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (s *sheetReader) colIndex(r role) int {
	if c, ok := s.lay.byRole[r]; ok {
		return c.index
	}
	return -1
}

func fillDown(last *string, v string) string {
	if v != "" {
		*last = v
		return v
	}
	return *last
}

// classOf reads the class from the grade and class cells. ok is false when a
// cell is filled but cannot be read; a zero key means the row says nothing
// and the sheet has no default.
func (s *sheetReader) classOf(gradeCell, classCell string) (classKey, bool) {
	if classCell != "" {
		if g, c, ok := grade.ParseClassName(classCell); ok {
			return classKey{g, c}, true
		}
		if gradeCell == "" && !s.defaultClass.valid() {
			// "2班" with neither a grade column nor a class above: unknown grade.
			if _, ok := grade.ParseClassNumber(classCell); ok {
				return classKey{}, true
			}
		}
		c, ok := grade.ParseClassNumber(classCell)
		if !ok {
			return classKey{}, false
		}
		g := s.defaultClass.grade
		if gradeCell != "" {
			if g, ok = grade.Parse(gradeCell); !ok {
				return classKey{}, false
			}
		}
		return classKey{g, c}, true
	}
	if gradeCell != "" {
		g, ok := grade.Parse(gradeCell)
		if !ok {
			// "三年级2班" typed into the grade column.
			if g, c, ok := grade.ParseClassName(gradeCell); ok {
				return classKey{g, c}, true
			}
			return classKey{}, false
		}
		if s.defaultClass.valid() && s.defaultClass.grade == g {
			return s.defaultClass, true
		}
		return classKey{g, s.defaultClass.class}, true
	}
	return s.defaultClass, true
}

func (s *sheetReader) checkPrintable(row int, col, text string, warn func(col, value, code, msg string)) {
	for _, r := range text {
		if r == utf8.RuneError || r > 0xFFFF || (s.p.opt.Printable != nil && !s.p.opt.Printable(r)) {
			warn(col, text, "char_unprintable", fmt.Sprintf("第%d行「%s」“%s”中的“%c”家书字库无法打印，打印出来会缺字：请核对，必要时改用常用写法（如把“𠮷”写作“吉”）。", row, col, text, r))
			return
		}
	}
}

func (s *sheetReader) markRaw(row int) {
	if s.rawNeeded == nil {
		s.rawNeeded = map[int]int{}
	}
	s.rawNeeded[row] = len(s.records)
}

// fixScientific reads the sheet again, raw, for the rows whose student number
// excelize formatted in scientific notation (numbers of more than 15 digits):
// the raw cell keeps every digit written to the file.
func (s *sheetReader) fixScientific(f *excelize.File) error {
	col := s.colIndex(roleNumber)
	rows, err := f.Rows(s.name)
	if err != nil {
		return fmt.Errorf("roster: sheet %q: %w", s.name, err)
	}
	defer rows.Close()
	row := 0
	for rows.Next() && len(s.rawNeeded) > 0 {
		row++
		i, ok := s.rawNeeded[row]
		if !ok {
			continue
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return corrupt()
		}
		if raw := at(cells, col); raw != "" {
			s.records[i].student.Number = cleanNumber(raw)
			s.records[i].numberExact = true
		}
		delete(s.rawNeeded, row)
	}
	return nil
}

// finish checks student numbers across the workbook and files the valid
// students into their classes.
func (s *sheetReader) finish() {
	p := s.p
	numberH := orDefault(s.lay.byRole[roleNumber].header, "学号")
	if s.numberColumnMissing > 0 {
		p.problem(s.name, s.lay.row, "", "", Error, "number_column_missing",
			fmt.Sprintf("工作表「%s」第%d行的表头中没有「学号」列，%d名学生都无法导入：请加一列学号（或学籍号）后重新上传，学号用来区分同名学生并在再次导入时更新名单。", s.name, s.lay.row, s.numberColumnMissing))
	}
	if s.classMissing > 0 {
		p.problem(s.name, s.classMissingRow, "", "", Error, "class_missing",
			fmt.Sprintf("工作表「%s」中有%d名学生无法确定班级：请在表中加一列「班级」（如“三年级2班”），或把工作表命名为班级名，或导入时选择班级。", s.name, s.classMissing))
	}
	for _, rec := range s.records {
		st := rec.student
		if rec.numberExact && digitCount(st.Number) > 15 {
			p.problem(s.name, st.Row, numberH, st.Number, Warning, "number_precision",
				fmt.Sprintf("第%d行学号 %s 以数字形式保存，超过15位时 Excel 会把末尾几位改成0：请把学号列设为“文本”格式，重新输入后核对。", st.Row, st.Number))
		}
		if st.Number != "" && st.Name != "" {
			if prev, dup := p.numbers[st.Number]; dup {
				where := fmt.Sprintf("第%d行", prev.row)
				if prev.sheet != s.name {
					where = fmt.Sprintf("工作表「%s」第%d行", prev.sheet, prev.row)
				}
				if prev.name == st.Name {
					p.problem(s.name, st.Row, numberH, st.Number, Warning, "row_duplicate",
						fmt.Sprintf("第%d行与%s重复（学号 %s，%s），只导入一次；请删除重复的行。", st.Row, where, st.Number, st.Name))
				} else {
					p.problem(s.name, st.Row, numberH, st.Number, Error, "number_duplicate",
						fmt.Sprintf("第%d行「%s」的学号 %s 与%s「%s」重复，请核对两人的学号。", st.Row, st.Name, st.Number, where, prev.name))
				}
				continue
			}
			if !rec.failed {
				p.numbers[st.Number] = seen{name: st.Name, sheet: s.name, row: st.Row}
			}
		}
		if rec.failed {
			continue
		}
		c := p.classes[rec.class]
		if c == nil {
			c = &Class{Grade: rec.class.grade, Number: rec.class.class, Name: grade.ClassName(rec.class.grade, rec.class.class)}
			p.classes[rec.class] = c
		}
		if c.HeadTeacher == "" {
			c.HeadTeacher = rec.headTeacher
		}
		c.Students = append(c.Students, st)
	}
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
