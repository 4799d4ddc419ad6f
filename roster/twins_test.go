package roster

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestTwinsImportAlike reads each roster saved in another format (by
// LibreOffice from the .xlsx; the GBK files converted from its UTF-8 CSV)
// and expects the records and problems of its .xlsx twin: the same
// students, classes, sheet names, row numbers and messages.
func TestTwinsImportAlike(t *testing.T) {
	t.Parallel()
	twins := []struct{ file, xlsx string }{
		{"clean-class.xls", "clean-class.xlsx"},
		{"messy.xls", "messy.xlsx"},
		{"school-multisheet.xls", "school-multisheet.xlsx"},
		{"features.xls", "features.xlsx"},
		{"clean-class.ods", "clean-class.xlsx"},
		{"messy.ods", "messy.xlsx"},
		{"school-multisheet.ods", "school-multisheet.xlsx"},
		{"features.ods", "features.xlsx"},
		{"clean-class-utf8.csv", "clean-class.xlsx"},
		{"clean-class-gbk.csv", "clean-class.xlsx"},
		{"messy-utf8.csv", "messy.xlsx"},
		{"messy-gbk.csv", "messy.xlsx"},
	}
	for _, tw := range twins {
		t.Run(tw.file+" reads as "+tw.xlsx, func(t *testing.T) {
			want, err := parseFile(t, filepath.Join("testdata", tw.xlsx), Options{})
			if err != nil {
				t.Fatal(err)
			}
			opt := Options{}
			if strings.HasSuffix(tw.file, ".csv") {
				// Excel names a CSV's sheet after the file; give the
				// name of the twin's sheet.
				opt.Name = firstSheet(t, tw.xlsx) + ".csv"
			}
			got, err := parseFile(t, filepath.Join("testdata", tw.file), opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Classes, want.Classes) {
				t.Errorf("classes differ:\n got %+v\nwant %+v", got.Classes, want.Classes)
			}
			if !reflect.DeepEqual(got.Problems, want.Problems) {
				t.Errorf("problems differ:\n got %+v\nwant %+v", got.Problems, want.Problems)
			}
		})
	}
}

func firstSheet(t *testing.T, xlsx string) string {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join("testdata", xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.GetSheetList()[0]
}
