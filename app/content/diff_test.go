package content

import (
	"strings"
	"testing"

	"jiashu/store"
)

func TestCompareByMethodAndParagraph(t *testing.T) {
	t.Parallel()
	old, err := store.EmbeddedContent()
	if err != nil {
		t.Fatal(err)
	}
	n := Files(old).Clone()
	n[MethodsPath] = strings.Replace(n[MethodsPath], "名称: 冒充老师在班级群收费", "名称: 冒充班主任在班级群收费", 1) +
		"\n【new-scam】\n名称: 新骗局\n年龄段: senior\n手法: 新手法。\n防范: 新防范。\n"
	p := TemplatePath("junior")
	n[p] = strings.Replace(n[p], "感谢您的支持", "感谢您的理解和支持", 1)
	d := Compare(Files(old), n)
	if len(d.Methods) != 2 || d.Methods[0].ID != "fake-teacher" || d.Methods[0].Change != Changed ||
		d.Methods[0].Fields[0].Old != "冒充老师在班级群收费" || d.Methods[1].Change != Added {
		t.Errorf("methods: %+v", d.Methods)
	}
	for _, f := range d.Files {
		switch f.Path {
		case p:
			changed := 0
			for _, r := range f.Rows {
				if r.Change != Same {
					changed++
					if r.Change != Changed || !strings.Contains(r.New, "理解和支持") || r.OldLine == 0 {
						t.Errorf("row %+v", r)
					}
				}
			}
			if changed != 1 {
				t.Errorf("%d rows changed in %s", changed, p)
			}
		case MethodsPath:
			if !f.Changed {
				t.Error("methods.txt not changed")
			}
		default:
			if f.Changed {
				t.Errorf("%s changed", f.Path)
			}
		}
	}
}

func TestTouchedNamesTheAgeGroupsWhoseLetterAChangeReaches(t *testing.T) {
	t.Parallel()
	base, err := store.EmbeddedContent()
	if err != nil {
		t.Fatal(err)
	}
	old := Files(base)
	for _, tc := range []struct {
		name string
		edit func(Files)
		want string
	}{
		{"nothing changed", func(Files) {}, ""},
		{"a method one letter prints", func(f Files) {
			f[MethodsPath] = strings.Replace(f[MethodsPath], "名称: 游戏“免费皮肤”、低价充值", "名称: 游戏“免费皮肤”和低价充值", 1)
		}, "primary-lower"},
		{"a method every letter prints", func(f Files) {
			f[MethodsPath] = strings.Replace(f[MethodsPath], "名称: 冒充老师在班级群收费", "名称: 冒充班主任在班级群收费", 1)
		}, "primary-lower primary-upper junior senior"},
		{"a new method no letter prints yet", func(f Files) {
			f[MethodsPath] += "\n【new-scam】\n名称: 新骗局\n年龄段: senior\n手法: 新手法。\n防范: 新防范。\n"
		}, ""},
		{"one letter's text", func(f Files) {
			p := TemplatePath("junior")
			f[p] = strings.Replace(f[p], "感谢您的支持", "感谢您的理解和支持", 1)
		}, "junior"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := old.Clone()
			tc.edit(n)
			if got := strings.Join(Touched(old, n, Compare(old, n)), " "); got != tc.want {
				t.Errorf("touched %q, want %q", got, tc.want)
			}
		})
	}
}
