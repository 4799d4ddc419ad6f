package reminders

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiashu/app/campaign"
	"jiashu/app/locale"
	"jiashu/assets"
	"jiashu/sms"
	"jiashu/store"
)

func lists(t *testing.T, baseURL string) Lists {
	t.Helper()
	cat, err := locale.Load(assets.Web)
	if err != nil {
		t.Fatal(err)
	}
	return Lists{BaseURL: baseURL, Text: cat.Zh}
}

func TestQuietHoursAreNineAtNightToEightInTheMorningChinaTime(t *testing.T) {
	t.Parallel()
	at := func(h, m int) time.Time { return time.Date(2026, 11, 3, h, m, 0, 0, campaign.ChinaTime) }
	for _, tc := range []struct {
		t     time.Time
		quiet bool
	}{
		{at(20, 59), false}, {at(21, 0), true}, {at(3, 0), true}, {at(7, 59), true}, {at(8, 0), false},
		{time.Date(2026, 11, 3, 13, 30, 0, 0, time.UTC), true}, // 21:30 in China
	} {
		if got := Quiet(sms.DefaultQuiet, tc.t); got != tc.quiet {
			t.Errorf("Quiet(%s) = %v, want %v", tc.t, got, tc.quiet)
		}
	}
	// Asked for at 21:30 China time (13:30 UTC), a send goes at 08:00 the next morning.
	if got := Resume(sms.DefaultQuiet, time.Date(2026, 11, 3, 13, 30, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 11, 4, 8, 0, 0, 0, campaign.ChinaTime)) {
		t.Errorf("resume %s", got)
	}
}

func TestMessageFitsOneSegmentAndNamesSchoolTeacherAndMaskedChild(t *testing.T) {
	t.Parallel()
	r := lists(t, "https://jiashu.example.cn")
	m, err := r.Message("实验小学", "王", "李小明", "ABCD2345")
	if err != nil {
		t.Fatal(err)
	}
	if SMSLength(m) > SMSSegment {
		t.Errorf("%d UTF-16 units, more than one segment: %s", SMSLength(m), m)
	}
	for _, want := range []string{"实验小学", "https://jiashu.example.cn/a/ABCD2345?c=s"} {
		if !strings.Contains(m, want) {
			t.Errorf("message %q lacks %q", m, want)
		}
	}
	if strings.Contains(m, "李小明") {
		t.Errorf("message %q names the child unmasked", m)
	}
}

func TestMessageDropsWordsForALongLinkAndRefusesOneThatLeavesNoRoom(t *testing.T) {
	t.Parallel()
	short, err := lists(t, "https://a.cn").Message("实验小学", "王老师", "李小明", "ABCD2345")
	if err != nil {
		t.Fatal(err)
	}
	long, err := lists(t, "https://"+strings.Repeat("x", 30)+".cn").Message("实验小学", "王老师", "李小明", "ABCD2345")
	if err != nil {
		t.Fatal(err)
	}
	if SMSLength(long) > SMSSegment || len([]rune(long))-len([]rune(short)) >= 33 {
		t.Errorf("a longer link should cost words, not segments: %q (%d) vs %q", long, SMSLength(long), short)
	}
	if _, err := lists(t, "https://"+strings.Repeat("x", 80)+".cn").Message("实验小学", "", "李小明", "ABCD2345"); err == nil {
		t.Error("a link longer than a segment should be refused")
	}
}

func TestSMSLengthCountsUTF16Units(t *testing.T) {
	t.Parallel()
	if n := SMSLength("家长a😀"); n != 5 {
		t.Errorf("SMSLength = %d, want 5 (an emoji counts twice)", n)
	}
}

var sample = []Reminder{
	{ReminderTarget: store.ReminderTarget{Mobile: "13800001234", StudentName: "=HYPERLINK(1)", ClassName: "三年级2班"}, Message: "【实验小学】请阅读"},
}

func TestCSVHasBOMColumnsAndNoFormulas(t *testing.T) {
	t.Parallel()
	b, err := CSV(sample)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Error("no byte-order mark: Excel would read the UTF-8 as GBK")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "手机号码" || rows[0][1] != "短信内容" {
		t.Fatalf("rows %q", rows)
	}
	if rows[1][0] != "13800001234" || rows[1][2] != "'=HYPERLINK(1)" {
		t.Errorf("row %q: the number must keep every digit and a formula must be quoted", rows[1])
	}
}

func TestXLSXKeepsNumbersAsText(t *testing.T) {
	t.Parallel()
	b, err := XLSX(sample)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("短信提醒")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != "13800001234" || rows[1][1] != "【实验小学】请阅读" || rows[1][2] != "'=HYPERLINK(1)" {
		t.Errorf("rows %q", rows)
	}
}

func TestCellTextDefusesFormulas(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"}, {"+86138", "'+86138"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"13800001234", "13800001234"}, {"【阳光小学】请阅读", "【阳光小学】请阅读"}, {"", ""},
	} {
		if got := CellText(c.in); got != c.want {
			t.Errorf("CellText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReminderMessageFitsOneSegment(t *testing.T) {
	t.Parallel()
	at := func(base string) Lists { return lists(t, base) }
	const base = "https://jiashu.example.edu.cn"
	for _, school := range []string{"阳光小学", "北京市海淀区中关村第三实验小学教育集团明德校区", strings.Repeat("长", 60)} {
		m, err := at(base).Message(school, "", "王小明", "ABCD2345EFGH")
		if err != nil {
			t.Fatal(err)
		}
		if n := SMSLength(m); n > SMSSegment || !strings.Contains(m, "https://jiashu.example.edu.cn/a/ABCD2345EFGH?c=s") {
			t.Errorf("%s: %q (%d units)", school, m, n)
		}
	}
	t.Run("a link too long for any text is an error, not a two-part SMS", func(t *testing.T) {
		if _, err := at("https://"+strings.Repeat("x", 60)+".example.edu.cn").Message("阳光小学", "", "王小明", "ABCD2345EFGH"); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("siblings' texts name the child, masked, when it fits", func(t *testing.T) {
		a, _ := at("https://jx.edu.cn").Message("阳光小学", "", "王小明", "ABCD2345EFGH")
		b, _ := at("https://jx.edu.cn").Message("阳光小学", "", "王小红", "ABCD2345EFGJ")
		if !strings.Contains(a, "王*明") || !strings.Contains(b, "王*红") || strings.Contains(a, "王小明") || SMSLength(a) > SMSSegment {
			t.Errorf("texts %q and %q", a, b)
		}
	})
	t.Run("the text names the school and the class teacher and says nothing is to be filled in or paid", func(t *testing.T) {
		for _, c := range []struct{ base, teacher, who, free string }{
			{"https://jiashu.example.edu.cn", "王芳", "王芳老师", "免填免费"},
			{"https://jx.edu.cn", "李老师", "李老师", "无需填写或付费"},
			{"https://jx.edu.cn", "", "班主任", "无需填写或付费"},
		} {
			m, err := at(c.base).Message("阳光小学", c.teacher, "王小明", "ABCD2345EFGH")
			if err != nil || !strings.Contains(m, "【阳光小学】") || !strings.Contains(m, c.who) || !strings.Contains(m, c.free) || SMSLength(m) > SMSSegment {
				t.Errorf("%s, %q: %q (%d units) %v", c.base, c.teacher, m, SMSLength(m), err)
			}
		}
	})
	if SMSLength("𠮷a") != 3 {
		t.Error("a character beyond U+FFFF must count as two")
	}
}

func TestWhatNumberedVariablesCarryIsReadAsPeopleWriteIt(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"1=school, 2=student,3=code", "{1}=school，{2}=student；3=code", "1=school\n2=student\n3=code"} {
		raw = strings.ReplaceAll(raw, "；", ";")
		got, err := ParseBind(raw)
		if err != nil || len(got) != 3 || got["1"] != "school" || got["2"] != "student" || got["3"] != "code" {
			t.Errorf("%q: %v %v", raw, got, err)
		}
	}
	if _, err := ParseBind("school student"); err == nil {
		t.Error("a binding without = was read")
	}
}
