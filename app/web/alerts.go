package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/app/jobs"
	"jiashu/app/reminders"
	"jiashu/store"
)

// New-scam alerts (issue 9, 及时公布最新犯罪手法), the education center's:
// a list of alerts with how many families opened their page since, and a
// form that turns a method of the current approved content version into an
// alert for running campaigns — through a preview of the parents' page and
// the text message, and a confirmation naming how many families it reaches
// (alert_pages.go); an alert is edited and withdrawn there too. An alert
// stands at the top of the parent page of every family of its campaigns
// (app/parent/alerts.go) until withdrawn, and is offered as an SMS text (a
// CSV export, or a reminders job with the alert: the same per-guardian
// limit, quiet hours and audit as reminders).

// alertsData is the alerts page.
type alertsData struct {
	Active    []alertRow // standing on the parents' pages, newest first
	Withdrawn []alertRow
	Methods   []alertMethod // the current version's, newest first, those matching Query
	Version   store.ContentVersion
	Query     string
	Campaigns []store.Campaign // running
	Error     string
	Notice    string
	// SMSReason says why no text can be sent from here ("" when a
	// provider is configured): the page shows it instead of a button.
	SMSReason string
}

// alertRow is an alert on the page, its text in paragraphs.
type alertRow struct {
	store.Alert
	Paras []string
}

// alertInput is what the forms and the API send; Title and Text, when
// given, replace the method's.
type alertInput struct {
	ContentVersion int64   `json:"content_version"`
	Method         string  `json:"method"`
	CampaignIDs    []int64 `json:"campaign_ids"`
	Title          string  `json:"title,omitempty"`
	Text           string  `json:"text,omitempty"`
}

// smsReason is why no text message can be sent from the staff site, in
// the page's language; "" when an SMS provider is configured.
func (s *Server) smsReason(c *gin.Context) string {
	if !s.cfg.SMSSends() {
		return s.T(c, "alerts.sms.none")
	}
	return ""
}

// runningCampaigns lists the campaigns an alert may be for.
func (s *Server) runningCampaigns(c *gin.Context) ([]store.Campaign, error) {
	all, err := s.store.Campaigns(c.Request.Context())
	if err != nil {
		return nil, err
	}
	today := s.store.Today()
	var out []store.Campaign
	for _, cp := range all {
		if cp.Phase(today) == store.CampaignRunning {
			out = append(out, cp)
		}
	}
	return out, nil
}

// alertsPage: GET /alerts[?q=…]: the alerts, and the methods to make one
// from (searched for q).
func (s *Server) alertsPage(c *gin.Context) error {
	d := alertsData{Query: strings.TrimSpace(c.Query("q"))}
	switch done := c.Query("done"); done {
	case "created", "edited", "withdrawn":
		d.Notice = s.T(c, "alerts.done."+done)
	}
	return s.renderAlerts(c, http.StatusOK, d)
}

func (s *Server) renderAlerts(c *gin.Context, status int, d alertsData) error {
	list, err := s.store.Alerts(c.Request.Context())
	if err != nil {
		return err
	}
	for _, a := range list {
		a.CreatedAt = a.CreatedAt.In(campaign.ChinaTime)
		row := alertRow{Alert: a, Paras: strings.Split(a.Body, "\n")}
		if a.Withdrawn() {
			d.Withdrawn = append(d.Withdrawn, row)
		} else {
			d.Active = append(d.Active, row)
		}
	}
	if d.Methods, d.Version, err = s.currentMethods(c, d.Query); err != nil {
		return err
	}
	if d.Campaigns, err = s.runningCampaigns(c); err != nil {
		return err
	}
	d.SMSReason = s.smsReason(c)
	return s.render(c, status, "alerts.html", s.T(c, "alerts.title"), d)
}

// alertOf checks in: the method must be one of an approved version; the
// alert to make has its title and text, or in's when given.
func (s *Server) alertOf(c *gin.Context, in alertInput) (store.Alert, error) {
	bad := refuse(http.StatusUnprocessableEntity, "bad_method", "alerts.error.method")
	if in.ContentVersion == 0 {
		if v, id, ok := strings.Cut(in.Method, ":"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return store.Alert{}, bad
			}
			in.ContentVersion, in.Method = n, id
		}
	}
	v, err := s.store.ContentVersion(c.Request.Context(), in.ContentVersion)
	if err != nil || v.State != store.ContentApproved {
		return store.Alert{}, bad
	}
	lib, err := s.content.Library(c.Request.Context(), v.ID)
	if err != nil {
		return store.Alert{}, err
	}
	m, ok := lib.Method(in.Method)
	if !ok {
		return store.Alert{}, bad
	}
	a := store.Alert{ContentVersionID: v.ID, MethodID: m.ID, Title: m.Title, Body: content.AlertBodyOf(m), CreatedBy: currentUser(c).ID}
	if in.Title != "" || in.Text != "" {
		if a.Title, a.Body, err = alertText(in.Title, in.Text); err != nil {
			return store.Alert{}, err
		}
	}
	for _, id := range in.CampaignIDs {
		a.Campaigns = append(a.Campaigns, store.AlertCampaign{ID: id})
	}
	return a, s.checkAlert(c, a.Title, a.Body, in.CampaignIDs)
}

// checkAlert refuses an alert some class of its campaigns cannot fill
// (reminders.CheckAlert): families read it filled in like their letter,
// and would see a gap. Before it is previewed, published or edited.
func (s *Server) checkAlert(c *gin.Context, title, body string, campaignIDs []int64) error {
	err := reminders.CheckAlert(c.Request.Context(), s.store, title, body, campaignIDs, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return refuse(http.StatusUnprocessableEntity, "bad_campaigns", "alerts.error.campaigns")
	}
	return err
}

// alertText checks an alert's title and text as the center wrote them.
func alertText(title, text string) (string, string, error) {
	title = strings.TrimSpace(title)
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if n := len([]rune(title)); n == 0 || n > 40 {
		return "", "", refuse(http.StatusUnprocessableEntity, "invalid", "alerts.error.title")
	}
	if n := len([]rune(text)); n == 0 || n > 600 {
		return "", "", refuse(http.StatusUnprocessableEntity, "invalid", "alerts.error.text")
	}
	return title, text, nil
}

// alertRefusal is the answer to a store refusal of an alert (whose
// existence the caller checked: a missing thing is one of its campaigns).
func alertRefusal(err error) error {
	switch {
	case errors.Is(err, store.ErrAlertCampaign), errors.Is(err, store.ErrNotFound):
		return refuse(http.StatusUnprocessableEntity, "bad_campaigns", "alerts.error.campaigns")
	case errors.Is(err, store.ErrContentNotApproved):
		return refuse(http.StatusUnprocessableEntity, "bad_method", "alerts.error.method")
	case errors.Is(err, store.ErrAlertWithdrawn):
		return refuse(http.StatusConflict, "alert_withdrawn", "alerts.error.withdrawn")
	}
	return err
}

// createAlert checks in and records the alert: the method must be one of
// an approved version, the campaigns running ones.
func (s *Server) createAlert(c *gin.Context, in alertInput) (store.Alert, error) {
	a, err := s.alertOf(c, in)
	if err != nil {
		return store.Alert{}, err
	}
	if a, err = s.store.CreateAlert(c.Request.Context(), a); err != nil {
		return store.Alert{}, alertRefusal(err)
	}
	s.parent.ForgetAlerts()
	return a, nil
}

// formAlert reads an alert's form: method, campaign…, title, text.
func formAlert(c *gin.Context) alertInput {
	in := alertInput{Method: c.PostForm("method"), Title: c.PostForm("title"), Text: c.PostForm("text")}
	for _, v := range c.PostFormArray("campaign") {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.CampaignIDs = append(in.CampaignIDs, id)
		}
	}
	return in
}

// alertForm: POST /alerts: publishes the alert once confirmed (confirm=1,
// the preview's button); without the confirmation it shows the preview.
func (s *Server) alertForm(c *gin.Context) error {
	in := formAlert(c)
	if c.PostForm("confirm") != "1" {
		return s.alertPreviewOf(c, in)
	}
	if _, err := s.createAlert(c, in); err != nil {
		var r *refusal
		if errors.As(err, &r) {
			return s.renderAlerts(c, r.status, alertsData{Error: refusalText(s, c, r)})
		}
		if msg := s.refusedInput(c, err); msg != "" {
			return s.renderAlerts(c, http.StatusUnprocessableEntity, alertsData{Error: msg})
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, "/alerts?done=created")
	return nil
}

// alertParam loads the :alert of the path and the :campaign it is for.
func (s *Server) alertParam(c *gin.Context) (store.Alert, int64, error) {
	id, err := s.idParam(c, "alert")
	if err != nil {
		return store.Alert{}, 0, err
	}
	campaignID, err := s.idParam(c, "campaign")
	if err != nil {
		return store.Alert{}, 0, err
	}
	a, err := s.store.Alert(c.Request.Context(), id)
	if err != nil {
		return store.Alert{}, 0, err
	}
	for _, ac := range a.Campaigns {
		if ac.ID == campaignID {
			return a, campaignID, nil
		}
	}
	return store.Alert{}, 0, errNotFound
}

// alertTexts: GET /alerts/:alert/campaigns/:campaign/texts.csv — every
// family's text with its link (audited, as reminder lists are).
func (s *Server) alertTexts(c *gin.Context) error {
	a, campaignID, err := s.alertParam(c)
	if err != nil {
		return err
	}
	list, err := s.reminders().AlertList(c.Request.Context(), a, store.ReminderScope{CampaignID: campaignID})
	if err != nil {
		return err
	}
	body, err := reminders.CSV(list)
	if err != nil {
		return err
	}
	if err := s.store.Audit(c.Request.Context(), currentUser(c).ID, "alert_export",
		fmt.Sprintf("alert %d, campaign %d csv: %d phone numbers", a.ID, campaignID, len(list))); err != nil {
		return err
	}
	c.Header("Content-Disposition", attachment("reminders.csv", fmt.Sprintf("新骗局提醒%d-%s.csv", a.ID, s.now().In(campaign.ChinaTime).Format("20060102"))))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", body)
	return nil
}

// alertTarget is the send of an alert's text to every family of one of
// its campaigns (with a mobile), checked: the alert must stand (not
// withdrawn), the campaign be open.
func (s *Server) alertTarget(c *gin.Context) (sendTarget, error) {
	a, campaignID, err := s.alertParam(c)
	if err != nil {
		return sendTarget{}, err
	}
	if a.Withdrawn() { // off the parents' pages: never texted again
		return sendTarget{}, alertRefusal(store.ErrAlertWithdrawn)
	}
	cp, err := s.store.Campaign(c.Request.Context(), campaignID)
	if err != nil {
		return sendTarget{}, err
	}
	if err := campaign.CheckOpen(cp); err != nil {
		return sendTarget{}, err
	}
	label := fmt.Sprintf("alert %d campaign %d", a.ID, campaignID)
	return sendTarget{Args: jobs.SendReminders{CampaignID: campaignID, AlertID: a.ID, Label: label}, Alert: &a,
		Name: cp.Name, Campaign: cp.Name, Audit: "alert_send"}, nil
}

// alertConfirm: GET /alerts/:alert/campaigns/:campaign/send — the
// confirmation of an alert's send, with its cost and text.
func (s *Server) alertConfirm(c *gin.Context) error {
	t, err := s.alertTarget(c)
	if err != nil {
		return err
	}
	return s.sendConfirm(c, t, "/alerts")
}

// alertSend: POST /alerts/:alert/campaigns/:campaign/send — queues a
// reminders job with the alert (the same rules as reminderSend).
func (s *Server) alertSend(c *gin.Context) error {
	t, err := s.alertTarget(c)
	if err != nil {
		return err
	}
	return s.queueSend(c, t)
}

// alertEstimate: GET /api/v1/alerts/:alert/campaigns/:campaign/estimate.
func (s *Server) alertEstimate(c *gin.Context) error {
	t, err := s.alertTarget(c)
	if err != nil {
		return err
	}
	return s.sendEstimate(c, t)
}

// apiAlerts: GET /api/v1/alerts.
func (s *Server) apiAlerts(c *gin.Context) error {
	list, err := s.store.Alerts(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]apiAlert, 0, len(list))
	for _, a := range list {
		out = append(out, toAPIAlert(a))
	}
	c.JSON(http.StatusOK, gin.H{"alerts": out})
	return nil
}

// apiAlertCreate: POST /api/v1/alerts → 201.
func (s *Server) apiAlertCreate(c *gin.Context) error {
	var in alertInput
	if err := c.ShouldBindJSON(&in); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	a, err := s.createAlert(c, in)
	if err != nil {
		return err
	}
	// Read back as GET /alerts shows it: the campaigns' letters and
	// opened counts, which the insert alone does not know.
	if a, err = s.store.Alert(c.Request.Context(), a.ID); err != nil {
		return err
	}
	created(c, "/api/v1/alerts", toAPIAlert(a))
	return nil
}

// apiAlert is an alert as the API shows it.
type apiAlert struct {
	ID             int64              `json:"id"`
	ContentVersion int64              `json:"content_version"`
	Method         string             `json:"method"`
	Title          string             `json:"title"`
	Text           string             `json:"text"`
	CreatedAt      campaign.Moment    `json:"created_at"`
	UpdatedAt      *campaign.Moment   `json:"updated_at"`   // null: never edited
	WithdrawnAt    *campaign.Moment   `json:"withdrawn_at"` // null: it stands on the parents' pages
	Campaigns      []apiAlertCampaign `json:"campaigns"`
}

type apiAlertCampaign struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Letters int    `json:"letters"`
	Opened  int    `json:"opened_since"`
}

func toAPIAlert(a store.Alert) apiAlert {
	out := apiAlert{ID: a.ID, ContentVersion: a.ContentVersionID, Method: a.MethodID, Title: a.Title, Text: a.Body,
		CreatedAt: campaign.At(a.CreatedAt), Campaigns: []apiAlertCampaign{}}
	if !a.UpdatedAt.IsZero() {
		t := campaign.At(a.UpdatedAt)
		out.UpdatedAt = &t
	}
	if a.Withdrawn() {
		t := campaign.At(a.WithdrawnAt)
		out.WithdrawnAt = &t
	}
	for _, ac := range a.Campaigns {
		out.Campaigns = append(out.Campaigns, apiAlertCampaign{ID: ac.ID, Name: ac.Name, Letters: ac.Letters, Opened: ac.Opened})
	}
	return out
}

// refusalText is a refusal's message in the request's language.
func refusalText(s *Server, c *gin.Context, r *refusal) string {
	if r.msg != "" {
		return r.msg
	}
	return s.T(c, r.key)
}

// campaignAlert is an alert of a campaign on its page: how many of the
// campaign's families opened their page since.
type campaignAlert struct {
	ID      int64
	Title   string
	Opened  int
	Letters int
}

// campaignAlerts lists the alerts of campaign id with its counts, newest
// first (the campaign page).
func (s *Server) campaignAlerts(c *gin.Context, id int64) ([]campaignAlert, error) {
	list, err := s.store.Alerts(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []campaignAlert
	for _, a := range list {
		for _, ac := range a.Campaigns {
			if ac.ID == id && !a.Withdrawn() {
				out = append(out, campaignAlert{ID: a.ID, Title: a.Title, Opened: ac.Opened, Letters: ac.Letters})
			}
		}
	}
	return out, nil
}

// apiTime is a time as the API writes it.
func apiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
