package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

// Alerts people can trust (issue 22): before an alert is published or an
// edit saved, the center sees the top of a parents' page with it, the text
// message a family would get, and how many families it reaches; an alert
// is withdrawn after a page saying so, and leaves the parents' pages at
// once (store.WithdrawAlert bumps the campaigns' alerts version).

// alertPreview is the page that shows an alert before it is published or
// its edit saved.
type alertPreview struct {
	Action    string // where the form posts
	Editing   *store.Alert
	Method    string // "version:method" of a new alert
	Title     string
	Text      string
	Campaigns []alertCampaignPick
	Families  int    // families of the campaigns ticked: whose pages show it
	SMS       string // the text a family would get
	SMSReason string
	FrameURL  string // the parents' page with the alert on top
	Error     string
}

// alertCampaignPick is a campaign the alert may be for.
type alertCampaignPick struct {
	ID      int64
	Name    string
	Checked bool
	Ended   bool // kept from before, no longer running
}

// alertPreviewPage: GET /alerts/new?method=…&campaign=…[&title=…&text=…].
func (s *Server) alertPreviewPage(c *gin.Context) error {
	in := alertInput{Method: c.Query("method"), Title: c.Query("title"), Text: c.Query("text")}
	for _, v := range c.QueryArray("campaign") {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.CampaignIDs = append(in.CampaignIDs, id)
		}
	}
	return s.alertPreviewOf(c, in)
}

// alertPreviewOf shows the preview of the alert in would make, or the
// alerts page with what is wrong.
func (s *Server) alertPreviewOf(c *gin.Context, in alertInput) error {
	a, err := s.alertOf(c, in)
	if err == nil && len(a.Campaigns) == 0 {
		err = refuse(http.StatusUnprocessableEntity, "bad_campaigns", "alerts.error.campaigns")
	}
	var r *refusal
	if errors.As(err, &r) {
		return s.renderAlerts(c, r.status, alertsData{Error: refusalText(s, c, r)})
	}
	if msg := s.refusedInput(c, err); msg != "" { // some class cannot fill it
		return s.renderAlerts(c, http.StatusUnprocessableEntity, alertsData{Error: msg})
	}
	if err != nil {
		return err
	}
	d := alertPreview{Action: "/alerts", Method: fmt.Sprintf("%d:%s", a.ContentVersionID, a.MethodID)}
	return s.renderAlertPreview(c, http.StatusOK, a, nil, d)
}

// renderAlertPreview fills d for alert a (ticked campaigns a.Campaigns,
// among the running ones and those the alert already had: kept) and shows
// it.
func (s *Server) renderAlertPreview(c *gin.Context, status int, a store.Alert, kept []store.AlertCampaign, d alertPreview) error {
	running, err := s.runningCampaigns(c)
	if err != nil {
		return err
	}
	ticked := map[int64]bool{}
	var ids []int64
	for _, ac := range a.Campaigns {
		ticked[ac.ID] = true
	}
	for _, cp := range running {
		d.Campaigns = append(d.Campaigns, alertCampaignPick{ID: cp.ID, Name: cp.Name, Checked: ticked[cp.ID]})
	}
	for _, ac := range kept {
		if !slices.ContainsFunc(d.Campaigns, func(p alertCampaignPick) bool { return p.ID == ac.ID }) {
			d.Campaigns = append(d.Campaigns, alertCampaignPick{ID: ac.ID, Name: ac.Name, Checked: ticked[ac.ID], Ended: true})
		}
	}
	for _, p := range d.Campaigns {
		if p.Checked {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 && d.Error == "" {
		d.Error = s.T(c, "alerts.error.campaigns")
	}
	if d.Families, err = s.store.CampaignFamilies(c.Request.Context(), ids); err != nil {
		return err
	}
	d.Title, d.Text, d.SMSReason = a.Title, a.Body, s.smsReason(c)
	if d.SMS, err = s.reminders().AlertMessage(s.T(c, "alerts.preview.school"), a.Title, alertSampleCode); err != nil {
		return err
	}
	// The text travels a paragraph a parameter: an address may not hold
	// line breaks (text_guard.go).
	d.FrameURL = "/alerts/preview.html?" + url.Values{"title": {a.Title}, "p": strings.Split(a.Body, "\n")}.Encode()
	return s.render(c, status, "alert_preview.html", s.T(c, "alerts.preview.title"), d)
}

// alertSampleCode is the letter code of the preview's text message.
const alertSampleCode = "7KQ2XP9M4TRW"

// alertFrame: GET /alerts/preview.html?title=…&p=…&p=… (a paragraph
// each) — the top of a parents' page (the sample letter of the current
// version) with the alert as families will see it.
func (s *Server) alertFrame(c *gin.Context) error {
	title, text, err := alertText(c.Query("title"), strings.Join(c.QueryArray("p"), "\n"))
	if err != nil {
		return err
	}
	latest, err := s.store.LatestApprovedContent(c.Request.Context())
	if err != nil {
		return err
	}
	files, err := s.contentFlow().Files(c.Request.Context(), latest.ID)
	if err != nil {
		return err
	}
	p, err := content.MakePreview(files, s.letters, letters.PrimaryLower, nil)
	if err != nil {
		return err
	}
	a := store.Alert{Title: title, Body: text, CreatedAt: s.now()}
	b, err := s.parent.PreviewPage(p.Document, content.SampleLetter(letters.PrimaryLower), a)
	if err != nil {
		return err
	}
	framable(c)
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
	return nil
}

// alertByPath loads the :alert of the path; a missing one is a 404.
func (s *Server) alertByPath(c *gin.Context) (store.Alert, error) {
	id, err := s.idParam(c, "alert")
	if err != nil {
		return store.Alert{}, err
	}
	a, err := s.store.Alert(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return a, errNotFound
	}
	return a, err
}

// alertEditPage: GET /alerts/:alert/edit: the alert's text and campaigns
// in a form, with its preview.
func (s *Server) alertEditPage(c *gin.Context) error {
	return s.alertEditPreview(c, nil)
}

// alertEditPreview shows the edit form of the alert of the path with the
// preview of edited (nil: the alert as it stands).
func (s *Server) alertEditPreview(c *gin.Context, edited *alertInput) error {
	a, err := s.alertByPath(c)
	if err != nil {
		return err
	}
	if a.Withdrawn() {
		return alertRefusal(store.ErrAlertWithdrawn)
	}
	shown := a
	if edited != nil {
		if shown.Title, shown.Body, err = alertText(edited.Title, edited.Text); err != nil {
			return err
		}
		shown.Campaigns = nil
		for _, id := range edited.CampaignIDs {
			shown.Campaigns = append(shown.Campaigns, store.AlertCampaign{ID: id})
		}
	}
	d := alertPreview{Action: fmt.Sprintf("/alerts/%d/edit", a.ID), Editing: &a}
	return s.renderAlertPreview(c, http.StatusOK, shown, a.Campaigns, d)
}

// alertEditSave: POST /alerts/:alert/edit (title, text, campaign…):
// saves the edit once confirmed (confirm=1; audited) and shows the alerts;
// without the confirmation it shows the preview of the edit.
func (s *Server) alertEditSave(c *gin.Context) error {
	in := formAlert(c)
	if c.PostForm("confirm") != "1" {
		return s.alertEditPreview(c, &in)
	}
	a, err := s.updateAlert(c, in)
	if err != nil {
		msg := s.refusedInput(c, err) // some class cannot fill it
		var r *refusal
		if errors.As(err, &r) && r.status == http.StatusUnprocessableEntity {
			msg = refusalText(s, c, r)
		}
		if msg == "" {
			return err
		}
		d := alertPreview{Action: fmt.Sprintf("/alerts/%d/edit", a.ID), Editing: &a, Error: msg}
		return s.renderAlertPreview(c, http.StatusUnprocessableEntity, a, a.Campaigns, d)
	}
	c.Redirect(http.StatusSeeOther, "/alerts?done=edited")
	return nil
}

// updateAlert saves in as the alert of the path: its title, text and
// campaigns; it returns the alert (as it was, when refused).
func (s *Server) updateAlert(c *gin.Context, in alertInput) (store.Alert, error) {
	a, err := s.alertByPath(c)
	if err != nil {
		return a, err
	}
	next := store.Alert{ID: a.ID}
	if next.Title, next.Body, err = alertText(in.Title, in.Text); err != nil {
		return a, err
	}
	for _, id := range in.CampaignIDs {
		next.Campaigns = append(next.Campaigns, store.AlertCampaign{ID: id})
	}
	if err := s.checkAlert(c, next.Title, next.Body, in.CampaignIDs); err != nil {
		return a, err
	}
	saved, err := s.store.UpdateAlert(c.Request.Context(), next, currentUser(c).ID)
	if err != nil {
		return a, alertRefusal(err)
	}
	s.parent.ForgetAlerts()
	return saved, nil
}

// alertWithdrawData is the page that asks before an alert is withdrawn.
type alertWithdrawData struct {
	Alert    store.Alert
	Families int
}

// alertWithdrawPage: GET /alerts/:alert/withdraw: what withdrawing does,
// and the button.
func (s *Server) alertWithdrawPage(c *gin.Context) error {
	a, err := s.alertByPath(c)
	if err != nil {
		return err
	}
	if a.Withdrawn() {
		return alertRefusal(store.ErrAlertWithdrawn)
	}
	d := alertWithdrawData{Alert: a}
	var ids []int64
	for _, ac := range a.Campaigns {
		ids = append(ids, ac.ID)
	}
	if d.Families, err = s.store.CampaignFamilies(c.Request.Context(), ids); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "alert_withdraw.html", s.T(c, "alerts.withdraw.title"), d)
}

// alertWithdraw: POST /alerts/:alert/withdraw (and under /api/v1): takes the
// alert off the parents' pages at once (audited); it stays listed.
func (s *Server) alertWithdraw(c *gin.Context) error {
	a, err := s.alertByPath(c)
	if err != nil {
		return err
	}
	if a, err = s.store.WithdrawAlert(c.Request.Context(), a.ID, currentUser(c).ID); err != nil {
		return alertRefusal(err)
	}
	s.parent.ForgetAlerts()
	if isAPI(c) {
		c.JSON(http.StatusOK, toAPIAlert(a))
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/alerts?done=withdrawn")
	return nil
}

// apiAlertUpdate: PUT /api/v1/alerts/:alert {title, text, campaign_ids}.
func (s *Server) apiAlertUpdate(c *gin.Context) error {
	var in alertInput
	if err := c.ShouldBindJSON(&in); err != nil {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	a, err := s.updateAlert(c, in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toAPIAlert(a))
	return nil
}
