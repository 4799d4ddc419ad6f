package sms_test

import (
	"errors"
	"strings"
	"testing"

	"jiashu/sms"
)

const (
	aliText = "${school}${teacher}：${student}的家长，学校的防诈骗家书请您确认，免填免费：https://jiashu.example.cn/a/${link}"
	tcText  = "{1}的{2}提醒：{3}的家长，请打开 https://jiashu.example.cn/a 输入确认码{4}，确认学校的防诈骗家书，免费。"
)

var (
	tcBind = map[string]string{"1": "school", "2": "teacher", "3": "student", "4": "code"}
	family = map[string]string{"school": "城东实验", "teacher": "王老师", "student": "王*明", "code": "K7Q2M9XD",
		"link": "https://jiashu.example.cn/a/K7Q2M9XD?c=s"}
)

func TestTemplatesTheProvidersWouldRefuseAreRefusedWithAReason(t *testing.T) {
	for _, c := range []struct {
		name       string
		rules      sms.Rules
		code, sign string
		text       string
		bind       map[string]string
		want       string
	}{
		{"no signature", sms.AliyunRules, "SMS_1", "", aliText, nil, "缺少短信签名"},
		{"signature in brackets", sms.AliyunRules, "SMS_1", "【城东】", aliText, nil, "签名不要带【】"},
		{"no template code", sms.AliyunRules, "", "城东", aliText, nil, "缺少模板编号"},
		{"brackets in the text", sms.AliyunRules, "SMS_1", "城东", "【通知】${student}的家长你好", nil, "不能含【】"},
		{"all variables", sms.AliyunRules, "SMS_1", "城东", "${school} ${student}", nil, "不能全是变量"},
		{"variable of no field", sms.AliyunRules, "SMS_1", "城东", "${name}的家长你好", nil, "${name} 不对应任何内容"},
		{"bound variable missing", sms.AliyunRules, "SMS_1", "城东", "${student}的家长你好", map[string]string{"kid": "student"}, "没有变量 ${kid}"},
		{"broken variable", sms.AliyunRules, "SMS_1", "城东", "${student的家长你好", nil, "变量写法不对"},
		{"link without a fixed URL", sms.AliyunRules, "SMS_1", "城东", "${student}的家长，请确认：${link}", nil, "前要有模板中固定的网址"},
		{"other variable in a URL", sms.AliyunRules, "SMS_1", "城东", "${student}的家长：https://x.cn/a/${code}", nil, "只能是家书链接"},
		{"adjacent variables", sms.TencentRules, "1110", "城东", tcText[:0] + "{1}{2}提醒：{3}的家长", map[string]string{"1": "school", "2": "teacher", "3": "student"}, "不能相邻"},
		{"numbering gap", sms.TencentRules, "1110", "城东", "{1}的家长，确认码{3}", map[string]string{"1": "student", "3": "code"}, "缺少 {2}"},
		{"unbound number", sms.TencentRules, "1110", "城东", "{1}的家长，确认码{2}", map[string]string{"1": "student"}, "{2} 不对应任何内容"},
		{"link variable", sms.TencentRules, "1110", "城东", "{1}的家长，请打开{2}确认", map[string]string{"1": "student", "2": "link"}, "不允许在变量中传链接"},
		{"variable in a URL", sms.TencentRules, "1110", "城东", "{1}的家长，请打开 https://x.cn/a/{2} 确认", map[string]string{"1": "student", "2": "code"}, "不允许网址中含变量"},
		{"too long", sms.AliyunRules, "SMS_1", "城东", strings.Repeat("家", 490) + "${student}的家长你好", nil, "超过 500 字"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := sms.ParseTemplate(c.rules, c.code, c.sign, c.text, c.bind)
			var te *sms.TemplateError
			if !errors.As(err, &te) || !strings.Contains(te.Message, c.want) {
				t.Fatalf("got %v, want a TemplateError saying %q", err, c.want)
			}
		})
	}
}

func TestFilledTextIsWhatTheFamilyReceives(t *testing.T) {
	ali, err := sms.ParseTemplate(sms.AliyunRules, "SMS_480215001", "城东实验学校", aliText, nil)
	if err != nil {
		t.Fatal(err)
	}
	txt, probs := ali.Fill("r/1", "13800001111", family)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if want := "【城东实验学校】城东实验王老师：王*明的家长，学校的防诈骗家书请您确认，免填免费：https://jiashu.example.cn/a/K7Q2M9XD?c=s"; txt.Body != want {
		t.Errorf("Aliyun text %q, want %q", txt.Body, want)
	}
	if txt.Params["link"] != "K7Q2M9XD?c=s" || txt.Params["student"] != "王*明" {
		t.Errorf("Aliyun variables %v: the link variable holds the tail after the fixed URL", txt.Params)
	}
	if txt.Segments() != 2 {
		t.Errorf("%d characters: %d segments, want 2", sms.Length(txt.Body), txt.Segments())
	}

	tc, err := sms.ParseTemplate(sms.TencentRules, "1110", "城东实验学校", tcText, tcBind)
	if err != nil {
		t.Fatal(err)
	}
	txt, probs = tc.Fill("r/1", "13800001111", family)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if want := "【城东实验学校】城东实验的王老师提醒：王*明的家长，请打开 https://jiashu.example.cn/a 输入确认码K7Q2M9XD，确认学校的防诈骗家书，免费。"; txt.Body != want {
		t.Errorf("Tencent text %q, want %q", txt.Body, want)
	}
	if txt.Params["1"] != "城东实验" || txt.Params["4"] != "K7Q2M9XD" {
		t.Errorf("Tencent variables %v", txt.Params)
	}

	gw, err := sms.ParseTemplate(sms.GatewayRules, "", "", "${school}：${student}的家长请确认家书 ${link}", nil)
	if err != nil {
		t.Fatal(err)
	}
	if txt, _ = gw.Fill("r/1", "13800001111", family); txt.Body != "城东实验：王*明的家长请确认家书 https://jiashu.example.cn/a/K7Q2M9XD?c=s" {
		t.Errorf("gateway text %q: no signature, the whole link", txt.Body)
	}
}

func TestValuesThatBreakTheProvidersRulesAreReported(t *testing.T) {
	ali, _ := sms.ParseTemplate(sms.AliyunRules, "SMS_1", "城东", aliText, nil)
	tc, _ := sms.ParseTemplate(sms.TencentRules, "1110", "城东", tcText, tcBind)
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range family {
			m[a] = b
		}
		m[k] = v
		return m
	}
	for _, c := range []struct {
		name   string
		tpl    *sms.Template
		fields map[string]string
		code   string
	}{
		{"empty student", ali, with("student", ""), "missing"},
		{"school over 35 characters (Aliyun)", ali, with("school", strings.Repeat("实", 36)), "too_long"},
		{"school over 12 characters (Tencent)", tc, with("school", "杭州市西湖区城东实验学校附属"), "too_long"},
		{"a link in a name", ali, with("student", "www.scam.cn"), "has_link"},
		{"a domain in a name (Tencent)", tc, with("teacher", "见 pay.example.com"), "has_link"},
		{"signature brackets", tc, with("student", "【王】明"), "brackets"},
		{"symbols", ali, with("teacher", "王老师★"), "symbols"},
		{"link of another site", ali, with("link", "https://other.example.cn/a/K7Q2M9XD"), "link_mismatch"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, probs := c.tpl.Fill("k", "13800001111", c.fields)
			if len(probs) != 1 || probs[0].Code != c.code || probs[0].Message == "" {
				t.Fatalf("problems %+v, want one %q", probs, c.code)
			}
		})
	}
	long, _ := sms.ParseTemplate(sms.GatewayRules, "", "", strings.Repeat("家", 480)+"${student}${school}", nil)
	if _, probs := long.Fill("k", "1", with("school", strings.Repeat("学", 30))); len(probs) != 1 || probs[0].Code != "text_too_long" {
		t.Errorf("a 513-character text: problems %+v, want text_too_long", probs)
	}
}

func FuzzParseTemplate(f *testing.F) {
	f.Add(aliText, true)
	f.Add(tcText, false)
	f.Add("${", true)
	f.Add("{0}{1}", false)
	f.Fuzz(func(t *testing.T, text string, named bool) {
		r, bind := sms.AliyunRules, map[string]string(nil)
		if !named {
			r, bind = sms.TencentRules, tcBind
		}
		tpl, err := sms.ParseTemplate(r, "C", "城东", text, bind)
		if err != nil {
			return
		}
		txt, _ := tpl.Fill("k", "13800001111", family)
		if !strings.HasPrefix(txt.Body, "【城东】") {
			t.Fatalf("text %q lacks the signature", txt.Body)
		}
	})
}

// TestTheTemplatesOfTheDocsAreAccepted: the texts docs/sms.md tells schools
// to register pass the rules and fill to what the page shows.
func TestTheTemplatesOfTheDocsAreAccepted(t *testing.T) {
	f := map[string]string{"school": "城东实验", "teacher": "王老师", "student": "王*明", "code": "K7Q2M9XD",
		"link": "https://jiashu.example.cn/a/K7Q2M9XD?c=s", "title": "冒充老师收资料费"}
	for _, c := range []struct {
		rules  sms.Rules
		text   string
		bind   map[string]string
		length int
	}{
		{sms.AliyunRules, "${teacher}：${student}的防诈家长信请点链接确认，免填免费https://jiashu.example.cn/a/${link}", nil, 72},
		{sms.AliyunRules, "${school}${teacher}提醒：请阅读${student}带回的防诈骗家长信，点链接确认收到，无需填写或付费：https://jiashu.example.cn/a/${link}", nil, 90},
		{sms.AliyunRules, "新骗局提醒「${title}」，学校不会让您填写或付费，详情：https://jiashu.example.cn/a/${link}", nil, 79},
		{sms.TencentRules, "{1}提醒：{2}的防诈家长信请打开 https://jiashu.example.cn/a 输入确认码{3}，免填免费", map[string]string{"1": "teacher", "2": "student", "3": "code"}, 73},
		{sms.TencentRules, "新骗局提醒「{1}」，学校不会让您付费，详情见 https://jiashu.example.cn/a 确认码{2}", map[string]string{"1": "title", "2": "code"}, 76},
	} {
		tpl, err := sms.ParseTemplate(c.rules, "C1", "城东实验学校", c.text, c.bind)
		if err != nil {
			t.Errorf("%s: %v", c.text, err)
			continue
		}
		txt, probs := tpl.Fill("k", "13800001111", f)
		if len(probs) > 0 || sms.Length(txt.Body) != c.length || txt.Segments() != 2 {
			t.Errorf("%q: %d characters, %d segments, problems %v; the docs say %d, 2", txt.Body, sms.Length(txt.Body), txt.Segments(), probs, c.length)
		}
	}
}
