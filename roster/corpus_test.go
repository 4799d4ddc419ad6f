package roster

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"jiashu/roster/rostertest"
)

// The fuzz targets' seed corpus holds, besides the fixtures, damaged copies
// of them (rostertest.Sample: bit flips, changed bytes, zeroed and garbage
// sectors, cuts, line-end and 7-bit conversions) in testdata/fuzz/<target>/,
// where `go test` runs them as regression cases and `go test -fuzz` starts
// from them. They are written by
//
//	go test ./roster -run TestFuzzSeedCorpus -write-corpus
//
// and otherwise checked to be what that writes.

var writeCorpus = flag.Bool("write-corpus", false, "write the fuzz targets' seed corpus of damaged fixtures to testdata/fuzz")

// corpusPlan is which fixtures each target gets damaged copies of, and how
// many of each (the smaller fixtures: the corpus stays under 5 MB).
var corpusPlan = []struct {
	target string
	files  []string
	copies int
}{
	{"FuzzXLS", []string{"features.xls", "messy.xls", "clean-class.xls"}, 10},
	{"FuzzXLSX", []string{"features.xlsx", "messy.xlsx", "clean-class.xlsx"}, 10},
	{"FuzzODS", []string{"features.ods"}, 12},
	{"FuzzCSV", []string{"clean-class-utf8.csv", "clean-class-gbk.csv", "messy-utf8.csv", "messy-gbk.csv"}, 8},
}

// corpusFile is a seed in the format of Go's fuzzing corpus.
func corpusFile(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}

func TestFuzzSeedCorpusIsDamagedFixtures(t *testing.T) {
	t.Parallel()
	for _, plan := range corpusPlan {
		dir := filepath.Join("testdata", "fuzz", plan.target)
		if *writeCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range plan.files {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range rostertest.Sample(data, plan.copies, 1) {
				path := filepath.Join(dir, "damaged-"+name+"-"+d.Name)
				want := corpusFile(d.Data)
				if *writeCorpus {
					if err := os.WriteFile(path, want, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s is missing or stale (%v): run go test ./roster -run TestFuzzSeedCorpus -write-corpus", path, err)
				}
			}
		}
	}
}

// TestDamagedFilesAreRefusedOrReadWhole damages every multi-format fixture
// in 200 ways and requires each copy to be refused, or read with the same
// students, or read with a problem the intact file does not have (a row
// with an error, a sheet reported hidden): never fewer students in
// silence. (A change inside a cell's text that leaves a valid text, a
// name for another, is no damage a reader can see, and 200 random changes
// of these files hit none.)
func TestDamagedFilesAreRefusedOrReadWhole(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"features.xls", "messy.xls", "clean-class.xls", "school-multisheet.xls",
		"features.xlsx", "clean-class.xlsx", "features.ods", "clean-class.ods"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		intact, err := Parse(context.Background(), bytes.NewReader(data), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range rostertest.Sample(data, 200, 2) {
			res, err := Parse(context.Background(), bytes.NewReader(d.Data), Options{})
			var fe *FileError
			switch {
			case errors.As(err, &fe):
			case err != nil:
				t.Errorf("%s %s: %v", name, d.Name, err)
			case countStudents(res) < countStudents(intact) && !newProblem(intact, res):
				t.Errorf("%s %s: %d of %d students read, and no problem says why", name, d.Name, countStudents(res), countStudents(intact))
			}
		}
	}
}

// newProblem reports whether res has a problem intact has not.
func newProblem(intact, res *Result) bool {
	had := map[string]bool{}
	for _, p := range intact.Problems {
		had[fmt.Sprint(p.Sheet, p.Row, p.Code)] = true
	}
	for _, p := range res.Problems {
		if !had[fmt.Sprint(p.Sheet, p.Row, p.Code)] {
			return true
		}
	}
	return false
}
