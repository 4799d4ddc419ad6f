package content

import (
	"reflect"
	"strings"
	"testing"

	"jiashu/letters"
	"jiashu/store"
)

func TestDetailGapsNameWhatTheLettersPrintAFallbackFor(t *testing.T) {
	t.Parallel()
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		t.Fatal(err)
	}
	lib := eng.Library()
	for _, c := range []struct {
		name    string
		details store.SchoolDetails
		want    []string
	}{
		{"a school with nothing filled in lacks the phone and the police station", store.SchoolDetails{},
			[]string{"学校电话", "派出所", "派出所电话"}},
		{"a school with its phone lacks the police station only", store.SchoolDetails{Phone: "023-12345678"},
			[]string{"派出所", "派出所电话"}},
		{"a school with every detail the letters use lacks none", store.SchoolDetails{Phone: "023-12345678", PoliceStation: "龙溪派出所", PolicePhone: "023-67821110"},
			nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			gaps := DetailGaps(lib, c.details)
			if got := GapNames(gaps); !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("gaps %v, want %v", got, c.want)
			}
			for _, g := range gaps {
				if g.Needed {
					t.Errorf("%s is needed: the default letters have a fallback for every detail", g.Name)
				}
			}
			if msg := GapsMessage(gaps); (msg == "") != (len(c.want) == 0) || len(c.want) > 0 && !strings.Contains(msg, letters.WebBlank) {
				t.Errorf("message %q", msg)
			}
		})
	}
	t.Run("a detail with no fallback is needed, and the message says letters wait for it", func(t *testing.T) {
		files, err := store.EmbeddedContent()
		if err != nil {
			t.Fatal(err)
		}
		f := Files(files).Clone()
		p := TemplatePath(letters.Junior)
		f[p] = strings.Replace(f[p], "学校电话：{学校电话}，收到任何收费通知，先打这个电话核实。 || 学校电话：＿＿＿＿＿＿＿＿（请记下），收到任何收费通知，先打电话核实。",
			"学校电话：{学校电话}，收到任何收费通知，先打这个电话核实。", 1)
		lib, err := f.Library()
		if err != nil {
			t.Fatal(err)
		}
		gaps := DetailGaps(lib, store.SchoolDetails{})
		if len(gaps) == 0 || gaps[0].Name != "学校电话" || !gaps[0].Needed {
			t.Fatalf("gaps %+v", gaps)
		}
		if msg := GapsMessage(gaps); !strings.Contains(msg, "填写之前无法生成家书") {
			t.Errorf("message %q", msg)
		}
	})
}

func TestParseOpenings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, src string
		names     []string
		problem   string
	}{
		{"lines of name and text, comments and blanks skipped", "# 注释\n\n开学：新学期开学了。\n寒假: 寒假将至。\n", []string{"开学", "寒假"}, ""},
		{"a line without a colon", "开学新学期开学了。", nil, "名称：文字"},
		{"a name too long", "二〇二七年春季学期开学：开学了。", nil, "太长"},
		{"two of one name", "寒假：一。\n寒假：二。", []string{"寒假"}, "已有名为“寒假”"},
		{"a text too long", "寒假：" + strings.Repeat("长", 81), nil, "81个字"},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, probs := ParseOpenings(c.src)
			var names []string
			for _, o := range list {
				names = append(names, o.Name)
			}
			if !reflect.DeepEqual(names, c.names) {
				t.Errorf("names %v, want %v", names, c.names)
			}
			if c.problem == "" && len(probs) > 0 || c.problem != "" && (len(probs) == 0 || !strings.Contains(probs[0].Message, c.problem)) {
				t.Errorf("problems %+v, want one saying %q", probs, c.problem)
			}
		})
	}
}
