package letters

import "jiashu/relation"

// LargePrintFor reports whether a letter addressed to a guardian of this
// relation should be set in the large-print edition: grandparents, who
// raise many children, often read small print badly. The spellings are
// package relation's, the table the roster reader folds relations with:
// "外婆（监护人）", "爷爷关系", "祖孙" and "外祖孙关系" are grandparents.
func LargePrintFor(rel string) bool { return relation.Grandparent(rel) }
