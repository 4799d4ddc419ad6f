package reminders

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/problem"
	"jiashu/sms"
	"jiashu/store"
)

// Texts through a provider (issue 20): a provider sends only texts made
// from a template it approved, so a send fills the template the center
// entered (store.SMSTemplate) per family — school, teacher, the masked
// child's name, class, the letter's code and link, an alert's title —
// checks every value against the provider's rules, and shows before the
// button what families will receive and what it costs. The JSON gateway
// takes free text: its texts are the app's own (Message, AlertMessage).

// The kinds of template.
const (
	KindReminder = "reminder"
	KindAlert    = "alert"
)

// Texts makes the texts of a send.
type Texts struct {
	Lists  Lists
	Config config.Config
}

// failure is a problem people can act on, in Chinese, with its key.
func (t Texts) failure(code, reason, key string, args ...any) *problem.Error {
	msg := t.Lists.Text(key)
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	return &problem.Error{Code: code, Reason: reason, Message: msg, Key: key, Args: args}
}

// kindLabel names a kind of template in Chinese.
func (t Texts) kindLabel(kind string) string { return t.Lists.Text("sms.kind." + kind) }

// configuredCode is the template code the settings give for kind.
func (t Texts) configuredCode(kind string) string {
	if kind == KindAlert {
		return t.Config.SMSTemplateAlert
	}
	return t.Config.SMSTemplateReminder
}

// Template is the template texts of kind go out with: the one the center
// entered for the configured provider, under the configured code and
// signature. The JSON gateway has none (nil): it sends the app's texts.
func (t Texts) Template(ctx context.Context, kind string) (*sms.Template, error) {
	switch t.Config.SMSProvider {
	case "":
		return nil, t.failure(problem.Conflict, "no_gateway", "reminders.no_gateway")
	case "http":
		return nil, nil
	}
	want := t.configuredCode(kind)
	if want == "" {
		return nil, t.failure(problem.Conflict, "sms_no_template_code", "sms.error.no_alert_code")
	}
	st, ok, err := t.Lists.Store.SMSTemplate(ctx, t.Config.SMSProvider, kind)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, t.failure(problem.Conflict, "sms_no_template", "sms.error.no_template", t.kindLabel(kind))
	}
	if st.Code != want {
		return nil, t.failure(problem.Conflict, "sms_template_code", "sms.error.code_mismatch", t.kindLabel(kind), st.Code, want)
	}
	return t.parse(st.Code, st.Text, st.Bind)
}

// parse reads a template under the configured provider's rules.
func (t Texts) parse(code, text string, bind map[string]string) (*sms.Template, error) {
	rules, err := sms.RulesFor(t.Config.SMSProvider)
	if err != nil {
		return nil, err
	}
	tpl, err := sms.ParseTemplate(rules, code, t.Config.SMSSignName, text, bind)
	var te *sms.TemplateError
	if errors.As(err, &te) {
		return nil, &problem.Error{Code: problem.Invalid, Reason: "sms_template", Message: te.Message}
	}
	return tpl, err
}

// Fields are the values a template's variables take for one family.
func (t Texts) Fields(rm Reminder, alertTitle string) map[string]string {
	who := t.Lists.Text("reminders.sms2.head_teacher")
	if teacher := strings.TrimSpace(rm.HeadTeacher); teacher != "" {
		who = teacher
		if !strings.HasSuffix(teacher, "老师") {
			who += "老师"
		}
	}
	return map[string]string{
		sms.FieldSchool: rm.SchoolName, sms.FieldTeacher: who, sms.FieldStudent: campaign.MaskChildName(rm.StudentName),
		sms.FieldClass: rm.ClassName, sms.FieldCode: rm.Token, sms.FieldLink: t.Lists.Link(rm.Token), sms.FieldTitle: alertTitle,
	}
}

// sampleFamily is the family a template is shown with on the settings
// page: a long school name, so a template that only just fits shows it.
func (t Texts) sampleFamily() Reminder {
	return Reminder{ReminderTarget: store.ReminderTarget{SchoolName: "城东实验学校", HeadTeacher: "王", StudentName: "王小明",
		ClassName: "三年级2班", Token: "7KQ2XP9M4TRW"}}
}

// Sample is the text a sample family receives from tpl, with the values
// that do not fit.
func (t Texts) Sample(tpl *sms.Template) (sms.Text, []sms.Problem) {
	return tpl.Fill("sample", "13800000000", t.Fields(t.sampleFamily(), "冒充老师收费"))
}

// SaveTemplate checks the approved text of kind under the provider's rules
// and records it, returning the template and the text a sample family
// would receive. The code must be the configured one (or is it, when
// empty: the settings must give one); the text must lead families to their letter (a link variable,
// or the address of /a written in it with the letter's code).
func (t Texts) SaveTemplate(ctx context.Context, kind, code, text string, bind map[string]string, by int64) (*sms.Template, string, error) {
	if t.Config.SMSProvider != "aliyun" && t.Config.SMSProvider != "tencent" {
		return nil, "", t.failure(problem.Conflict, "sms_no_templates", "sms.error.no_templates")
	}
	if kind != KindReminder && kind != KindAlert {
		return nil, "", t.failure(problem.Invalid, "sms_template_kind", "sms.error.kind")
	}
	want := t.configuredCode(kind)
	if want == "" {
		return nil, "", t.failure(problem.Conflict, "sms_no_template_code", "sms.error.no_alert_code")
	}
	if code = strings.TrimSpace(code); code == "" {
		code = want
	}
	if code != want {
		return nil, "", t.failure(problem.Invalid, "sms_template_code", "sms.error.code_mismatch", t.kindLabel(kind), code, want)
	}
	tpl, err := t.parse(code, strings.TrimSpace(text), bind)
	if err != nil {
		return nil, "", err
	}
	if err := t.leadsToLetter(tpl); err != nil {
		return nil, "", err
	}
	sample, probs := t.Sample(tpl)
	if len(probs) > 0 {
		return nil, "", &problem.Error{Code: problem.Invalid, Reason: "sms_template_sample", Message: probs[0].Message}
	}
	err = t.Lists.Store.SaveSMSTemplate(ctx, store.SMSTemplate{Provider: t.Config.SMSProvider, Kind: kind, Code: tpl.Code,
		Text: tpl.Text, Bind: bind, UpdatedBy: by})
	return tpl, sample.Body, err
}

// leadsToLetter refuses a template that gives families no way to their
// letter.
func (t Texts) leadsToLetter(tpl *sms.Template) error {
	var link, code bool
	for _, v := range tpl.Vars {
		link = link || v.Field == sms.FieldLink
		code = code || v.Field == sms.FieldCode
	}
	if link || (code && strings.Contains(tpl.Text, t.Lists.BaseURL+"/a")) {
		return nil
	}
	return t.failure(problem.Invalid, "sms_template_no_link", "sms.error.no_link", t.Lists.BaseURL)
}

// ParseBind reads what numbered variables carry: "1=school, 2=student"
// (commas, full-width commas, semicolons or lines between pairs; {1} and
// ${1} as well as 1).
func ParseBind(raw string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '，' || r == '\n' || r == ';' }) {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k, v = strings.TrimSpace(strings.Trim(k, "{}$ ")), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, problem.New(problem.Invalid, "sms_template_bind", fmt.Sprintf("变量对应“%s”看不懂：请写成 1=school, 2=student", strings.TrimSpace(part)))
		}
		out[k] = v
	}
	return out, nil
}
