package roster

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzParse checks that no input makes Parse panic, and that it answers
// either a result or a FileError-or-plain error, never both or neither.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xls*"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	var tpl bytes.Buffer
	if err := WriteTemplate(&tpl); err != nil {
		f.Fatal(err)
	}
	f.Add(tpl.Bytes())
	f.Add(book(f, func(x *excelize.File) {
		rowsAt(f, x, "Sheet1", 1, []any{"班级：三年级2班"}, []any{"年级", "班级", "学号", "姓名", "出生日期", "父亲手机"},
			[]any{"三年级", "2班", int64(123456789012345678), "𠮷·祥", 40183, "+86 138-0013-8000"})
		x.MergeCell("Sheet1", "A3", "A4")
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(bytes.NewReader(data), Options{MaxBytes: 1 << 20, Class: "一年级1班"})
		if (res == nil) == (err == nil) {
			t.Fatalf("res=%v err=%v", res != nil, err)
		}
		var fe *FileError
		if err != nil && errors.As(err, &fe) && fe.Message == "" {
			t.Fatalf("FileError without message: %+v", fe)
		}
	})
}
