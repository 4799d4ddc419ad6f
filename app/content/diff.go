package content

import (
	"strings"

	"jiashu/letters"
)

// The reviewer's comparison of a version against the approved one it
// replaces: methods side by side by field, and each file by paragraph
// (blocks of lines separated by blank lines), aligned by their longest
// common subsequence.

// Change says how a row differs.
type Change string

// Changes of a diff row.
const (
	Same    Change = "same"
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
)

// MethodDiff is one method in either version.
type MethodDiff struct {
	ID     string
	Title  string
	Change Change
	Fields []FieldDiff // the fields that differ (all of them when added or removed)
}

// FieldDiff is one field of a method, before and after.
type FieldDiff struct{ Name, Old, New string }

// ParagraphRow is one row of a file's side-by-side comparison.
type ParagraphRow struct {
	Change   Change
	Old, New string
	OldLine  int // first line of the paragraph, 0 when absent
	NewLine  int
}

// FileDiff is one file compared by paragraph.
type FileDiff struct {
	Path    string
	Rows    []ParagraphRow
	Changed bool
}

// Diff is a version against the one it replaces.
type Diff struct {
	Methods []MethodDiff // only methods that differ
	Files   []FileDiff   // every file, Changed when any paragraph differs
}

// Compare compares new against old (either may lack files).
func Compare(old, new Files) Diff {
	var d Diff
	d.Methods = compareMethods(old[MethodsPath], new[MethodsPath])
	for _, p := range KnownPaths() {
		o, okO := old[p]
		n, okN := new[p]
		if !okO && !okN {
			continue
		}
		fd := FileDiff{Path: p, Rows: compareParagraphs(o, n)}
		for _, r := range fd.Rows {
			if r.Change != Same {
				fd.Changed = true
			}
		}
		d.Files = append(d.Files, fd)
	}
	return d
}

// MethodsPath is the method library's file.
const MethodsPath = "methods.txt"

// methodsOf parses methods leniently (a draft may not parse as a library):
// each 【id】 block's keys.
func methodsOf(src string) (ids []string, byID map[string]map[string]string) {
	byID = map[string]map[string]string{}
	var cur map[string]string
	last := ""
	for _, raw := range strings.Split(src, "\n") {
		ln := strings.TrimSpace(raw)
		switch {
		case ln == "" || strings.HasPrefix(ln, "#"):
			continue
		case strings.HasPrefix(ln, "【") && strings.HasSuffix(ln, "】"):
			id := strings.TrimSuffix(strings.TrimPrefix(ln, "【"), "】")
			cur = map[string]string{}
			byID[id] = cur
			ids = append(ids, id)
			last = ""
		case cur == nil:
		case raw != ln && last != "":
			cur[last] += ln // a continuation line
		default:
			if k, v, ok := cutKey(ln); ok {
				cur[k], last = v, k
			}
		}
	}
	return ids, byID
}

func cutKey(s string) (string, string, bool) {
	i := strings.IndexAny(s, ":：")
	if i <= 0 || i > 18 {
		return "", "", false
	}
	sep := 1
	if strings.HasPrefix(s[i:], "：") {
		sep = len("：")
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+sep:]), true
}

// methodFields are the fields of a method in the order a reviewer reads them.
var methodFields = []string{"名称", "年龄段", "手法", "防范", "案例", "提醒"}

func compareMethods(old, new string) []MethodDiff {
	oldIDs, o := methodsOf(old)
	newIDs, n := methodsOf(new)
	var out []MethodDiff
	for _, id := range newIDs {
		om, had := o[id]
		md := MethodDiff{ID: id, Title: n[id]["名称"], Change: Changed}
		if !had {
			md.Change = Added
		}
		for _, f := range methodFields {
			if om[f] != n[id][f] {
				md.Fields = append(md.Fields, FieldDiff{Name: f, Old: om[f], New: n[id][f]})
			}
		}
		if len(md.Fields) > 0 {
			out = append(out, md)
		}
	}
	for _, id := range oldIDs {
		if _, ok := n[id]; ok {
			continue
		}
		md := MethodDiff{ID: id, Title: o[id]["名称"], Change: Removed}
		for _, f := range methodFields {
			if o[id][f] != "" {
				md.Fields = append(md.Fields, FieldDiff{Name: f, Old: o[id][f]})
			}
		}
		out = append(out, md)
	}
	return out
}

type paragraph struct {
	text string
	line int
}

// paragraphs splits src at blank lines, dropping comment lines.
func paragraphs(src string) []paragraph {
	var out []paragraph
	var cur []string
	start := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, paragraph{strings.Join(cur, "\n"), start})
			cur = nil
		}
	}
	for i, ln := range strings.Split(src, "\n") {
		t := strings.TrimSpace(ln)
		if t == "" {
			flush()
			continue
		}
		if strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "##") {
			continue
		}
		if len(cur) == 0 {
			start = i + 1
		}
		cur = append(cur, strings.TrimRight(ln, " \t\r"))
	}
	flush()
	return out
}

// compareParagraphs aligns two texts by paragraph (longest common
// subsequence); an unmatched removal next to an unmatched addition is one
// changed row.
func compareParagraphs(old, new string) []ParagraphRow {
	a, b := paragraphs(old), paragraphs(new)
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i].text == b[j].text {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var rows []ParagraphRow
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i].text == b[j].text:
			rows = append(rows, ParagraphRow{Same, a[i].text, b[j].text, a[i].line, b[j].line})
			i, j = i+1, j+1
		case i < len(a) && j < len(b) && lcs[i+1][j] == lcs[i][j+1]:
			rows = append(rows, ParagraphRow{Changed, a[i].text, b[j].text, a[i].line, b[j].line})
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			rows = append(rows, ParagraphRow{Added, "", b[j].text, 0, b[j].line})
			j++
		default:
			rows = append(rows, ParagraphRow{Removed, a[i].text, "", a[i].line, 0})
			i++
		}
	}
	return rows
}

// UsedBy lists, per method ID, the age groups whose letters print it.
func UsedBy(lib *letters.Library) map[string][]string {
	out := map[string][]string{}
	for _, ag := range letters.AgeGroups() {
		t, err := lib.Template(ag)
		if err != nil {
			continue
		}
		for _, b := range t.Body {
			if b.Method != nil {
				out[b.Method.ID] = append(out[b.Method.ID], ag)
			}
		}
	}
	return out
}

// Touched lists, in letters.AgeGroups order, the age groups whose letter or
// class-meeting kit d (a comparison of new against old) changes: a changed
// template or lesson file, or a changed method that an age group's letter
// prints in either version. A library that does not parse touches every
// age group: the reviewer must see them all.
func Touched(old, new Files, d Diff) []string {
	hit := map[string]bool{}
	for _, f := range d.Files {
		if !f.Changed {
			continue
		}
		for _, ag := range letters.AgeGroups() {
			if f.Path == TemplatePath(ag) || f.Path == LessonPath(ag) {
				hit[ag] = true
			}
		}
	}
	if len(d.Methods) > 0 {
		for _, files := range []Files{old, new} {
			if len(files) == 0 {
				continue
			}
			lib, err := files.Library()
			if err != nil {
				for _, ag := range letters.AgeGroups() {
					hit[ag] = true
				}
				continue
			}
			used := UsedBy(lib)
			for _, m := range d.Methods {
				for _, ag := range used[m.ID] {
					hit[ag] = true
				}
			}
		}
	}
	var out []string
	for _, ag := range letters.AgeGroups() {
		if hit[ag] {
			out = append(out, ag)
		}
	}
	return out
}
