package relation

import "testing"

func TestRelationsFoldToTheTemplatesNames(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		// parents, as before
		"父亲": Father, "爸爸": Father, "父子": Father, "父女关系": Father, " 父 亲 ": Father, "母亲（监护人）": Mother, "妈妈": Mother,
		// grandparents by name
		"爷爷": Grandfather, "奶奶": Grandmother, "外公": MaternalGrandfather, "姥爷": MaternalGrandfather, "外婆": MaternalGrandmother,
		"姥姥": MaternalGrandmother, "祖父": Grandfather, "外祖母": MaternalGrandmother, "爷爷奶奶": Grandparents, "外公外婆": MaternalGrandparents,
		"爷爷关系": Grandfather, " 外婆（监护人） ": MaternalGrandmother, "祖父母": Grandparents, "外祖父母": MaternalGrandparents,
		// grandparents written as a pair, or with 关系
		"祖孙": Grandparents, "祖孙关系": Grandparents, "爷孙": Grandfather, "奶孙": Grandmother, "外祖孙": MaternalGrandparents,
		"姥孙": MaternalGrandparents, "爷孙女": Grandfather, "奶孙关系": Grandmother, "外祖孙关系": MaternalGrandparents, "祖孫": Grandparents,
		"奶奶孙女": Grandmother, "外婆外孙": MaternalGrandmother, "姥姥外孙女": MaternalGrandmother, "外公外孙子": MaternalGrandfather,
		"祖孙(监护人)": Grandparents, "祖 孙": Grandparents, "祖孙关系（监护人）": Grandparents,
		// written from the student's side
		"孙子": Grandparents, "孙女": Grandparents, "外孙": MaternalGrandparents, "外孙女": MaternalGrandparents,
		// everyone else
		"叔叔": Other, "姑姑": Other, "干妈": Other, "监护人": Other, "祖国": Other, "王孙": Other, "": "", "其它": Other,
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
		if got, wantGP := Grandparent(in), IsGrandparent(want); got != wantGP {
			t.Errorf("Grandparent(%q) = %v, want %v", in, got, wantGP)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"祖孙关系", "外婆（监护人）", "孙", "外", "关系", "(", "爷爷孙子"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		switch got {
		case "", Father, Mother, Grandfather, Grandmother, MaternalGrandfather, MaternalGrandmother, Grandparents, MaternalGrandparents, Other:
		default:
			t.Fatalf("Normalize(%q) = %q, not a name of the list", s, got)
		}
		if Normalize(got) != got {
			t.Fatalf("Normalize is not idempotent on %q: %q → %q", s, got, Normalize(got))
		}
	})
}
