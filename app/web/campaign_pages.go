package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/letters"
	"jiashu/store"
)

// Campaigns (宣传活动), managed by the education center: name, term,
// acknowledgement deadline, quiz, the letter per age group, participating
// schools; and producing all their letters as one background job.

// campaignInput is what the campaign form and the API send.
type campaignInput struct {
	Name        string            `json:"name"`
	Term        string            `json:"term"`
	AckDeadline string            `json:"ack_deadline"` // YYYY-MM-DD or ""
	QuizEnabled bool              `json:"quiz_enabled"`
	Templates   map[string]string `json:"templates"` // age group → template; missing groups get the default
	SchoolIDs   []int64           `json:"school_ids"`
	// State of a new campaign: "draft" (its schools do not see it yet) or
	// "running" (the default); campaign_life.go starts and closes it.
	State string `json:"state,omitempty"`
	// ContentVersion is the approved content version to pin at creation
	// (0: the newest approved); content_pages.go.
	ContentVersion int64 `json:"content_version"`
	// Opening names one of the version's reviewed opening lines (API only;
	// nil keeps the campaign's): campaign_opening.go.
	Opening *string `json:"opening,omitempty"`
}

// check validates in against the known schools and templates and returns
// the campaign to store, or a catalogue key saying what is wrong.
func (s *Server) checkCampaign(c *gin.Context, in campaignInput) (store.Campaign, string, error) {
	var err error
	out := store.Campaign{Name: strings.TrimSpace(in.Name), Term: strings.TrimSpace(in.Term),
		AckDeadline: strings.TrimSpace(in.AckDeadline), QuizEnabled: in.QuizEnabled, Templates: map[string]string{}}
	if out.Name == "" || len([]rune(out.Name)) > 60 {
		return out, "campaign.error.name", nil
	}
	if len([]rune(out.Term)) > 40 {
		return out, "campaign.error.term", nil
	}
	if out.Term == "" {
		out.Term = campaign.TermOf(out.Name, s.now()) // 冬季反诈 → 2026年冬季, not the autumn term
	}
	if out.AckDeadline != "" {
		if _, err := time.Parse("2006-01-02", out.AckDeadline); err != nil {
			return out, "campaign.error.deadline", nil
		}
	}
	for _, g := range letters.AgeGroups() {
		tpl := in.Templates[g]
		if tpl == "" {
			tpl = campaign.DefaultTemplate
		}
		if tpl != campaign.DefaultTemplate {
			return out, "campaign.error.template", nil
		}
		out.Templates[g] = tpl
	}
	for g := range in.Templates {
		if !slices.Contains(letters.AgeGroups(), g) {
			return out, "campaign.error.template", nil
		}
	}
	if out.ContentVersionID, err = s.checkContentPin(c, in.ContentVersion); err != nil {
		return out, "content.error.not_approved", nil
	}
	schools, err := s.store.Schools(c.Request.Context())
	if err != nil {
		return out, "", err
	}
	for _, id := range in.SchoolIDs {
		if !slices.ContainsFunc(schools, func(sc store.School) bool { return sc.ID == id }) {
			return out, "campaign.error.school", nil
		}
		if !slices.Contains(out.SchoolIDs, id) {
			out.SchoolIDs = append(out.SchoolIDs, id)
		}
	}
	if len(out.SchoolIDs) == 0 {
		return out, "campaign.error.schools_required", nil
	}
	switch in.State {
	case "", store.CampaignRunning, store.CampaignDraft:
		out.State = in.State
	default:
		return out, "campaign.error.state", nil
	}
	return out, "", nil
}

// formCampaign reads the campaign form.
func formCampaign(c *gin.Context) campaignInput {
	in := campaignInput{Name: c.PostForm("name"), Term: c.PostForm("term"), AckDeadline: c.PostForm("ack_deadline"),
		QuizEnabled: formBool(c, "quiz"), Templates: map[string]string{}, State: c.PostForm("state"), ContentVersion: formInt(c, "content_version")}
	for _, g := range letters.AgeGroups() {
		in.Templates[g] = c.PostForm("template_" + g)
	}
	for _, v := range c.PostFormArray("school") {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.SchoolIDs = append(in.SchoolIDs, id)
		}
	}
	return in
}

// templateChoice is an age group's letter choice on the form.
type templateChoice struct {
	Group, Label string
	Options      []templateOption
}

type templateOption struct {
	Value, Title string
	Selected     bool
}

// schoolChoice is a school's checkbox on the form.
type schoolChoice struct {
	ID      int64
	Name    string
	Checked bool
}

// campaignForm is the form's state.
type campaignForm struct {
	Action    string // where the form posts
	SubmitKey string // catalogue key of the button
	Campaign  store.Campaign
	Templates []templateChoice
	Schools   []schoolChoice
	Versions  []versionChoice // content versions a new campaign may pin (campaign_content.go)
}

func (s *Server) campaignForm(c *gin.Context, cp store.Campaign) (campaignForm, error) {
	f := campaignForm{Campaign: cp, Action: "/campaigns", SubmitKey: "campaign.create"}
	if cp.ID != 0 {
		f.Action, f.SubmitKey = fmt.Sprintf("/campaigns/%d", cp.ID), "campaign.save"
	}
	lib := s.letters.Library()
	for _, g := range letters.AgeGroups() {
		tc := templateChoice{Group: g, Label: s.T(c, "agegroup."+g)}
		title := s.Tf(c, "campaign.template.default", tc.Label)
		if _, err := lib.Template(g); err != nil {
			continue // no letter for this age group in the library
		}
		tc.Options = append(tc.Options, templateOption{Value: campaign.DefaultTemplate, Title: title,
			Selected: cp.Templates[g] == "" || cp.Templates[g] == campaign.DefaultTemplate})
		f.Templates = append(f.Templates, tc)
	}
	if cp.ID == 0 {
		var err error
		if f.Versions, err = s.contentChoices(c, cp.ContentVersionID); err != nil {
			return f, err
		}
	}
	schools, err := s.store.Schools(c.Request.Context())
	if err != nil {
		return f, err
	}
	for _, sc := range schools {
		f.Schools = append(f.Schools, schoolChoice{ID: sc.ID, Name: sc.Name, Checked: slices.Contains(cp.SchoolIDs, sc.ID)})
	}
	return f, nil
}

// loadCampaigns lists every campaign with its schools and letters: the
// campaigns page and its API twin show the same list.
func (s *Server) loadCampaigns(c *gin.Context) ([]store.Campaign, error) {
	list, err := s.store.Campaigns(c.Request.Context())
	if err != nil {
		return nil, err
	}
	out := make([]store.Campaign, 0, len(list))
	for _, cp := range list {
		full, err := s.store.Campaign(c.Request.Context(), cp.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

// campaignsPageData is the list of campaigns with the form for a new one.
type campaignsPageData struct {
	Campaigns []campaignRow
	Form      campaignForm
	Error     string
}

type campaignRow struct {
	store.Campaign
	Schools int
	Phase   string      // where it is in its life (campaign_life.go)
	Reach   store.Reach // its district total, to compare campaigns side by side
}

// campaignsPage: GET /campaigns.
func (s *Server) campaignsPage(c *gin.Context) error {
	// The term is left empty: saved, it follows the name (campaign.TermOf).
	name, _ := store.DefaultCampaignName(s.now())
	return s.renderCampaigns(c, http.StatusOK, campaignsPageData{}, store.Campaign{Name: name, QuizEnabled: true})
}

func (s *Server) renderCampaigns(c *gin.Context, status int, d campaignsPageData, draft store.Campaign) error {
	list, err := s.loadCampaigns(c)
	if err != nil {
		return err
	}
	for _, cp := range list {
		row, err := s.campaignRow(c, cp)
		if err != nil {
			return err
		}
		d.Campaigns = append(d.Campaigns, row)
	}
	if d.Form, err = s.campaignForm(c, draft); err != nil {
		return err
	}
	return s.render(c, status, "campaigns.html", s.T(c, "campaigns.title"), d)
}

// createCampaign: POST /campaigns.
func (s *Server) createCampaign(c *gin.Context) error {
	cp, msgKey, err := s.checkCampaign(c, formCampaign(c))
	if err == nil && msgKey == "" {
		if _, taken := s.store.CampaignByName(c.Request.Context(), cp.Name); taken == nil {
			msgKey = "campaign.error.name_taken"
		}
	}
	if err != nil {
		return err
	}
	if msgKey != "" {
		return s.renderCampaigns(c, http.StatusUnprocessableEntity, campaignsPageData{Error: s.T(c, msgKey)}, cp)
	}
	made, err := s.store.CreateCampaign(c.Request.Context(), cp)
	if err != nil {
		return err
	}
	s.audit(c, "campaign_created", fmt.Sprintf("campaign %d %s, %d schools", made.ID, made.Name, len(made.SchoolIDs)))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?saved=1", made.ID))
	return nil
}

// campaignParam loads the campaign of the path (district only: routes).
func (s *Server) campaignParam(c *gin.Context) (store.Campaign, error) {
	id, err := s.idParam(c, "campaign")
	if err != nil {
		return store.Campaign{}, err
	}
	cp, err := s.store.Campaign(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return cp, errNotFound
	}
	if err != nil {
		return cp, err
	}
	return cp, nil
}

// campaignPageData is one campaign: its settings (editable), its schools'
// progress in brief, and its letters job.
type campaignPageData struct {
	Campaign  store.Campaign
	Form      campaignForm
	Jobs      []store.Job
	Running   *store.Job
	Reach     store.Reach
	Reminders *reminderCard
	Notice    string
	Error     string
	// Purged: the campaign's personal data was purged, so no letters can
	// be produced for it any more (the store refuses new letters).
	Purged bool
	Phase  string // draft, running, closed, purged (campaign_life.go)
	// Versions: which letters follow which content version, and the newer
	// approved versions it may move to (campaign_content.go).
	Versions campaignVersions
	// Alerts: the campaign's new-scam alerts and who opened them (alerts.go).
	Alerts []campaignAlert
	// Opening is its opening line (campaign_opening.go); Gaps its schools
	// whose letters lack details (school_gaps.go).
	Opening *openingCard
	Gaps    []schoolGapRow
}

// campaignPage: GET /campaigns/:campaign.
func (s *Server) campaignPage(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	d := campaignPageData{}
	switch c.Query("saved") {
	case "":
	case store.CampaignRunning, store.CampaignClosed:
		d.Notice = s.T(c, "campaign.notice."+c.Query("saved"))
	case "content":
		d.Notice = s.Tf(c, "move.done", cp.ContentVersionID)
	default:
		d.Notice = s.T(c, "campaign.notice.saved")
	}
	return s.renderCampaign(c, http.StatusOK, cp, d)
}

func (s *Server) renderCampaign(c *gin.Context, status int, cp store.Campaign, d campaignPageData) error {
	var err error
	d.Campaign = cp
	if d.Form, err = s.campaignForm(c, cp); err != nil {
		return err
	}
	if d.Jobs, err = s.store.CampaignJobs(c.Request.Context(), cp.ID, 5); err != nil {
		return err
	}
	if len(d.Jobs) > 0 && !d.Jobs[0].Finished() {
		d.Running = &d.Jobs[0]
	}
	if _, d.Reach, err = s.store.ReachBySchool(c.Request.Context(), cp.ID); err != nil {
		return err
	}
	if d.Reminders, err = s.campaignReminderCard(c, cp); err != nil {
		return err
	}
	if _, d.Purged, err = s.store.CampaignPurge(c.Request.Context(), cp.ID); err != nil {
		return err
	}
	if d.Versions, err = s.campaignVersionsOf(c, cp); err != nil {
		return err
	}
	if d.Alerts, err = s.campaignAlerts(c, cp.ID); err != nil {
		return err
	}
	if err := s.familyTextCards(c, cp, &d); err != nil {
		return err
	}
	d.Phase = cp.Phase(s.store.Today())
	return s.render(c, status, "campaign.html", cp.Name, d)
}

// updateCampaign: POST /campaigns/:campaign.
func (s *Server) updateCampaign(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	next, msgKey, err := s.checkCampaign(c, formCampaign(c))
	if err == nil && msgKey == "" {
		if other, e := s.store.CampaignByName(c.Request.Context(), next.Name); e == nil && other.ID != cp.ID {
			msgKey = "campaign.error.name_taken"
		}
	}
	if err != nil {
		return err
	}
	next.ID = cp.ID
	if msgKey != "" {
		return s.renderCampaign(c, http.StatusUnprocessableEntity, next, campaignPageData{Error: s.T(c, msgKey)})
	}
	if _, err := s.store.UpdateCampaign(c.Request.Context(), next); err != nil {
		return err
	}
	s.audit(c, "campaign_updated", fmt.Sprintf("campaign %d %s", cp.ID, next.Name))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?saved=1", cp.ID))
	return nil
}

// campaignLettersJob queues the campaign's letters for all its schools.
func (s *Server) campaignLettersJob(c *gin.Context, cp store.Campaign, duplex bool) (store.Job, error) {
	if len(cp.SchoolIDs) == 0 {
		return store.Job{}, refuse(http.StatusConflict, "no_schools", "campaign.error.no_schools")
	}
	if err := campaign.CheckOpen(cp); err != nil {
		return store.Job{}, err
	}
	j, err := s.queueJob(c, jobs.NewJob(jobs.CampaignLetters{Duplex: duplex}, store.Job{CampaignID: cp.ID}))
	if err != nil {
		return j, err
	}
	return j, nil
}

// startCampaignLetters: POST /campaigns/:campaign/letters.
func (s *Server) startCampaignLetters(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	j, err := s.campaignLettersJob(c, cp, formBool(c, "duplex"))
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d", j.ID))
	return nil
}
