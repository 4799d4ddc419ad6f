package roster

import (
	"strings"
)

// Two-row headers. Schools group columns under a merged cell and name them in
// the row below:
//
//	序号 | 学籍号 | 学生姓名 | 性别 | 家长信息（merged F:H）
//	     |        |          |      | 姓名 | 关系 | 联系电话
//
// The cells merged down (序号 … 性别) hold their name in the top row only;
// the ones under a guardian group (家长信息, 监护人1, 父亲 …) belong to that
// guardian, so that 姓名 there is the guardian's name, not the student's.
// Merge ranges are not read (excelize loads the whole sheet for them):
// a group spans from its cell to the next filled cell of the top row.

// groupSuffixes end group headers without adding meaning: 家长信息 → 家长.
var groupSuffixes = []string{"基本信息", "信息", "情况", "资料", "联系方式", "栏"}

// guardianGroup returns the guardian prefix a group header stands for
// (家长信息 → 家长, 第二监护人 → 第二监护人, 父亲 → 父亲), or false.
func guardianGroup(g string) (string, bool) {
	n := normalizeHeader(g)
	for _, suf := range groupSuffixes {
		if r, ok := strings.CutSuffix(n, suf); ok && r != "" {
			n = r
			break
		}
	}
	if n == "" {
		return "", false
	}
	if classify(0, n+"姓名").role == roleGuardianName {
		return n, true
	}
	return "", false
}

// combineHeaderRows reads top and sub as one header. ok is false unless sub
// is a row of sub-headers (no data) and top adds something to it: a merged
// cell's name or a guardian group.
func combineHeaderRows(top, sub []string) (texts, display []string, ok bool) {
	n := max(len(top), len(sub))
	texts, display = make([]string, n), make([]string, n)
	contributed, subCells := false, 0
	group := ""
	for i := range n {
		t, s := at(top, i), at(sub, i)
		switch {
		case t != "":
			group = t
		case s == "":
			group = ""
		}
		if s == "" {
			texts[i], display[i] = t, t
			if t != "" && classify(i, t).role != roleNone {
				contributed = true
			}
			continue
		}
		subCells++
		if prefix, isGuardian := guardianGroup(group); isGuardian {
			// Under a guardian group a sub-header means the guardian's field;
			// one that is not a guardian field (工作单位, 性别) is ignored.
			texts[i], display[i] = "", group+"-"+s
			if classify(i, prefix+s).role != roleNone {
				texts[i] = prefix + s
				contributed = true
			} else if looksLikeData(s) {
				return nil, nil, false
			}
			continue
		}
		if group != "" && classify(i, s+group).role != roleNone {
			// 联系方式 over 父亲 | 母亲.
			texts[i], display[i] = s+group, group+"-"+s
			contributed = true
			continue
		}
		if classify(i, s).role == roleNone && looksLikeData(s) {
			return nil, nil, false
		}
		texts[i], display[i] = s, s
	}
	return texts, display, contributed && subCells > 0
}

// looksLikeData reports a cell that is a value rather than a header: one
// with a digit in it (a number, a phone, a date) or a gender.
func looksLikeData(s string) bool {
	if strings.ContainsAny(s, "0123456789０１２３４５６７８９") {
		return true
	}
	_, isGender := cleanGender(s)
	return isGender
}

// detectTwoRowHeader returns the layout of a header written over rows
// topRow and topRow+1, when it recognises more than the top row alone does.
func detectTwoRowHeader(topRow int, top, sub []string, topLayout *layout) (*layout, bool) {
	texts, display, ok := combineHeaderRows(top, sub)
	if !ok {
		return nil, false
	}
	l, ok := detectHeaderCells(topRow+1, texts, display)
	if !ok || (topLayout != nil && len(l.columns) <= len(topLayout.columns)) {
		return nil, false
	}
	return l, true
}
