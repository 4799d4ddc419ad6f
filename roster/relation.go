package roster

import (
	"strings"

	"jiashu/grade"
)

// relationSpellings maps how rosters write a guardian's relation to the
// names the template's drop-down list offers.
var relationSpellings = map[string]string{
	"父亲": "父亲", "父": "父亲", "爸爸": "父亲", "爸": "父亲", "父子": "父亲", "父女": "父亲", "爹": "父亲", "老爸": "父亲", "父親": "父亲",
	"母亲": "母亲", "母": "母亲", "妈妈": "母亲", "妈": "母亲", "母子": "母亲", "母女": "母亲", "娘": "母亲", "老妈": "母亲", "母親": "母亲",
	"祖父": "祖父", "爷爷": "祖父", "爷": "祖父",
	"祖母": "祖母", "奶奶": "祖母", "奶": "祖母",
	"外祖父": "外祖父", "外公": "外祖父", "姥爷": "外祖父", "姥爺": "外祖父",
	"外祖母": "外祖母", "外婆": "外祖母", "姥姥": "外祖母",
	"其他": "其他", "其它": "其他",
}

// normRelation folds a relation cell to 父亲, 母亲, 祖父, 祖母, 外祖父,
// 外祖母, or 其他 for any other relation (叔叔, 姑姑, 监护人 …); "" stays "".
// "父子关系" and "母亲（监护人）" count as their relation.
func normRelation(s string) string {
	s = strings.ReplaceAll(grade.Normalize(s), " ", "")
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, "关系")
	if s == "" {
		return ""
	}
	if r, ok := relationSpellings[s]; ok {
		return r
	}
	return "其他"
}
