package roster

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// csvRoster is a class list as other systems export it, with a title line,
// Chinese headers and a cell that spans two lines.
const csvRoster = "三年级2班 学生名单\n" +
	"学号,姓名,性别,家长姓名,家长手机,备注\n" +
	"1001,王小明,男,王大明,13800138000,\n" +
	"1002,李小红,女,李强,1380013800,\"转学生\n已报到\"\n" +
	"1003,张三,男,张伟,13900139000,\n"

// TestCSVVariantsReadAlike reads the same table in every separator and
// encoding schools meet and expects the same students and problems, with
// row numbers that are the file's line numbers.
func TestCSVVariantsReadAlike(t *testing.T) {
	t.Parallel()
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csvRoster)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(csvRoster, ",", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(context.Background(), strings.NewReader(csvRoster), Options{Name: "名单.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if countStudents(want) != 2 || len(want.Problems) != 1 || want.Problems[0].Row != 4 || want.Problems[0].Code != "phone_invalid" {
		t.Fatalf("UTF-8 comma CSV: %d students, problems %+v", countStudents(want), want.Problems)
	}
	if want.Classes[0].Students[1].Row != 6 {
		t.Errorf("row after a two-line cell is %d, want line 6", want.Classes[0].Students[1].Row)
	}
	variants := map[string]string{
		"GBK":                     gbk,
		"UTF-8 with BOM":          "\ufeff" + csvRoster,
		"semicolons":              strings.ReplaceAll(csvRoster, ",", ";"),
		"tabs":                    strings.ReplaceAll(csvRoster, ",", "\t"),
		"UTF-16 (Unicode text)":   utf16,
		"Windows line ends (GBK)": strings.ReplaceAll(gbk, "\n", "\r\n"),
	}
	for name, text := range variants {
		t.Run(name+" reads as the UTF-8 CSV", func(t *testing.T) {
			got, err := Parse(context.Background(), strings.NewReader(text), Options{Name: "名单.csv"})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestCSVTableIsNamedAfterTheFile(t *testing.T) {
	t.Parallel()
	text := "学号,姓名,家长手机\n1,王小明,13800138000\n"
	res, err := Parse(context.Background(), strings.NewReader(text), Options{Name: `C:\名单\四年级（3）班.csv`})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Classes) != 1 || res.Classes[0].Name != "四年级3班" || res.Classes[0].Students[0].Sheet != "四年级（3）班" {
		t.Errorf("classes %+v", res.Classes)
	}
}

// TestLegacyAndOtherFilesAreRefusedPlainly covers what a school may upload
// that is not a readable roster, in the formats added beside .xlsx.
func TestLegacyAndOtherFilesAreRefusedPlainly(t *testing.T) {
	t.Parallel()
	xls, err := os.ReadFile(filepath.Join("testdata", "clean-class.xls"))
	if err != nil {
		t.Fatal(err)
	}
	ods, err := os.ReadFile(filepath.Join("testdata", "clean-class.ods"))
	if err != nil {
		t.Fatal(err)
	}
	encryptedXLS := withFilePass(t, xls)
	xlsx, err := os.ReadFile(filepath.Join("testdata", "clean-class.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	var encryptedXLSX bytes.Buffer
	encryptedXLSX.WriteString(oleSignature)
	encryptedXLSX.Write(make([]byte, 500))
	encryptedXLSX.WriteString(encryptedPackage)
	_, wantEncrypted := Parse(context.Background(), &encryptedXLSX, Options{})

	cases := []struct {
		name     string
		data     []byte
		code     string
		sayWhat  string
		sameAsFn error
	}{
		{"a password-protected .xls, as an encrypted .xlsx", encryptedXLS, CodeEncrypted, "密码", wantEncrypted},
		{"a truncated .xls", xls[:len(xls)/3], CodeCorrupt, "", nil},
		{"an .ods with an encrypted manifest", rezip(t, ods, "META-INF/manifest.xml", []byte(`<manifest:manifest><manifest:encryption-data/></manifest:manifest>`)), CodeEncrypted, "密码", nil},
		{"an OpenDocument text, not a spreadsheet", rezip(t, ods, "mimetype", []byte("application/vnd.oasis.opendocument.text")), CodeNotXLSX, "不是电子表格", nil},
		{"an .ods with broken XML", rezip(t, ods, "content.xml", []byte("<office:document-content><table:table")), CodeCorrupt, "", nil},
		{"a Word 97 document (OLE2 without a workbook)", withoutWorkbook(t, xls), CodeNotXLSX, "不是电子表格", nil},
		{"a GBK text that is no table", mustGBK(t, "请家长于周五前交回回执。\n谢谢配合！\n"), CodeNotXLSX, "不是能读取的表格", nil},
		{"Excel 2003 XML", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>`), CodeNotXLSX, "另存为", nil},
		{"the first bytes of an .xlsx only", xlsx[:40], CodeCorrupt, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name+" is refused as "+c.code, func(t *testing.T) {
			res, err := Parse(context.Background(), bytes.NewReader(c.data), Options{})
			var fe *FileError
			if !errors.As(err, &fe) || fe.Code != c.code {
				t.Fatalf("got res=%v err=%v, want FileError %s", res != nil, err, c.code)
			}
			if !strings.Contains(fe.Message, c.sayWhat) || !strings.Contains(fe.Message, "请") {
				t.Errorf("message %q should say %q and what to do", fe.Message, c.sayWhat)
			}
			if c.sameAsFn != nil && err.Error() != c.sameAsFn.Error() {
				t.Errorf("message %q, want the .xlsx one %q", err, c.sameAsFn)
			}
		})
	}
}

// withFilePass marks a real .xls as encrypted the way Excel does, with a
// FILEPASS record right after the workbook's BOF: the record after it
// (same size, so the container stays valid) changes type.
func withFilePass(t *testing.T, xls []byte) []byte {
	t.Helper()
	bof := []byte{0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00}
	i := bytes.Index(xls, bof)
	if i < 0 {
		t.Fatal("no workbook BOF in the .xls")
	}
	out := append([]byte(nil), xls...)
	next := i + 4 + 16
	out[next], out[next+1] = 0x2F, 0x00
	return out
}

// withoutWorkbook renames the Workbook stream in the directory, as a Word
// or PowerPoint 97 file has none.
func withoutWorkbook(t *testing.T, xls []byte) []byte {
	t.Helper()
	name := []byte("W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00")
	i := bytes.Index(xls, name)
	if i < 0 {
		t.Fatal("no Workbook stream in the .xls")
	}
	out := append([]byte(nil), xls...)
	copy(out[i:], "W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00")
	return out
}

func mustGBK(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rezip replaces one part of a zip.
func rezip(t testing.TB, data []byte, name string, content []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{name: content}
	for _, f := range zr.File {
		if f.Name == name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
	}
	return zipOf(t, parts)
}
