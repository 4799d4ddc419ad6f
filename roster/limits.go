package roster

import (
	"fmt"

	"jiashu/grade"
)

// Caps on what one roster may hold. They bound the work an upload can
// cause downstream (a preview, an import, a class page, a class PDF), so
// that one legal-sized file cannot take the service down: a 10 MB
// workbook can hold 330,000 rows of one class.
//
// Chinese norms put a class at 45 (primary) to 50 (secondary) students and
// call 66 and above a 超大班额 to be phased out; 120 leaves room for any real
// class, even a merged or temporary one, while a class PDF stays a few
// seconds and a few MB. 5,000 students is a large school's whole register
// in one file (most schools have fewer than 3,000); a bigger one is split
// by grade, and reading stops at the first row beyond it, so such a file
// costs no more than a legal one.
const (
	MaxClassStudents  = 120
	MaxImportStudents = 5000
)

// The codes of the caps' FileErrors.
const (
	CodeTooManyStudents = "too_many_students"
	CodeClassTooLarge   = "class_too_large"
)

// limit resolves an Options cap: 0 is the default, negative is none.
func limit(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return int(^uint(0) >> 1)
	}
	return v
}

// tooManyStudents refuses a file at the first student row beyond max.
func tooManyStudents(sheet string, row, max int) *FileError {
	return fileError(CodeTooManyStudents, fmt.Sprintf(
		"名单超过一次导入的上限 %d 名学生（工作表「%s」第%d行是第 %d 名）：请按年级或班级把名单分成几个文件，分别上传。什么也没有导入。",
		max, sheet, row, max+1))
}

// checkClassSizes refuses the file when a class has more valid students
// than max, naming the class and the row of its first student too many.
func (p *parser) checkClassSizes(classes []Class, max int) error {
	for _, c := range classes {
		if len(c.Students) <= max {
			continue
		}
		st := c.Students[max]
		return fileError(CodeClassTooLarge, fmt.Sprintf(
			"班级「%s」有 %d 名学生，超过每班 %d 名的上限（从工作表「%s」第%d行起超出）：请检查「班级」列或工作表名是否写错，一个班的名单不要和别的班混在一起。什么也没有导入。",
			grade.ClassName(c.Grade, c.Number), len(c.Students), max, st.Sheet, st.Row))
	}
	return nil
}
