package roster

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// Real workbooks that Excel and LibreOffice open and the .xls reader once
// refused: the workbook stream under another capitalisation (WORKBOOK,
// BOOK: the format compares names without regard to case), a BIFF8 stream
// named Book, odd-but-valid headers and records. Each is made from a
// fixture by the one change, and must read as the fixture does.

// utf16Name is a directory entry name as the file stores it.
func utf16Name(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// renameStream renames the directory entry called from (with its
// terminating zero, as the entry's name length counts it).
func renameStream(t *testing.T, data []byte, from, to string) []byte {
	t.Helper()
	out := bytes.Clone(data)
	i := bytes.Index(out, utf16Name(from+"\x00"))
	if i < 0 || i%cfbDirEntry != 0 {
		t.Fatalf("no directory entry %q", from)
	}
	name := utf16Name(to + "\x00")
	clear(out[i : i+64])
	copy(out[i:], name)
	binary.LittleEndian.PutUint16(out[i+64:], uint16(len(name)))
	return out
}

// entryOf returns the offset of the directory entry called name.
func entryOf(t *testing.T, data []byte, name string) int {
	t.Helper()
	i := bytes.Index(data, utf16Name(name+"\x00"))
	if i < 0 {
		t.Fatalf("no directory entry %q", name)
	}
	return i
}

func TestWorkbooksExcelOpensRead(t *testing.T) {
	t.Parallel()
	xls, err := os.ReadFile(filepath.Join("testdata", "clean-class.xls"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(context.Background(), bytes.NewReader(xls), Options{})
	if err != nil {
		t.Fatal(err)
	}
	garbageSize := bytes.Clone(xls)
	binary.LittleEndian.PutUint32(garbageSize[entryOf(t, xls, "Workbook")+124:], 0xDEADBEEF)
	// The SST record: type 0x00FC, 2,128 bytes long in this fixture.
	sst := bytes.Index(xls, []byte{0xFC, 0x00, 0x50, 0x08})
	if sst < 0 {
		t.Fatal("no SST record")
	}
	moreStrings := bytes.Clone(xls)
	unique := binary.LittleEndian.Uint32(xls[sst+8:])
	binary.LittleEndian.PutUint32(moreStrings[sst+8:], unique+7)
	cases := map[string][]byte{
		"the stream named WORKBOOK":                      renameStream(t, xls, "Workbook", "WORKBOOK"),
		"the stream named workbook":                      renameStream(t, xls, "Workbook", "workbook"),
		"a BIFF8 stream named BOOK":                      renameStream(t, xls, "Workbook", "BOOK"),
		"a BIFF8 stream named Book":                      renameStream(t, xls, "Workbook", "Book"),
		"BOF records of version 0":                       bytes.ReplaceAll(xls, []byte("\x09\x08\x10\x00\x00\x06"), []byte("\x09\x08\x10\x00\x00\x00")),
		"a version 3 stream size with a high half":       garbageSize,
		"a shared string table that counts seven more":   moreStrings,
		"the last sector cut short after its last entry": xls[:len(xls)-100],
	}
	for name, data := range cases {
		t.Run(name+" reads as the fixture", func(t *testing.T) {
			got, err := Parse(context.Background(), bytes.NewReader(data), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if fmt.Sprint(got.Classes) != fmt.Sprint(want.Classes) || len(got.Problems) != len(want.Problems) {
				t.Errorf("read %d students and %d problems, want %d and %d", countStudents(got), len(got.Problems), countStudents(want), len(want.Problems))
			}
		})
	}
	t.Run("an Excel 5 stream named BOOK is refused as too old", func(t *testing.T) {
		old := renameStream(t, bytes.ReplaceAll(xls, []byte("\x09\x08\x10\x00\x00\x06"), []byte("\x09\x08\x10\x00\x00\x05")), "Workbook", "BOOK")
		_, err := Parse(context.Background(), bytes.NewReader(old), Options{})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Code != CodeLegacyXLS {
			t.Fatalf("Parse = %v, want a %s refusal", err, CodeLegacyXLS)
		}
	})
}
