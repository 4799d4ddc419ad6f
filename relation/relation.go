// Package relation reads how rosters, parents and teachers write a
// guardian's relation to a student (父亲, 外婆, 祖孙关系, 母亲（监护人）…).
// It is the one table both the roster reader, which folds a relation to the
// names of the template's list, and the letters, which set a grandparent's
// letter in large print, read: a spelling added here counts for both.
package relation

import (
	"strings"

	"jiashu/grade"
)

// The names a relation folds to. Grandparents and MaternalGrandparents
// stand for a relation that names the grandparents without saying which
// one (祖孙, 爷爷奶奶, 外祖孙).
const (
	Father               = "父亲"
	Mother               = "母亲"
	Grandfather          = "祖父"
	Grandmother          = "祖母"
	MaternalGrandfather  = "外祖父"
	MaternalGrandmother  = "外祖母"
	Grandparents         = "祖父母"
	MaternalGrandparents = "外祖父母"
	Other                = "其他"
)

// spellings maps the ways a relation is written to its name.
var spellings = map[string]string{
	"父亲": Father, "父": Father, "爸爸": Father, "爸": Father, "父子": Father, "父女": Father, "爹": Father, "老爸": Father, "父親": Father,
	"母亲": Mother, "母": Mother, "妈妈": Mother, "妈": Mother, "母子": Mother, "母女": Mother, "娘": Mother, "老妈": Mother, "母親": Mother,
	"祖父": Grandfather, "爷爷": Grandfather, "爷": Grandfather, "爺爺": Grandfather, "爺": Grandfather,
	"祖母": Grandmother, "奶奶": Grandmother, "奶": Grandmother,
	"外祖父": MaternalGrandfather, "外公": MaternalGrandfather, "姥爷": MaternalGrandfather, "姥爺": MaternalGrandfather,
	"外祖母": MaternalGrandmother, "外婆": MaternalGrandmother, "姥姥": MaternalGrandmother,
	"祖父母": Grandparents, "爷爷奶奶": Grandparents, "奶奶爷爷": Grandparents, "祖辈": Grandparents, "祖輩": Grandparents,
	"外祖父母": MaternalGrandparents, "外公外婆": MaternalGrandparents, "外婆外公": MaternalGrandparents,
	"姥姥姥爷": MaternalGrandparents, "姥爷姥姥": MaternalGrandparents,
	"其他": Other, "其它": Other,
}

// pairStems are the first halves of a relation written as a pair of
// grandparent and grandchild (爷孙, 外祖孙女, 姥姥外孙): who the guardian is.
var pairStems = map[string]string{
	"祖": Grandparents, "爷": Grandfather, "爺": Grandfather, "奶": Grandmother,
	"外祖": MaternalGrandparents, "姥": MaternalGrandparents, "外": MaternalGrandparents,
}

// grandchildren are the second halves of such a pair, or a relation
// written from the student's side (孙子: the student is the grandson).
var grandchildren = []string{"外孙子", "外孙女", "外孙儿", "外孙", "孙子", "孙女", "孙儿", "孙"}

// Normalize folds a relation cell to one of the names above, or Other for
// any other relation (叔叔, 姑姑, 监护人 …); "" stays "". Spaces and
// full-width forms are ignored, and "父子关系", "母亲（监护人）" count as
// their relation.
func Normalize(s string) string {
	c := clean(s)
	if c == "" {
		return ""
	}
	if name, ok := find(c); ok {
		return name
	}
	return Other
}

// Lookup is Normalize for a text that may not be a relation at all (the
// words next to a phone number): ok only when the table knows it.
func Lookup(s string) (name string, ok bool) { return find(clean(s)) }

// clean drops spaces, a remark in brackets and a trailing 关系.
func clean(s string) string {
	s = strings.ReplaceAll(grade.Normalize(s), " ", "")
	s = strings.ReplaceAll(s, "孫", "孙")
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, "关系")
}

func find(s string) (string, bool) {
	if r, ok := spellings[s]; ok {
		return r, true
	}
	if r := pair(s); r != "" {
		return r, true
	}
	return "", false
}

// pair reads a grandparent–grandchild pair (祖孙, 爷孙, 外祖孙, 姥孙, 奶奶孙女)
// or a grandchild's side alone (孙子, 外孙女): the guardian is a
// grandparent, the one the first half names when it names one.
func pair(s string) string {
	for _, g := range grandchildren {
		stem, ok := strings.CutSuffix(s, g)
		if !ok {
			continue
		}
		if stem == "" {
			if strings.HasPrefix(g, "外") {
				return MaternalGrandparents
			}
			return Grandparents
		}
		if r, ok := pairStems[stem]; ok {
			return r
		}
		if r, ok := spellings[stem]; ok && IsGrandparent(r) {
			return r
		}
	}
	return ""
}

// IsGrandparent reports whether a folded name (Normalize's result) is a
// grandparent's.
func IsGrandparent(name string) bool {
	switch name {
	case Grandfather, Grandmother, MaternalGrandfather, MaternalGrandmother, Grandparents, MaternalGrandparents:
		return true
	}
	return false
}

// Grandparent reports whether a relation as written names a grandparent
// (外婆, 祖孙关系, 爷爷（监护人）…).
func Grandparent(s string) bool { return IsGrandparent(Normalize(s)) }
