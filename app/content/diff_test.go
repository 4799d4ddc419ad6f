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
