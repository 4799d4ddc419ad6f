package rostertest

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestGenerateWritesASheetPerClassWithNumbersAsNumbers(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Generate(&buf, 100, PerClass(45)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 || sheets[0] != "一年级1班" {
		t.Fatalf("sheets = %v, want 3 classes starting with 一年级1班", sheets)
	}
	typ, err := f.GetCellType(sheets[0], "B3")
	if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
		t.Errorf("student number cell type = %v, %v; want a number", typ, err)
	}
	rows, err := f.GetRows(sheets[2])
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rows) - 2; got != 10 {
		t.Errorf("last class has %d students, want 10", got)
	}
}

func TestGenerateIsReproducible(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if err := Generate(&a, 50, OneSheet()); err != nil {
		t.Fatal(err)
	}
	if err := Generate(&b, 50, OneSheet()); err != nil {
		t.Fatal(err)
	}
	fa, _ := excelize.OpenReader(&a)
	fb, _ := excelize.OpenReader(&b)
	ra, _ := fa.GetRows("Sheet1")
	rb, _ := fb.GetRows("Sheet1")
	if len(ra) != 52 || len(rb) != 52 || ra[10][2] != rb[10][2] {
		t.Errorf("rows: %d %d; a[10]=%v b[10]=%v", len(ra), len(rb), ra[10], rb[10])
	}
}
