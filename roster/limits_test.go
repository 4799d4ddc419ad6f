package roster_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"jiashu/roster"
	"jiashu/roster/rostertest"
)

func generated(t *testing.T, students int, opts ...rostertest.Option) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := rostertest.Generate(&buf, students, opts...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAClassBeyondTheCapIsRefusedNamingClassSheetAndRow(t *testing.T) {
	t.Parallel()
	data := generated(t, roster.MaxClassStudents+1, rostertest.PerClass(roster.MaxClassStudents+1))
	res, err := roster.Parse(context.Background(), bytes.NewReader(data), roster.Options{})
	var fe *roster.FileError
	if !errors.As(err, &fe) || fe.Code != roster.CodeClassTooLarge {
		t.Fatalf("Parse = %v, %v; want a %s refusal", res, err, roster.CodeClassTooLarge)
	}
	// The title row and the header come first: student 121 is on row 123.
	for _, want := range []string{"一年级1班", "121 名学生", "每班 120 名", "工作表「一年级1班」第123行", "什么也没有导入"} {
		if !strings.Contains(fe.Message, want) {
			t.Errorf("message %q lacks %q", fe.Message, want)
		}
	}
	t.Run("a class at the cap is read", func(t *testing.T) {
		data := generated(t, roster.MaxClassStudents, rostertest.PerClass(roster.MaxClassStudents))
		res, err := roster.Parse(context.Background(), bytes.NewReader(data), roster.Options{})
		if err != nil || len(res.Classes) != 1 || len(res.Classes[0].Students) != roster.MaxClassStudents {
			t.Fatalf("Parse = %v; want one class of %d", err, roster.MaxClassStudents)
		}
	})
}

func TestAFileBeyondTheImportCapIsRefusedAtTheFirstRowTooMany(t *testing.T) {
	t.Parallel()
	// One sheet of a school's register, 40 students too many for a cap of
	// 200: refused at student 201, whatever follows.
	data := generated(t, 240, rostertest.OneSheet(), rostertest.PerClass(40))
	_, err := roster.Parse(context.Background(), bytes.NewReader(data), roster.Options{MaxStudents: 200})
	var fe *roster.FileError
	if !errors.As(err, &fe) || fe.Code != roster.CodeTooManyStudents {
		t.Fatalf("Parse = %v; want a %s refusal", err, roster.CodeTooManyStudents)
	}
	for _, want := range []string{"上限 200 名", "第 201 名", "分成几个文件"} {
		if !strings.Contains(fe.Message, want) {
			t.Errorf("message %q lacks %q", fe.Message, want)
		}
	}
	if _, err := roster.Parse(context.Background(), bytes.NewReader(data), roster.Options{MaxStudents: 240}); err != nil {
		t.Errorf("at the cap: %v", err)
	}
}

func TestTheDefaultImportCapIsFiveThousandStudents(t *testing.T) {
	t.Parallel()
	data := generated(t, roster.MaxImportStudents+1, rostertest.OneSheet())
	_, err := roster.Parse(context.Background(), bytes.NewReader(data), roster.Options{MaxBytes: 64 << 20})
	var fe *roster.FileError
	if !errors.As(err, &fe) || fe.Code != roster.CodeTooManyStudents || !strings.Contains(fe.Message, "5000") {
		t.Fatalf("Parse = %v; want the 5000-student refusal", err)
	}
}
