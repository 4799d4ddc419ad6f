package letters

import (
	"errors"
	"strings"
	"testing"
)

func TestComposeResolvesEveryPlaceholder(t *testing.T) {
	t.Parallel()
	lib := testEngine(t).Library()
	for _, ag := range AgeGroups() {
		tp, _ := lib.Template(ag)
		d := tp.Compose(sampleLetter(ag, "王小明"))
		all := documentText(d) + d.Slip.Title
		for _, q := range d.Quiz {
			all += q.Text + strings.Join(q.Options, "") + q.Explanation
		}
		if strings.ContainsAny(all, "{}") {
			t.Errorf("%s: placeholder left in %q", ag, all)
		}
		for _, want := range []string{"尊敬的王小明同学家长", "重庆市渝北区实验小学", "三年级2班班主任 李老师", "2026年9月1日", "2026年9月8日前"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: composed letter lacks %q", ag, want)
			}
		}
		if d.Slip.SafetyNote != SafetyNote || d.Slip.Token != "7KQ2-XP9M-4TRW" {
			t.Errorf("%s: slip = %+v", ag, d.Slip)
		}
	}
}

func TestSignatureWithoutHeadTeacherIsLeftOut(t *testing.T) {
	t.Parallel()
	tp, _ := testEngine(t).Library().Template(Junior)
	l := sampleLetter(Junior, "王小明")
	l.HeadTeacher = ""
	for _, b := range tp.Compose(l).Blocks {
		if b.Kind == KindSignature && strings.Contains(b.Text, "班主任") {
			t.Errorf("signature line printed half empty: %q", b.Text)
		}
	}
}

func TestWriteClassesStopsAtTheFirstSinkError(t *testing.T) {
	t.Parallel()
	e := testEngine(t)
	var classes []ClassLetters
	for range 6 {
		classes = append(classes, ClassLetters{ClassName: "一年级1班", Letters: []Letter{sampleLetter(PrimaryLower, "甲")}})
	}
	boom := errors.New("disk full")
	calls := 0
	_, err := e.WriteClasses(classes, BatchOptions{Workers: 2}, func(string, []byte) error {
		calls++
		if calls == 2 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls != 2 {
		t.Fatalf("err = %v after %d sink calls, want disk full after 2", err, calls)
	}
}
