package letters

import "strings"

// grandparents are the spellings of a grandparent relation in rosters and
// on the parents' page (roster folds them to 祖父, 祖母, 外祖父, 外祖母; the
// acknowledgement page offers 祖父母 and 外祖父母).
var grandparents = map[string]bool{
	"祖父": true, "祖母": true, "祖父母": true, "外祖父": true, "外祖母": true, "外祖父母": true,
	"爷爷": true, "爷": true, "奶奶": true, "奶": true, "爷爷奶奶": true, "爺爺": true,
	"外公": true, "外婆": true, "外公外婆": true, "姥爷": true, "姥爺": true, "姥姥": true, "姥姥姥爷": true,
}

// LargePrintFor reports whether a letter addressed to a guardian of this
// relation should be set in the large-print edition: grandparents, who
// raise many children, often read small print badly. "外婆（监护人）" and
// "爷爷关系" count as their relation.
func LargePrintFor(relation string) bool {
	r := strings.Join(strings.Fields(relation), "")
	if i := strings.IndexAny(r, "（(["); i > 0 {
		r = r[:i]
	}
	return grandparents[strings.TrimSuffix(r, "关系")]
}
