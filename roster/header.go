package roster

import (
	"strconv"
	"strings"

	"jiashu/grade"
)

// role is what a column holds.
type role int

const (
	roleNone role = iota
	roleName
	roleNumber
	roleGender
	roleBirth
	roleClass
	roleGrade
	roleHeadTeacher
	roleGuardianName
	roleGuardianRelation
	roleGuardianPhone
)

// Header synonyms, compared after normalizeHeader.
var studentHeaders = map[string]role{
	"姓名": roleName, "学生姓名": roleName, "学生": roleName, "学生名字": roleName, "名字": roleName, "幼儿姓名": roleName,
	"学号": roleNumber, "学籍号": roleNumber, "学生编号": roleNumber, "学籍编号": roleNumber, "全国学籍号": roleNumber,
	"学生学号": roleNumber, "学生学籍号": roleNumber, "个人标识码": roleNumber, "编号": roleNumber, "教育id": roleNumber,
	"性别": roleGender, "学生性别": roleGender,
	"出生日期": roleBirth, "生日": roleBirth, "出生年月": roleBirth, "出生年月日": roleBirth, "出生时间": roleBirth,
	"班级": roleClass, "班别": roleClass, "所在班级": roleClass, "班级名称": roleClass, "班": roleClass, "班号": roleClass,
	"年级": roleGrade, "所在年级": roleGrade, "年级名称": roleGrade,
	"班主任": roleHeadTeacher, "班主任姓名": roleHeadTeacher,
}

// guardianPrefixes start guardian columns; a fixed relation comes with some.
var guardianPrefixes = []struct{ prefix, relation string }{
	{"监护人", ""}, {"家长", ""}, {"联系人", ""}, {"父母", ""}, {"紧急联系人", ""},
	{"父亲", "父亲"}, {"爸爸", "父亲"}, {"母亲", "母亲"}, {"妈妈", "母亲"},
}

// guardianFields are the rests of guardian headers after prefix and index.
var guardianFields = map[string]role{
	"": roleGuardianName, "姓名": roleGuardianName, "名字": roleGuardianName,
	"关系": roleGuardianRelation, "与学生关系": roleGuardianRelation, "与学生的关系": roleGuardianRelation,
	"监护人关系": roleGuardianRelation, "家长关系": roleGuardianRelation, "与本人关系": roleGuardianRelation,
	"亲属关系": roleGuardianRelation, "称谓": roleGuardianRelation, "身份": roleGuardianRelation, "与孩子关系": roleGuardianRelation,
	"手机": roleGuardianPhone, "手机号": roleGuardianPhone, "手机号码": roleGuardianPhone, "电话": roleGuardianPhone,
	"电话号码": roleGuardianPhone, "联系电话": roleGuardianPhone, "联系方式": roleGuardianPhone, "联系手机": roleGuardianPhone,
	"移动电话": roleGuardianPhone, "手机电话": roleGuardianPhone, "电话/手机": roleGuardianPhone, "手机/电话": roleGuardianPhone,
	"联系号码": roleGuardianPhone, "家庭电话": roleGuardianPhone,
}

// column is one recognised column of a header row.
type column struct {
	index    int    // 0-based
	header   string // as written in the file, trimmed
	role     role
	slot     string // guardian slot: "1", "2", "父亲", "母亲"
	relation string // fixed relation implied by the header (父亲手机)
	autoSlot bool   // the header names no guardian (家长姓名, 联系电话)
}

// normalizeHeader folds spacing, width, markers of required columns and
// explanations in brackets: "* 学号（必填）" → "学号".
func normalizeHeader(s string) string {
	s = grade.Normalize(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\r', '\t', '*', ':', '★', '※':
			return -1
		}
		return r
	}, s)
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// classify maps one header cell to a column, or roleNone.
func classify(index int, text string) column {
	col := column{index: index, header: strings.TrimSpace(text)}
	h := normalizeHeader(text)
	if h == "" {
		return col
	}
	if r, ok := studentHeaders[h]; ok {
		col.role = r
		return col
	}
	// Guardian columns: [prefix][index][field][index], e.g. 家长1姓名,
	// 监护人2手机, 父亲电话, 联系电话, 家长姓名2.
	rest, slot, relation := h, "", ""
	// 第一监护人电话, 第二联系人: the guardian's number before the prefix.
	preSlot := ""
	if r, s := cutIndex(strings.TrimPrefix(h, "第"), true); s != "" && hasGuardianPrefix(r) {
		rest, preSlot = r, s
	}
	prefixed := false
	for _, p := range guardianPrefixes {
		if r, ok := strings.CutPrefix(rest, p.prefix); ok {
			rest, relation, prefixed = r, p.relation, true
			break
		}
	}
	rest, slot = cutIndex(rest, true)
	if slot == "" {
		rest, slot = cutIndex(rest, false)
	}
	r, ok := guardianFields[rest]
	if !ok || (!prefixed && rest == "") {
		return col
	}
	if !prefixed && r == roleGuardianName {
		return col
	}
	if slot == "" {
		slot = preSlot
	}
	switch {
	case relation != "":
		slot = relation
	case slot == "":
		slot, col.autoSlot = "1", true
	}
	col.role, col.slot, col.relation = r, slot, relation
	return col
}

func hasGuardianPrefix(s string) bool {
	for _, p := range guardianPrefixes {
		if strings.HasPrefix(s, p.prefix) {
			return true
		}
	}
	return false
}

// cutIndex removes a guardian number (1, 2, 一, 二) from the start or end.
func cutIndex(s string, front bool) (string, string) {
	for _, ix := range []struct{ text, slot string }{{"1", "1"}, {"2", "2"}, {"一", "1"}, {"二", "2"}} {
		if front {
			if r, ok := strings.CutPrefix(s, ix.text); ok {
				return r, ix.slot
			}
		} else if r, ok := strings.CutSuffix(s, ix.text); ok {
			return r, ix.slot
		}
	}
	return s, ""
}

// layout is a recognised header row.
type layout struct {
	row     int // 1-based
	columns []column
	byRole  map[role]column // the first column of each student role
	slots   []guardianSlot
}

// guardianSlot groups the columns of one guardian.
type guardianSlot struct {
	key                   string
	name, relation, phone int // column indexes, -1 when absent
	phoneHeader           string
	fixedRelation         string
}

// detectHeader returns the layout if cells look like a header row: a name
// column and at least one more recognised column (number, phone …).
func detectHeader(rowNum int, cells []string) (*layout, bool) {
	return detectHeaderCells(rowNum, cells, nil)
}

// detectHeaderCells is detectHeader with the names to show for the columns
// (display[i], when not "") apart from the texts classified.
func detectHeaderCells(rowNum int, cells, display []string) (*layout, bool) {
	l := &layout{row: rowNum, byRole: map[role]column{}}
	roles := 0
	slotIndex := map[string]int{}
	// Guardians without a number in their headers: a second 姓名 column
	// starts the next one (姓名 关系 电话 姓名 关系 电话 under 家长信息).
	auto := 1
	for i, text := range cells {
		col := classify(i, text)
		if col.role == roleNone {
			continue
		}
		if i < len(display) && display[i] != "" {
			col.header = display[i]
		}
		if col.autoSlot {
			if si, ok := slotIndex[strconv.Itoa(auto)]; ok && col.role == roleGuardianName && l.slots[si].name >= 0 {
				auto++
			}
			col.slot = strconv.Itoa(auto)
		}
		l.columns = append(l.columns, col)
		if col.slot == "" {
			if _, dup := l.byRole[col.role]; !dup {
				l.byRole[col.role] = col
				roles++
			}
			continue
		}
		si, ok := slotIndex[col.slot]
		if !ok {
			si = len(l.slots)
			slotIndex[col.slot] = si
			l.slots = append(l.slots, guardianSlot{key: col.slot, name: -1, relation: -1, phone: -1, fixedRelation: col.relation})
		}
		s := &l.slots[si]
		switch col.role {
		case roleGuardianName:
			if s.name < 0 {
				s.name = i
			}
		case roleGuardianRelation:
			if s.relation < 0 {
				s.relation = i
			}
		case roleGuardianPhone:
			if s.phone < 0 {
				s.phone, s.phoneHeader = i, col.header
			}
		}
		roles++
	}
	if _, ok := l.byRole[roleName]; !ok || roles < 2 {
		return nil, false
	}
	return l, true
}
