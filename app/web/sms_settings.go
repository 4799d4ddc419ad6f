package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/reminders"
	"jiashu/problem"
	"jiashu/sms"
)

// The SMS settings page (issue 20), the education center's: how texts go
// out (the provider and its account, never its secret), and the templates
// as the provider approved them — the center enters each one's approved
// text with its variables, the page checks it under the provider's rules
// and shows the exact text a family would receive, with its segments.

// smsTemplateView is one kind of template on the page.
type smsTemplateView struct {
	Kind     string
	Code     string // configured
	Text     string // as entered
	Bind     string // "1=school,2=student"
	Saved    bool
	Sample   string
	Segments int
	Error    string // why the entered text was refused
	NoCode   bool   // the settings give no code for this kind
}

// smsSettingsView is the page.
type smsSettingsView struct {
	Provider      string // aliyun, tencent, http, ""
	ProviderName  string
	Sign          string
	KeyID         string // masked
	Endpoint      string
	Region        string
	AppID         string
	PriceFen      int64
	Quiet         string
	Max           int
	Callback      bool   // a callback token is set
	CallbackURL   string // with the token left out
	Numbered      bool   // the provider numbers its variables: bindings are needed
	Fields        []smsField
	Templates     []smsTemplateView
	Notice        string
	GatewaySample string // the JSON gateway's own reminder text
}

type smsField struct{ Name, Label string }

// smsSettingsPage: GET /settings/sms.
func (s *Server) smsSettingsPage(c *gin.Context) error {
	v, err := s.smsSettingsView(c)
	if err != nil {
		return err
	}
	if c.Query("saved") != "" {
		v.Notice = s.T(c, "sms.settings.saved")
	}
	return s.render(c, http.StatusOK, "sms_settings.html", s.T(c, "sms.settings.title"), v)
}

func (s *Server) smsSettingsView(c *gin.Context) (smsSettingsView, error) {
	cfg := s.cfg
	v := smsSettingsView{Provider: cfg.SMSProvider, ProviderName: s.T(c, "sms.provider."+cfg.SMSProvider), Sign: cfg.SMSSignName,
		KeyID: maskKey(cfg.SMSAccessKeyID), Endpoint: cfg.SMSEndpoint, Region: cfg.SMSRegion, AppID: cfg.SMSAppID,
		PriceFen: cfg.SMSPriceFen, Quiet: cfg.SMSQuietHours.String(), Max: cfg.SMSMaxPerGuardian,
		Callback: cfg.SMSCallbackToken != "", CallbackURL: cfg.BaseURL + "/sms/report/", Numbered: cfg.SMSProvider == "tencent"}
	for _, f := range []string{sms.FieldSchool, sms.FieldTeacher, sms.FieldStudent, sms.FieldClass, sms.FieldCode, sms.FieldLink, sms.FieldTitle} {
		v.Fields = append(v.Fields, smsField{Name: f, Label: sms.FieldLabels[f]})
	}
	if cfg.SMSProvider == "http" {
		v.GatewaySample, _ = s.reminders().Message("城东实验学校", "王", "王小明", "7KQ2XP9M4TRW")
	}
	if !cfg.SMSReports() {
		return v, nil
	}
	for _, kind := range []string{reminders.KindReminder, reminders.KindAlert} {
		tv, err := s.smsTemplateView(c, kind)
		if err != nil {
			return v, err
		}
		v.Templates = append(v.Templates, tv)
	}
	return v, nil
}

// smsTemplateView is the stored template of kind, checked again under
// today's settings (a code changed since shows here).
func (s *Server) smsTemplateView(c *gin.Context, kind string) (smsTemplateView, error) {
	tv := smsTemplateView{Kind: kind, Code: s.cfg.SMSTemplateReminder}
	if kind == reminders.KindAlert {
		tv.Code = s.cfg.SMSTemplateAlert
	}
	tv.NoCode = tv.Code == ""
	st, ok, err := s.store.SMSTemplate(c.Request.Context(), s.cfg.SMSProvider, kind)
	if err != nil || !ok {
		return tv, err
	}
	tv.Text, tv.Bind, tv.Saved = st.Text, bindText(st.Bind), true
	tpl, err := s.texts().Template(c.Request.Context(), kind)
	if p := problem.As(err); p != nil {
		tv.Error = s.problemMessage(c, p)
		return tv, nil
	} else if err != nil {
		return tv, err
	}
	tv.Sample, tv.Segments = s.templateSample(tpl)
	return tv, nil
}

// templateSample is the text a sample family receives, and its segments.
func (s *Server) templateSample(tpl *sms.Template) (string, int) {
	sample, _ := s.texts().Sample(tpl)
	return sample.Body, sms.Segments(sample.Body)
}

// smsTemplateSave: POST /settings/sms — kind, code, text and, for
// numbered variables, bind ("1=school,2=student").
func (s *Server) smsTemplateSave(c *gin.Context) error {
	kind := c.PostForm("kind")
	bind, err := reminders.ParseBind(c.PostForm("bind"))
	if err == nil {
		_, _, err = s.texts().SaveTemplate(c.Request.Context(), kind, c.PostForm("code"), c.PostForm("text"), bind, currentUser(c).ID)
	}
	if p := problem.As(err); p != nil {
		v, verr := s.smsSettingsView(c)
		if verr != nil {
			return verr
		}
		for i := range v.Templates {
			if v.Templates[i].Kind == kind {
				v.Templates[i].Text, v.Templates[i].Bind, v.Templates[i].Error = c.PostForm("text"), c.PostForm("bind"), s.problemMessage(c, p)
				v.Templates[i].Sample = ""
			}
		}
		return s.render(c, problemStatus(c, p), "sms_settings.html", s.T(c, "sms.settings.title"), v)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/settings/sms?saved="+kind+"#template-"+kind)
	return nil
}

// bindText writes a binding as parseBind reads it.
func bindText(bind map[string]string) string {
	keys := make([]string, 0, len(bind))
	for k := range bind {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) < len(keys[j])
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + bind[k]
	}
	return strings.Join(parts, ", ")
}

// maskKey shows the start and end of a key ID only.
func maskKey(id string) string {
	if len(id) <= 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:]
}
