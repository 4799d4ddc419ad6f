package campaign

import (
	"context"
	"fmt"
	"strings"

	"jiashu/letters"
	"jiashu/problem"
	"jiashu/store"
)

// One true head teacher (issue 19): the name a class's letters sign with
// (“三年级1班班主任 王老师”), its parents' page shows and its reminder texts
// name is the class's recorded head teacher, which the school controls. The
// class page, the API and `app class head-teacher` change it through
// SetHeadTeacher; a roster only fills it while it is empty.

// MaxHeadTeacher bounds the name: it is printed on the signature line,
// which a longer one would push onto two lines.
const MaxHeadTeacher = 20

// CheckHeadTeacher trims a head teacher's name and refuses what would
// print wrongly (a problem.Invalid in Chinese); "" clears it.
func CheckHeadTeacher(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case len([]rune(name)) > MaxHeadTeacher:
		return name, &problem.Error{Code: problem.Invalid, Reason: "head_teacher",
			Message: fmt.Sprintf("班主任姓名请写在%d个字以内（如“王老师”或“王芳”）。", MaxHeadTeacher)}
	case strings.ContainsAny(name, "{}<>"):
		return name, &problem.Error{Code: problem.Invalid, Reason: "head_teacher",
			Message: "班主任姓名中不能有 { } < > 符号：信上会原样印出。"}
	case name != "" && strings.ContainsRune("=+-@", rune(name[0])):
		return name, &problem.Error{Code: problem.Invalid, Reason: "head_teacher",
			Message: "班主任姓名不能以 = + - @ 开头：导出到电子表格时会被当作公式。"}
	}
	return name, nil
}

// SetHeadTeacher checks name and records it as class classID's head
// teacher, audited as userID (0: the command line).
func SetHeadTeacher(ctx context.Context, st *store.Store, classID int64, name string, userID int64) (store.Class, error) {
	name, err := CheckHeadTeacher(name)
	if err != nil {
		return store.Class{}, err
	}
	return st.SetHeadTeacher(ctx, classID, name, userID)
}

// Signature is how the class's letters from template t sign (重庆市…学校 /
// 三年级1班班主任 王老师), as the class page shows it: a class without a
// head teacher gets no line naming one.
func Signature(t *letters.Template, school store.School, cl store.Class) []string {
	d := t.Compose(letters.Letter{AgeGroup: t.AgeGroup, ClassName: cl.Name, SchoolName: school.Name, HeadTeacher: cl.HeadTeacher})
	var out []string
	for _, b := range d.Blocks {
		if b.Kind == letters.KindSignature {
			out = append(out, b.Text)
		}
	}
	return out
}
