package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/app/jobs"
	"jiashu/app/reminders"
	"jiashu/store"
)

// New-scam alerts (issue 9, 及时公布最新犯罪手法), the education center's:
// a list of alerts with how many families opened their page since, and a
// form that turns a method of an approved content version into an alert
// for running campaigns. An alert stands at the top of the parent page of
// every family of its campaigns (app/parent/alerts.go) and is offered as
// an SMS text (a CSV export, or a reminders job with the alert: the same
// per-guardian limit, quiet hours and audit as reminders).

// alertMethod is an approved method that may become an alert.
type alertMethod struct {
	Value   string // "version:method"
	Version int64
	ID      string
	Title   string
}

// alertsData is the alerts page.
type alertsData struct {
	Alerts    []alertRow
	Methods   []alertMethod
	Campaigns []store.Campaign // running
	Error     string
}

// alertRow is an alert on the page, its text in paragraphs.
type alertRow struct {
	store.Alert
	Paras []string
}

// alertInput is what the form and the API send.
type alertInput struct {
	ContentVersion int64   `json:"content_version"`
	Method         string  `json:"method"`
	CampaignIDs    []int64 `json:"campaign_ids"`
}

// approvedMethods lists the methods of every approved version, newest
// version first.
func (s *Server) approvedMethods(c *gin.Context) ([]alertMethod, error) {
	vs, err := s.store.ContentVersions(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []alertMethod
	for _, v := range vs {
		if v.State != store.ContentApproved {
			continue
		}
		lib, err := s.content.Library(c.Request.Context(), v.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range lib.Methods {
			out = append(out, alertMethod{Value: fmt.Sprintf("%d:%s", v.ID, m.ID), Version: v.ID, ID: m.ID, Title: m.Title})
		}
	}
	return out, nil
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

// alertsPage: GET /alerts.
func (s *Server) alertsPage(c *gin.Context) error {
	return s.renderAlerts(c, http.StatusOK, "")
}

func (s *Server) renderAlerts(c *gin.Context, status int, problem string) error {
	list, err := s.store.Alerts(c.Request.Context())
	if err != nil {
		return err
	}
	rows := make([]alertRow, 0, len(list))
	for _, a := range list {
		a.CreatedAt = a.CreatedAt.In(campaign.ChinaTime)
		rows = append(rows, alertRow{Alert: a, Paras: strings.Split(a.Body, "\n")})
	}
	methods, err := s.approvedMethods(c)
	if err != nil {
		return err
	}
	running, err := s.runningCampaigns(c)
	if err != nil {
		return err
	}
	return s.render(c, status, "alerts.html", s.T(c, "alerts.title"),
		alertsData{Alerts: rows, Methods: methods, Campaigns: running, Error: problem})
}

// createAlert checks in and records the alert: the method must be one of
// an approved version, the campaigns running ones.
func (s *Server) createAlert(c *gin.Context, in alertInput) (store.Alert, error) {
	if in.ContentVersion == 0 {
		if v, id, ok := strings.Cut(in.Method, ":"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return store.Alert{}, refuse(http.StatusUnprocessableEntity, "bad_method", "alerts.error.method")
			}
			in.ContentVersion, in.Method = n, id
		}
	}
	v, err := s.store.ContentVersion(c.Request.Context(), in.ContentVersion)
	if err != nil || v.State != store.ContentApproved {
		return store.Alert{}, refuse(http.StatusUnprocessableEntity, "bad_method", "alerts.error.method")
	}
	lib, err := s.content.Library(c.Request.Context(), v.ID)
	if err != nil {
		return store.Alert{}, err
	}
	m, ok := lib.Method(in.Method)
	if !ok {
		return store.Alert{}, refuse(http.StatusUnprocessableEntity, "bad_method", "alerts.error.method")
	}
	a := store.Alert{ContentVersionID: v.ID, MethodID: m.ID, Title: m.Title, Body: content.AlertBodyOf(m), CreatedBy: currentUser(c).ID}
	for _, id := range in.CampaignIDs {
		a.Campaigns = append(a.Campaigns, store.AlertCampaign{ID: id})
	}
	// Families read the alert filled in like their letter: one that some
	// class cannot fill is refused before it is published.
	if err := reminders.CheckAlert(c.Request.Context(), s.store, a.Title, a.Body, in.CampaignIDs, s.now()); errors.Is(err, store.ErrNotFound) {
		return store.Alert{}, refuse(http.StatusUnprocessableEntity, "bad_campaigns", "alerts.error.campaigns")
	} else if err != nil {
		return store.Alert{}, err
	}
	a, err = s.store.CreateAlert(c.Request.Context(), a)
	switch {
	case errors.Is(err, store.ErrAlertCampaign), errors.Is(err, store.ErrNotFound):
		return store.Alert{}, refuse(http.StatusUnprocessableEntity, "bad_campaigns", "alerts.error.campaigns")
	case errors.Is(err, store.ErrContentNotApproved):
		return store.Alert{}, refuse(http.StatusUnprocessableEntity, "bad_method", "alerts.error.method")
	case err != nil:
		return store.Alert{}, err
	}
	s.parent.ForgetAlerts()
	return a, nil
}

// alertForm: POST /alerts.
func (s *Server) alertForm(c *gin.Context) error {
	in := alertInput{Method: c.PostForm("method")}
	for _, v := range c.PostFormArray("campaign") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			in.CampaignIDs = append(in.CampaignIDs, id)
		}
	}
	if _, err := s.createAlert(c, in); err != nil {
		var r *refusal
		if errors.As(err, &r) {
			return s.renderAlerts(c, r.status, refusalText(s, c, r))
		}
		if msg := s.refusedInput(c, err); msg != "" {
			return s.renderAlerts(c, http.StatusUnprocessableEntity, msg)
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, "/alerts")
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
// its campaigns (with a mobile), checked: the campaign must be open.
func (s *Server) alertTarget(c *gin.Context) (sendTarget, error) {
	a, campaignID, err := s.alertParam(c)
	if err != nil {
		return sendTarget{}, err
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
			if ac.ID == id {
				out = append(out, campaignAlert{ID: a.ID, Title: a.Title, Opened: ac.Opened, Letters: ac.Letters})
			}
		}
	}
	return out, nil
}
