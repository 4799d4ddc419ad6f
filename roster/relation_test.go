package roster

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"jiashu/relation"
)

// A class where seven of ten first guardians are grandparents, written as
// rosters write them (祖孙, 爷孙, 祖孙关系 …): every one reads as a
// grandparent, so every one gets the large-print letter.
func TestGrandparentsWrittenAsPairsAreGrandparents(t *testing.T) {
	t.Parallel()
	rels := []string{"祖孙", "爷孙", "奶孙", "外祖孙", "姥孙", "祖孙关系", "外婆（监护人）", "父亲", "母女", "叔叔"}
	var b strings.Builder
	b.WriteString("学号,姓名,班级,家长姓名,与学生关系,家长手机\n")
	for i, r := range rels {
		fmt.Fprintf(&b, "20210302%02d,学生%c,三年级2班,家长%c,%s,1370013700%d\n", i+1, '甲'+rune(i), '甲'+rune(i), r, i)
	}
	res, err := Parse(context.Background(), strings.NewReader(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	grand := 0
	for i, r := range rels {
		gs := guardiansOf(res, fmt.Sprintf("学生%c", '甲'+rune(i)))
		if len(gs) != 1 {
			t.Fatalf("%s: guardians %+v", r, gs)
		}
		if relation.IsGrandparent(gs[0].Relation) {
			grand++
		} else if i < 7 {
			t.Errorf("relation %q was read as %q, not a grandparent", r, gs[0].Relation)
		}
	}
	if grand != 7 {
		t.Errorf("%d of 10 first guardians read as grandparents, want 7", grand)
	}
}
