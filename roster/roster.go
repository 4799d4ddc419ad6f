// Package roster reads class rosters from the files schools keep (.xlsx,
// legacy .xls and WPS .et, .ods, CSV in UTF-8 or GBK)
// into student records plus the problems a teacher must fix. It knows
// nothing of HTTP or SQL: it takes an io.Reader and returns values.
package roster

// Severity says whether a problem blocks the import of its row.
type Severity string

const (
	// Error rows are not imported.
	Error Severity = "error"
	// Warning rows are imported; the teacher should still look at them.
	Warning Severity = "warning"
)

// Problem is one thing wrong with a cell or row, located as Excel shows it.
type Problem struct {
	Sheet    string   `json:"sheet"`
	Row      int      `json:"row"`    // 1-based, as Excel shows it; 0 when about the whole sheet
	Column   string   `json:"column"` // the column's header as written in the file, or "" for the row
	Value    string   `json:"value"`
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`    // stable, e.g. "phone_invalid"
	Message  string   `json:"message"` // Chinese, tells the teacher what to do
}

// Guardian is a parent or other guardian of a student.
type Guardian struct {
	Name     string
	Relation string // 父亲, 母亲, 祖父, 祖母, 外祖父, 外祖母, 祖父母, 外祖父母, 其他 (爸爸 → 父亲, 外婆 → 外祖母, 祖孙 → 祖父母, 叔叔 → 其他; package relation); may be ""
	Mobile   string // 11 digits, normalised; "" when none was given
}

// Student is one valid student row.
type Student struct {
	Sheet     string
	Row       int
	Number    string // 学号, digits and letters as the school writes them, leading zeros kept
	Name      string
	Gender    string // "男", "女" or ""
	BirthDate string // "2010-01-05" or ""; the 1st of the month when the file gives only 2016.01 or 2016年2月
	Guardians []Guardian
}

// Class is one class found in the workbook with its valid students.
type Class struct {
	Grade       int    // 1–12
	Number      int    // class number within the grade
	Name        string // display name, e.g. 三年级2班
	HeadTeacher string // 班主任 when the file names one
	// Source says where the class was read from, in Chinese for the
	// preview: the class column, a title row, the sheet's name or the
	// class the upload was made for (of the class's first row).
	Source   string
	Students []Student
}

// Result is what Parse found: the classes with their valid students, and every problem.
type Result struct {
	Classes  []Class
	Problems []Problem
}
