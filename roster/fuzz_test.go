package roster

import (
	"bytes"
	"context"
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
	f.Add(book(f, func(x *excelize.File) {
		rowsAt(f, x, "Sheet1", 1, []any{"2024级3班"}, []any{"序号", "学籍号", "学生姓名", "出生年月", "家长信息"},
			[]any{nil, nil, nil, nil, "姓名", "关系", "联系电话"},
			[]any{1, "G110105201601010011", "王小明", "2016.01", "王大明", "父子", "父13700137000 母13800138000（停机）"}, []any{2})
		x.MergeCell("Sheet1", "E2", "G2")
		x.NewSheet("隐藏")
		rowsAt(f, x, "隐藏", 1, []any{"学号", "姓名", "手机"})
		x.SetSheetVisible("隐藏", false)
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(context.Background(), bytes.NewReader(data), Options{MaxBytes: 1 << 20, Class: "一年级1班"})
		if (res == nil) == (err == nil) {
			t.Fatalf("res=%v err=%v", res != nil, err)
		}
		var fe *FileError
		if err != nil && errors.As(err, &fe) && fe.Message == "" {
			t.Fatalf("FileError without message: %+v", fe)
		}
	})
}
