package roster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// expectation is one entry of testdata/expected.json (see testdata/README.md).
type expectation struct {
	File       string   `json:"file"`
	Students   int      `json:"students"`
	Classes    []string `json:"classes"`
	ErrorRows  []string `json:"error_rows"`
	WarnRows   []string `json:"warn_rows"`
	AllowRows  []string `json:"allow_rows"`
	AllowFewer int      `json:"allow_fewer"`
	Unusable   bool     `json:"unusable"`
	Note       string   `json:"note"`
}

func loadExpectations(t *testing.T, name string) []expectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var exps []expectation
	if err := json.Unmarshal(data, &exps); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return exps
}

func parseFile(t *testing.T, path string, opt Options) (*Result, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(context.Background(), f, opt)
}

func countStudents(res *Result) int {
	n := 0
	for _, c := range res.Classes {
		n += len(c.Students)
	}
	return n
}

func classKeys(res *Result) []string {
	var keys []string
	for _, c := range res.Classes {
		keys = append(keys, fmt.Sprintf("%d-%d", c.Grade, c.Number))
	}
	sort.Strings(keys)
	return keys
}

// TestFixtures runs the workbooks described in testdata/expected.json: the
// valid students, the classes, the rows reported, the files refused.
func TestFixtures(t *testing.T) {
	t.Parallel()
	for _, e := range loadExpectations(t, "expected.json") {
		t.Run(e.File+" is read as expected", func(t *testing.T) {
			res, err := parseFile(t, filepath.Join("testdata", e.File), Options{})
			if e.Unusable {
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("want a FileError, got res=%v err=%v", res != nil, err)
				}
				if fe.Message == "" || fe.Code == "" {
					t.Errorf("FileError without code or message: %+v", fe)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			byRow := map[string][]Problem{}
			for _, p := range res.Problems {
				k := fmt.Sprintf("%s!%d", p.Sheet, p.Row)
				byRow[k] = append(byRow[k], p)
			}
			allowed := map[string]bool{}
			for _, r := range e.AllowRows {
				allowed[r] = true
			}
			wantErr := map[string]bool{}
			for _, r := range e.ErrorRows {
				wantErr[r] = true
				if !hasSeverity(byRow[r], Error) {
					t.Errorf("row %s: want an error, got %+v", r, byRow[r])
				}
			}
			for _, r := range e.WarnRows {
				if len(byRow[r]) == 0 {
					t.Errorf("row %s: want a problem reported, got none", r)
				}
			}
			for k, ps := range byRow {
				if hasSeverity(ps, Error) && !wantErr[k] && !allowed[k] {
					t.Errorf("row %s: unexpected error %+v", k, ps)
				}
			}
			got := countStudents(res)
			if got != e.Students && !(e.AllowFewer > 0 && got >= e.Students-e.AllowFewer && got < e.Students) {
				t.Errorf("students = %d, want %d (allow %d fewer)", got, e.Students, e.AllowFewer)
			}
			want := append([]string(nil), e.Classes...)
			sort.Strings(want)
			if fmt.Sprint(classKeys(res)) != fmt.Sprint(want) {
				t.Errorf("classes = %v, want %v", classKeys(res), want)
			}
			for _, p := range res.Problems {
				if p.Message == "" || p.Code == "" {
					t.Errorf("problem without code or message: %+v", p)
				}
			}
		})
	}
}

func hasSeverity(ps []Problem, s Severity) bool {
	for _, p := range ps {
		if p.Severity == s {
			return true
		}
	}
	return false
}
