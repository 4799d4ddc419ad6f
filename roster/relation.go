package roster

import "jiashu/relation"

// normRelation folds a relation cell to 父亲, 母亲, 祖父, 祖母, 外祖父,
// 外祖母, 祖父母, 外祖父母 (a pair such as 祖孙 or 外祖孙 that does not say
// which grandparent), or 其他 for any other relation (叔叔, 姑姑, 监护人 …);
// "" stays "". The spellings are package relation's, the table the letters
// read too: "父子关系", "母亲（监护人）" and "祖孙关系" count as their relation.
func normRelation(s string) string { return relation.Normalize(s) }
