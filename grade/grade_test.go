package grade

import "testing"

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"一年级", 1, true}, {"1年级", 1, true}, {"１年级", 1, true}, {"三年级", 3, true},
		{"初一", 7, true}, {"初中二年级", 8, true}, {"七年级", 7, true}, {"九年级", 9, true},
		{"高一", 10, true}, {"高三", 12, true}, {"高中10年级", 10, true}, {"小学六年级", 6, true},
		{"1", 1, true}, {"一", 1, true}, {"12", 12, true}, {" 5 ", 5, true}, {"十二年级", 12, true},
		{"13", 0, false}, {"0", 0, false}, {"", 0, false}, {"高", 0, false}, {"初四", 0, false},
		{"学生", 0, false}, {"高五", 0, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := Parse(c.in)
			if got != c.want || ok != c.ok {
				t.Errorf("Parse(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestParseClassNumber(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"2班", 2, true}, {"(2)班", 2, true}, {"（2）班", 2, true}, {"2", 2, true}, {"２", 2, true},
		{"二班", 2, true}, {"12班", 12, true}, {"第3班", 3, true}, {"（１０）班", 10, true},
		{"", 0, false}, {"班", 0, false}, {"A班", 0, false}, {"0", 0, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := ParseClassNumber(c.in)
			if got != c.want || ok != c.ok {
				t.Errorf("ParseClassNumber(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestParseClassName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in     string
		g, c   int
		wantOK bool
	}{
		{"三年级2班", 3, 2, true},
		{"四年级（3）班", 4, 3, true},
		{"初一(2)班", 7, 2, true},
		{"初一2班", 7, 2, true},
		{"高二3班", 11, 3, true},
		{"高三(10)班", 12, 10, true},
		{"三年级12班", 3, 12, true},
		{"三年级十二班", 3, 12, true},
		{"一年级一班", 1, 1, true},
		{"班级：四年级（3）班", 4, 3, true},
		{"五年级（3）班 学生家长联系表", 5, 3, true},
		{"2021级三年级2班花名册", 3, 2, true},
		{"７年级２班", 7, 2, true},
		{"7-2", 7, 2, true},
		{"王家学校2021年春季学期学生花名册", 0, 0, false},
		{"2班", 0, 0, false},
		{"Sheet1", 0, 0, false},
		{"13-2", 0, 0, false},
		{"2010-01-05", 0, 0, false},
		{"3.2", 3, 2, true},
		{"三（2）", 3, 2, true},
		{"3(2)", 3, 2, true},
		{"302", 3, 2, true},
		{"0302", 3, 2, true},
		{"1203", 12, 3, true},
		{"2024级3班", 0, 0, false},
		{"2024级3班学生名单", 0, 0, false},
		{"学生名单(2025)", 0, 0, false},
		{"2024", 0, 0, false},
		{"12", 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			g, cl, ok := ParseClassName(c.in)
			if g != c.g || cl != c.c || ok != c.wantOK {
				t.Errorf("ParseClassName(%q) = %d, %d, %v; want %d, %d, %v", c.in, g, cl, ok, c.g, c.c, c.wantOK)
			}
		})
	}
}

func TestNamesRoundTrip(t *testing.T) {
	t.Parallel()
	want := map[int]string{1: "一年级", 6: "六年级", 7: "七年级", 9: "九年级", 10: "高一", 12: "高三", 0: "", 13: ""}
	for g, name := range want {
		if got := Name(g); got != name {
			t.Errorf("Name(%d) = %q, want %q", g, got, name)
		}
	}
	for g := 1; g <= 12; g++ {
		name := ClassName(g, 4)
		pg, pc, ok := ParseClassName(name)
		if !ok || pg != g || pc != 4 {
			t.Errorf("ParseClassName(ClassName(%d, 4) = %q) = %d, %d, %v", g, name, pg, pc, ok)
		}
	}
	if got := ClassName(3, 2); got != "三年级2班" {
		t.Errorf("ClassName(3, 2) = %q", got)
	}
}
