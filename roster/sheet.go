package roster

import (
	"fmt"
	"strings"
	"unicode/utf8"

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
	blankNumbered       int // rows with a 学号 and nothing else
	blankNumberedRow    int
	entryYearTitle      string // a title such as 2024级3班, which names no grade
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
	if s.defaultClass == (classKey{}) {
		for _, t := range append(titles, s.name) {
			if hasEntryYear(t) {
				s.entryYearTitle = t
				break
			}
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
	// The name ends at a space, a separator or a closing bracket:
	// "学生花名册（班主任：王芳）" names 王芳.
	if j := strings.IndexAny(rest, " \t,，;；、。)）]】”』"); j >= 0 {
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
	rawName, nameH := s.cell(cells, roleName)
	rawNumber, numberH := s.cell(cells, roleNumber)
	// Total rows (合计：45人), the template's example row, and notes under
	// the table (制表人：, 填表说明) start with their marker; a 备注 cell
	// that happens to say 统计 does not make a student's row a total.
	first := firstContent(cells)
	if isSummary(first) || strings.Contains(first, "示例") || strings.Contains(rawName, "示例") || isNoteRow(first, rawName, rawNumber) {
		return
	}
	name := cleanName(rawName)
	number := cleanNumber(rawNumber)
	if name == "" && number == "" {
		// A pre-numbered empty line (序号 only), a stray phone: nothing
		// that names a student.
		return
	}
	place := s.placeOf(cells)
	if name == "" && s.onlyNumbered(cells) {
		// A template row with its 学号 filled in ahead and nothing else:
		// counted, and reported once for the sheet.
		if s.blankNumbered == 0 {
			s.blankNumberedRow = row
		}
		s.blankNumbered++
		return
	}
	c := &rowCheck{s: s, row: row, rec: record{student: Student{Sheet: s.name, Row: row, Number: number, Name: name}, headTeacher: cleanName(place.teacher)}}
	if c.rec.headTeacher == "" {
		c.rec.headTeacher = s.headTeacher
	}
	nameCol := orDefault(nameH, "姓名")
	c.checkIdentity(nameCol, numberH, rawNumber)
	c.checkClass(place)
	c.checkGenderAndBirth(cells)
	c.readGuardians(cells)
	c.checkNames(nameCol)
	s.records = append(s.records, c.rec)
	s.p.charge(recordCost + len(cells)*stringCost + len(name) + len(number))
	if s.p.rows++; s.p.rows > s.p.maxRows {
		s.p.tooMany = tooManyStudents(s.name, row, s.p.maxRows)
	}
}

// rowPlace is a row's grade, class and head-teacher cells, filled down
// from the rows above when blank, and the headers of the first two.
type rowPlace struct {
	grade, gradeHeader, class, classHeader, teacher string
}

// placeOf reads the row's place, filling merged (or simply left blank)
// grade, class and teacher cells downwards.
func (s *sheetReader) placeOf(cells []string) rowPlace {
	var pl rowPlace
	pl.grade, pl.gradeHeader = s.cell(cells, roleGrade)
	pl.class, pl.classHeader = s.cell(cells, roleClass)
	pl.teacher, _ = s.cell(cells, roleHeadTeacher)
	if _, ok := s.lay.byRole[roleGrade]; ok {
		pl.grade = fillDown(&s.lastGrade, pl.grade)
	}
	if _, ok := s.lay.byRole[roleClass]; ok {
		pl.class = fillDown(&s.lastClass, pl.class)
	}
	if _, ok := s.lay.byRole[roleHeadTeacher]; ok {
		pl.teacher = fillDown(&s.lastTeacher, pl.teacher)
	}
	return pl
}

// rowCheck is one student row being validated into its record.
type rowCheck struct {
	s   *sheetReader
	row int
	rec record
}

// fail reports an error: the row is not imported.
func (c *rowCheck) fail(col, value, code, msg string) {
	c.s.p.problem(c.s.name, c.row, col, value, Error, code, msg)
	c.rec.failed = true
}

// warn reports a warning: the row is imported.
func (c *rowCheck) warn(col, value, code, msg string) {
	c.s.p.problem(c.s.name, c.row, col, value, Warning, code, msg)
}

// checkIdentity requires a name and a student number.
func (c *rowCheck) checkIdentity(nameCol, numberH, rawNumber string) {
	s, st := c.s, &c.rec.student
	if st.Name == "" {
		c.fail(nameCol, "", "name_missing", fmt.Sprintf("%s“%s”列缺少学生姓名（学号 %s）：请补上姓名，或删除这一行。", s.where(c.row), nameCol, st.Number))
	}
	_, hasNumberColumn := s.lay.byRole[roleNumber]
	switch {
	case !hasNumberColumn:
		// One problem for the sheet rather than one per row.
		s.numberColumnMissing++
		c.rec.failed = true
	case st.Number == "":
		col := orDefault(numberH, "学号")
		c.fail(col, "", "number_missing", fmt.Sprintf("%s“%s”列是空的（学生“%s”）：请补上学号，学校内每名学生的学号不能重复。", s.where(c.row), col, st.Name))
	case isScientific(rawNumber):
		s.markRaw(c.row)
	}
}

// checkClass reads the class from the row's cells, else the sheet's
// default.
func (c *rowCheck) checkClass(pl rowPlace) {
	s := c.s
	key, ok := s.classOf(pl.grade, pl.class)
	switch {
	case !ok:
		col, val := pl.classHeader, pl.class
		if col == "" {
			col, val = pl.gradeHeader, pl.grade
		}
		c.fail(col, val, "class_invalid", fmt.Sprintf("%s“%s”列的班级“%s”无法识别：请写成“三年级2班”“四年级（3）班”或“3.2”这样的格式。", s.where(c.row), col, strings.TrimSpace(pl.grade+" "+pl.class)))
	case !key.valid():
		s.classMissing++
		if s.classMissingRow == 0 {
			s.classMissingRow = c.row
		}
		c.rec.failed = true
	}
	c.rec.class = key
}

// checkGenderAndBirth reads the optional gender and birth date; a value
// that cannot be read is left out with a warning.
func (c *rowCheck) checkGenderAndBirth(cells []string) {
	s, st := c.s, &c.rec.student
	if g := at(cells, s.colIndex(roleGender)); g != "" {
		if v, ok := cleanGender(g); ok {
			st.Gender = v
		} else {
			h := s.lay.byRole[roleGender].header
			c.warn(h, g, "gender_unknown", fmt.Sprintf("%s“%s”列“%s”无法识别：请填写“男”或“女”；性别暂时留空，学生照常导入。", s.where(c.row), h, g))
		}
	}
	if b := at(cells, s.colIndex(roleBirth)); b != "" {
		if v, ok := s.p.dates.read(b); ok {
			st.BirthDate = v
		} else if !s.p.dates.ambiguous(b) {
			h := s.lay.byRole[roleBirth].header
			c.warn(h, b, "birth_date_invalid", fmt.Sprintf("%s“%s”列“%s”无法识别：请写成 2010-01-05 或 2010年1月5日；出生日期暂时留空，学生照常导入。", s.where(c.row), h, b))
		} else {
			s.p.dates.note(s, c.row, b, len(s.records))
		}
	}
}

// guardianRow gathers what the guardian columns of a row say.
type guardianRow struct {
	reachable, phoneBad bool
	noPhone             []string // named guardians without a number
	extras              []extraPhone
}

// readGuardians reads every guardian slot of the row.
func (c *rowCheck) readGuardians(cells []string) {
	s := c.s
	var g guardianRow
	for _, slot := range s.lay.slots {
		c.readGuardian(cells, slot, &g)
	}
	s.addExtraPhones(c.row, &c.rec.student, g.extras, c.warn)
	if g.reachable {
		for _, name := range g.noPhone {
			c.warn(s.firstPhoneHeader(), name, "guardian_no_phone", fmt.Sprintf("%s家长“%s”没有填写手机号码，这位家长收不到提醒：如有号码，请填到“%s”列。", s.where(c.row), name, s.firstPhoneHeader()))
		}
	}
	if !g.reachable && !g.phoneBad {
		col := s.firstPhoneHeader()
		what := fmt.Sprintf("请填到“%s”列", col)
		if col == "" {
			what = "请在表中加一列“家长手机”并填上号码"
		}
		c.warn(col, "", "no_phone", fmt.Sprintf("%s“%s”没有可用的家长手机号码，只能发放纸质家书，家长无法在手机上确认：如有号码，%s。", s.where(c.row), c.rec.student.Name, what))
	}
}

// readGuardian reads one guardian slot: name, relation and phone.
func (c *rowCheck) readGuardian(cells []string, slot guardianSlot, g *guardianRow) {
	s := c.s
	gName := cleanName(at(cells, slot.name))
	rel := normRelation(at(cells, slot.relation))
	if rel == "" {
		rel = slot.fixedRelation
	}
	rawPhone := at(cells, slot.phone)
	ph := readPhone(rawPhone)
	mobile := ""
	switch ph.result {
	case phoneMobile:
		g.reachable = true
		mobile = ph.mobiles[0]
		if rel == "" {
			rel = ph.relations[0]
		}
		for k := 1; k < len(ph.mobiles); k++ {
			g.extras = append(g.extras, extraPhone{ph.mobiles[k], ph.relations[k], slot.phoneHeader, rawPhone})
		}
		if ph.dropped != "" {
			c.warn(slot.phoneHeader, rawPhone, "phone_text_dropped", fmt.Sprintf("%s“%s”列“%s”中的“%s”不是号码，只导入了号码 %s：请核对，如这个号码已不能用，请改填可用的手机号码。", s.where(c.row), slot.phoneHeader, rawPhone, ph.dropped, strings.Join(ph.mobiles, "、")))
		}
	case phoneInvalid:
		g.phoneBad = true
		c.fail(slot.phoneHeader, rawPhone, "phone_invalid", fmt.Sprintf("%s“%s”列 %s 不是有效的11位手机号码：请核对后重新填写。", s.where(c.row), slot.phoneHeader, rawPhone))
	case phoneLandline:
		c.warn(slot.phoneHeader, rawPhone, "phone_landline", fmt.Sprintf("%s“%s”列 %s 是固定电话，家长收不到短信提醒：请尽量改填家长的手机号码。", s.where(c.row), slot.phoneHeader, rawPhone))
	}
	if gName == "" && mobile == "" {
		return
	}
	if (rawPhone == "" || ph.result == phoneNone) && slot.phone >= 0 {
		g.noPhone = append(g.noPhone, gName)
	}
	c.rec.student.Guardians = append(c.rec.student.Guardians, Guardian{Name: gName, Relation: rel, Mobile: mobile})
}

// checkNames warns about the names the letter would print wrongly: a
// character the fonts lack, and text that is markup or hides control or
// direction characters.
func (c *rowCheck) checkNames(nameCol string) {
	s, st := c.s, &c.rec.student
	s.checkName(c.row, nameCol, st.Name, c.warn)
	for _, g := range st.Guardians {
		s.checkName(c.row, "家长姓名", g.Name, c.warn)
	}
}

// sourceOf says where the sheet's rows of class k took their class from.
func (s *sheetReader) sourceOf(k classKey) string {
	if k != s.defaultClass || s.classSource == "" {
		return fmt.Sprintf("工作表“%s”的年级、班级列", s.name)
	}
	switch s.classSource {
	case "title":
		return fmt.Sprintf("工作表“%s”表头上方的标题行", s.name)
	case "sheet":
		return fmt.Sprintf("工作表名称“%s”", s.name)
	}
	return "上传时所在的班级页面"
}

// where names a row as Excel shows it, for messages.
func (s *sheetReader) where(row int) string {
	return fmt.Sprintf("工作表“%s”第%d行", s.name, row)
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

// checkPrintable warns about characters the letter fonts lack. It never
// suggests another spelling (that would misspell a child's name): the
// letter prints a blank there, to be written in by hand.
func (s *sheetReader) checkPrintable(row int, col, text string, warn func(col, value, code, msg string)) {
	for _, r := range text {
		if r == utf8.RuneError || !s.printable(r) {
			warn(col, text, "char_unprintable", fmt.Sprintf("%s“%s”列“%s”中的“%c”家书字库里没有，信上这个字会印成空格“＿”：请在打印好的家书上手写补上，不要改成别的字。", s.where(row), col, text, r))
			return
		}
	}
	if n := utf8.RuneCountInString(text); n > maxNameRunes {
		warn(col, text, "name_long", fmt.Sprintf("%s“%s”列的内容有 %d 个字，超过 %d 个字：信和回执上会缩小或截短印出，请核对是否填错了列。", s.where(row), col, n, maxNameRunes))
	}
}

// maxNameRunes is the longest name printed whole at its usual size on the
// slip; longer ones (a note pasted into the name column) are usually errors.
const maxNameRunes = 20

// printable is Options.Printable, or without it every character of the
// Basic Multilingual Plane (outside it, only the fonts can tell).
func (s *sheetReader) printable(r rune) bool {
	if s.p.opt.Printable != nil {
		return s.p.opt.Printable(r)
	}
	return r <= 0xFFFF
}

func (s *sheetReader) markRaw(row int) {
	if s.rawNeeded == nil {
		s.rawNeeded = map[int]int{}
	}
	s.rawNeeded[row] = len(s.records)
}

// fixScientific reads the sheet again, raw, for the rows whose student number
// was formatted in scientific notation (numbers of more than 15 digits): the
// raw cell keeps every digit written to the file.
func (s *sheetReader) fixScientific(src source, index int) error {
	col := s.colIndex(roleNumber)
	rows, err := src.rows(index, true)
	if err != nil {
		return fmt.Errorf("roster: sheet %q: %w", s.name, err)
	}
	defer rows.close()
	for rows.next() && len(s.rawNeeded) > 0 {
		row := rows.row()
		i, ok := s.rawNeeded[row]
		if !ok {
			continue
		}
		cells, err := rows.cells()
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
			fmt.Sprintf("工作表“%s”第%d行的表头中没有“学号”列，%d名学生都无法导入：请加一列学号（或学籍号）后重新上传，学号用来区分同名学生并在再次导入时更新名单。", s.name, s.lay.row, s.numberColumnMissing))
	}
	if s.blankNumbered > 0 {
		p.problem(s.name, s.blankNumberedRow, orDefault(numberH, "学号"), "", Warning, "rows_without_name",
			fmt.Sprintf("%s起共%d行只填了“%s”，没有姓名和家长信息，已跳过：如果这些是学生，请补上姓名和家长手机后重新上传。", s.where(s.blankNumberedRow), s.blankNumbered, orDefault(numberH, "学号")))
	}
	if s.classMissing > 0 && s.entryYearTitle != "" {
		p.problem(s.name, s.classMissingRow, "", s.entryYearTitle, Error, "class_missing",
			fmt.Sprintf("工作表“%s”的标题“%s”写的是入学年级（届），看不出现在是几年级，%d名学生无法确定班级：请导入时选择班级（如“二年级3班”），或在表中加一列“班级”。", s.name, s.entryYearTitle, s.classMissing))
	} else if s.classMissing > 0 {
		p.problem(s.name, s.classMissingRow, "", "", Error, "class_missing",
			fmt.Sprintf("工作表“%s”中有%d名学生无法确定班级：请在表中加一列“班级”（如“三年级2班”），或把工作表命名为班级名，或导入时选择班级。", s.name, s.classMissing))
	}
	for _, rec := range s.records {
		st := rec.student
		if rec.numberExact && digitCount(st.Number) > 15 {
			p.problem(s.name, st.Row, numberH, st.Number, Warning, "number_precision",
				fmt.Sprintf("%s“%s”列的学号 %s 以数字形式保存，超过15位时 Excel 会把末尾几位改成0：请把这一列设为“文本”格式，重新输入后核对。", s.where(st.Row), numberH, st.Number))
		}
		if st.Number != "" && st.Name != "" {
			prev, dup := p.numbers[st.Number]
			if dup && prev.failed && prev.name == st.Name {
				// A corrected copy of a row with an error: this one counts.
				dup = false
			}
			if dup {
				where := fmt.Sprintf("第%d行", prev.row)
				if prev.sheet != s.name {
					where = fmt.Sprintf("工作表“%s”第%d行", prev.sheet, prev.row)
				}
				if prev.name == st.Name {
					p.problem(s.name, st.Row, numberH, st.Number, Warning, "row_duplicate",
						fmt.Sprintf("%s与%s重复（“%s”%s，%s），只导入一次：请删除重复的行。", s.where(st.Row), where, numberH, st.Number, st.Name))
				} else {
					p.problem(s.name, st.Row, numberH, st.Number, Error, "number_duplicate",
						fmt.Sprintf("%s“%s”列：“%s”的学号 %s 与%s“%s”重复，这一行不会导入：请核对两人的学号。", s.where(st.Row), numberH, st.Name, st.Number, where, prev.name))
				}
				continue
			}
			// A row with an error still claims its number, so that another
			// student under the same number is reported now, not only after
			// the teacher has corrected the first row and uploaded again.
			p.numbers[st.Number] = seen{name: st.Name, sheet: s.name, row: st.Row, failed: rec.failed}
		}
		if rec.failed {
			continue
		}
		c := p.classes[rec.class]
		if c == nil {
			c = &Class{Grade: rec.class.grade, Number: rec.class.class, Name: grade.ClassName(rec.class.grade, rec.class.class),
				Source: s.sourceOf(rec.class)}
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

// extraPhone is a second number written into one guardian's phone cell.
type extraPhone struct {
	mobile, relation, header, raw string
}

// addExtraPhones files the second numbers of phone cells
// (13800138000、13900139000) as further guardians while the student has
// fewer guardians than the sheet has guardian columns for (at least two),
// and reports the numbers it had to leave out.
func (s *sheetReader) addExtraPhones(row int, st *Student, extras []extraPhone, warn func(col, value, code, msg string)) {
	room := max(2, len(s.lay.slots))
next:
	for _, e := range extras {
		for _, g := range st.Guardians {
			if g.Mobile == e.mobile {
				continue next
			}
		}
		if len(st.Guardians) < room {
			st.Guardians = append(st.Guardians, Guardian{Relation: e.relation, Mobile: e.mobile})
			continue
		}
		warn(e.header, e.raw, "phone_extra_dropped", fmt.Sprintf("%s“%s”列写了多个号码，这名学生已有%d位家长的号码，%s 不会导入：如需要，请把它换到另一位家长的手机列。", s.where(row), e.header, len(st.Guardians), e.mobile))
	}
}

// firstPhoneHeader is the header of the sheet's first guardian phone column, or "".
func (s *sheetReader) firstPhoneHeader() string {
	for _, sl := range s.lay.slots {
		if sl.phone >= 0 {
			return sl.phoneHeader
		}
	}
	return ""
}

// firstContent is the first non-blank cell of a row, trimmed.
func firstContent(cells []string) string {
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			return c
		}
	}
	return ""
}

// isNoteRow reports a line of text under the table (制表人：王老师,
// 填表说明：…, 注：…): it starts with a note word or holds a colon, and it
// is not a student's row with a name and a number of its own.
func isNoteRow(first, name, number string) bool {
	if !isNote(first) && !strings.ContainsAny(first, ":：") {
		return false
	}
	name, number = strings.TrimSpace(name), strings.TrimSpace(number)
	return name == "" || number == "" || first == name || first == number
}

// onlyNumbered reports a row whose only content is its 学号, class, grade,
// head teacher or 序号 (a small whole number): a blank template row.
func (s *sheetReader) onlyNumbered(cells []string) bool {
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		switch s.roleAt(i) {
		case roleNumber, roleClass, roleGrade, roleHeadTeacher:
			continue
		case roleNone:
			if len(c) <= 5 && allDigits(c) {
				continue // 序号
			}
		}
		return false
	}
	return true
}

// roleAt is the role of the column at index i.
func (s *sheetReader) roleAt(i int) role {
	for _, c := range s.lay.columns {
		if c.index == i {
			return c.role
		}
	}
	return roleNone
}

// hasEntryYear reports a title naming a cohort by its entry year, such as
// 2024级3班: the grade it is in now depends on the date, so it is not
// guessed.
func hasEntryYear(t string) bool {
	rs := []rune(grade.Normalize(t))
	for i := 4; i < len(rs); i++ {
		if rs[i] == '级' || rs[i] == '届' {
			if allDigits(string(rs[i-4:i])) && (i == 4 || !isDigitRune(rs[i-5])) {
				return true
			}
		}
	}
	return false
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }
