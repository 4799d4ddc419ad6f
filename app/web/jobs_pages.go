package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/store"
)

// jobRefreshSeconds is how often a running job's page reloads itself (a
// <meta http-equiv="refresh">: no script needed).
const jobRefreshSeconds = 2

// jobForUser loads job id if the current user may see it: a school's job
// by that school's administrator (and the district), a campaign's job by
// the district only. Otherwise it has answered (403 for roles without
// jobs, 404 for someone else's) and returns false.
func (s *Server) jobForUser(c *gin.Context, id int64) (store.Job, error) {
	u := currentUser(c)
	if u == nil {
		return store.Job{}, errForbidden
	}
	admin := u.Role == store.RoleDistrictAdmin || u.Role == store.RoleSchoolAdmin
	j, err := s.store.Job(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) && admin {
		return store.Job{}, errNotFound
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.Job{}, err
	}
	// A reminders job is also its sender's (a teacher sends a class's).
	mine := err == nil && j.Kind == store.JobReminders && j.CreatedBy == u.ID
	if !admin && !mine {
		return store.Job{}, errForbidden
	}
	allowed := mine || u.Role == store.RoleDistrictAdmin ||
		((j.Kind == store.JobSchoolLetters || (j.Kind == store.JobReminders && j.SchoolID != 0)) && mayManageSchool(u, j.SchoolID))
	if !allowed {
		return store.Job{}, errNotFound
	}
	return j, nil
}

func (s *Server) jobParam(c *gin.Context) (store.Job, error) {
	id, err := s.idParam(c, "job")
	if err != nil {
		return store.Job{}, err
	}
	return s.jobForUser(c, id)
}

// queueJob queues a letters job unless the same one, with the same options
// (params: duplex or not), is already queued or running (a second click, or
// a colleague), and wakes this instance's runner. A pending job with other
// options does not count: asking for two-sided letters while one-sided ones
// are being made must not hand back the one-sided ZIP.
func (s *Server) queueJob(c *gin.Context, j store.Job) (store.Job, error) {
	if p, ok, err := s.store.PendingJob(c.Request.Context(), j.Kind, j.SchoolID, j.CampaignID, j.Params); err != nil || ok {
		return p, err
	}
	j.CreatedBy = currentUser(c).ID
	out, err := s.store.CreateJob(c.Request.Context(), j)
	if err != nil {
		return out, err
	}
	s.audit(c, "letters_job_queued", fmt.Sprintf("job %d %s, school %d, campaign %d", out.ID, out.Kind, out.SchoolID, out.CampaignID))
	if s.Jobs != nil {
		s.Jobs.Notify()
	}
	return out, nil
}

// schoolLettersJob builds the job for the school's letters in its current
// campaign (the one chosen in the form, if the school takes part in it).
func (s *Server) schoolLettersJob(c *gin.Context, sc store.School, campaignID int64, duplex bool) (store.Job, error) {
	var camp store.Campaign
	var err error
	if campaignID != 0 {
		camps, err := s.store.SchoolCampaigns(c.Request.Context(), sc.ID)
		if err != nil {
			return store.Job{}, err
		}
		for _, cp := range camps {
			if cp.ID == campaignID {
				camp = cp
			}
		}
		if camp.ID == 0 {
			return store.Job{}, errNotFound
		}
	} else if camp, err = campaign.CurrentOrDefault(c.Request.Context(), s.store, sc.ID); err != nil {
		return store.Job{}, err
	}
	if err := campaign.CheckOpen(camp); err != nil {
		return store.Job{}, err
	}
	j, err := s.queueJob(c, jobs.NewJob(jobs.SchoolLetters{Duplex: duplex}, store.Job{SchoolID: sc.ID, CampaignID: camp.ID}))
	if err != nil {
		return store.Job{}, err
	}
	return j, nil
}

// startSchoolLetters: POST /schools/:school/letters: queue the school's
// letters and show the job's page.
func (s *Server) startSchoolLetters(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	campaignID, err := requestedCampaign(c) // the form's choice, or a retry's ?campaign=
	if err != nil {
		return err
	}
	j, err := s.schoolLettersJob(c, sc, campaignID, formBool(c, "duplex"))
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d", j.ID))
	return nil
}

// jobPageData is the job page.
type jobPageData struct {
	Job      store.Job
	What     string // 阳光小学 · 2026年秋季反诈家书
	Back     string // the page the job was started from
	BackText string
	Refresh  int // seconds; 0 when finished
	Waiting  bool
	Size     string // of the result, e.g. "3.2 MB"
	Retry    string // where "start again" posts
	Expired  bool   // done, but the file was deleted after jobResultRetention
	// A letters job: whether every letter starts on an odd page
	// (two-sided printing); a retry keeps it.
	Duplex bool
	// A finished letters job: its counts and the letters to check.
	Letters   jobs.LettersOutcome
	HasCounts bool
	// A reminders job: what it has sent so far (its texts as the database
	// has them now, delivery reports included), and what it covers.
	Reminders bool
	Sent      jobs.SendSummary
	Delivery  deliveryView
	Scheduled bool // it waits for its time (j.RunAt)
	// Failures: why a reminders job's texts failed (commonest first);
	// RetryFailed posts a job that sends to those guardians only.
	Failures    []store.ReminderFailure
	RetryFailed string
}

// jobPage: GET /jobs/:job: progress while it runs (the page reloads
// itself), then the download.
func (s *Server) jobPage(c *gin.Context) error {
	j, err := s.jobParam(c)
	if err != nil {
		return err
	}
	d := jobPageData{Job: j, What: s.jobTitle(c, j)}
	switch j.Kind {
	case store.JobReminders:
		p, _ := jobs.Decode[jobs.SendReminders](j) // malformed: the campaign's page is the way back
		sum, err := s.reminderSummary(c, j)
		if err != nil {
			return err
		}
		d.Reminders, d.Sent, d.Delivery, d.Scheduled = true, sum, deliveryOf(sum, s.cfg.SMSReports()), j.Scheduled()
		switch {
		case p.ClassID != 0:
			d.Back, d.BackText = fmt.Sprintf("/classes/%d/slips?campaign=%d", p.ClassID, j.CampaignID), s.T(c, "reminders.job.back.class")
			d.Retry = fmt.Sprintf("/classes/%d/reminders/send?campaign=%d", p.ClassID, j.CampaignID)
		case p.SchoolID != 0:
			d.Back, d.BackText = fmt.Sprintf("/schools/%d", p.SchoolID), s.T(c, "job.back.school")
		default:
			d.Back, d.BackText = fmt.Sprintf("/campaigns/%d", j.CampaignID), s.T(c, "job.back.campaign")
		}
		if err := s.jobFailures(c, j, &d); err != nil {
			return err
		}
	case store.JobSchoolLetters:
		p, _ := jobs.Decode[jobs.SchoolLetters](j)
		d.Letters, d.HasCounts = jobs.LettersOf(j)
		d.Duplex = p.Duplex
		d.Back, d.BackText = fmt.Sprintf("/schools/%d", j.SchoolID), s.T(c, "job.back.school")
		d.Retry = fmt.Sprintf("/schools/%d/letters?campaign=%d", j.SchoolID, j.CampaignID) // the job's campaign, not today's default
	default:
		p, _ := jobs.Decode[jobs.CampaignLetters](j)
		d.Letters, d.HasCounts = jobs.LettersOf(j)
		d.Duplex = p.Duplex
		d.Back, d.BackText = fmt.Sprintf("/campaigns/%d", j.CampaignID), s.T(c, "job.back.campaign")
		d.Retry = fmt.Sprintf("/campaigns/%d/letters", j.CampaignID)
	}
	d.Size = fmt.Sprintf("%.1f MB", float64(j.ResultSize)/(1<<20))
	if j.ResultSize < 1<<20 {
		d.Size = fmt.Sprintf("%d KB", (j.ResultSize+1023)/1024)
	}
	d.Expired = j.Status == store.JobDone && j.ResultName == ""
	if !j.Finished() && !d.Scheduled {
		d.Refresh = jobRefreshSeconds
		d.Waiting = j.Status == store.JobQueued
	}
	title := s.T(c, "job.title")
	if d.Reminders {
		title = s.T(c, "reminders.job.title")
	}
	return s.render(c, http.StatusOK, "job.html", title, d)
}

// jobTitle names what a job produces, for people.
func (s *Server) jobTitle(c *gin.Context, j store.Job) string {
	var what string
	if j.Kind == store.JobReminders {
		p, _ := jobs.Decode[jobs.SendReminders](j)
		if p.ClassID != 0 {
			if cl, err := s.store.Class(c.Request.Context(), p.ClassID); err == nil {
				what = cl.Name + " · "
			}
		}
	}
	if j.SchoolID != 0 {
		if sc, err := s.store.School(c.Request.Context(), j.SchoolID); err == nil {
			what = sc.Name
		}
	} else {
		what = s.T(c, "job.all_schools")
	}
	if cp, err := s.store.Campaign(c.Request.Context(), j.CampaignID); err == nil {
		what += " · " + cp.Name
	}
	return what
}

// jobDownload: GET /jobs/:job/download (and /api/v1/jobs/:job/result): the
// ZIP of a finished job, streamed from the database. Every download is in
// the audit log: it is every student's letter.
func (s *Server) jobDownload(c *gin.Context) error {
	j, err := s.jobParam(c)
	if err != nil {
		return err
	}
	if j.Status != store.JobDone {
		return refuse(http.StatusConflict, "job_not_done", "job.error.not_done")
	}
	if j.ResultName == "" {
		return refuse(http.StatusGone, "job_result_expired", "job.error.expired")
	}
	s.audit(c, "letters_zip_downloaded", fmt.Sprintf("job %d %s, school %d, campaign %d, %s, %d bytes",
		j.ID, j.Kind, j.SchoolID, j.CampaignID, j.ResultName, j.ResultSize))
	c.Header("Content-Type", "application/zip")
	c.Header("Content-Length", strconv.FormatInt(j.ResultSize, 10))
	c.Header("Content-Disposition", attachment("letters-"+strconv.FormatInt(j.ID, 10)+".zip", j.ResultName))
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if _, err := s.store.WriteJobResult(c.Request.Context(), j.ID, c.Writer); err != nil {
		// Headers are gone; the client sees a short download.
		s.log.Error("job download", "job", j.ID, "err", err)
	}
	return nil
}

// cancelJob: POST /jobs/:job/cancel and POST /api/v1/jobs/:job/cancel, by
// whoever may see the job: a queued job is cancelled at once, a running one
// stops at its worker's next progress or lease check (store.CancelJob). No
// confirmation box: the running page reloads itself, which would clear it,
// and a cancelled job can simply be started again.
func (s *Server) cancelJob(c *gin.Context) error {
	j, err := s.jobParam(c)
	if err != nil {
		return err
	}
	if !j.Cancellable() {
		if isAPI(c) {
			return refuse(http.StatusConflict, "job_finished", "job.error.finished")
		}
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d", j.ID))
		return nil
	}
	j, err = s.store.CancelJob(c.Request.Context(), j.ID)
	if err != nil {
		return err
	}
	s.audit(c, "job_cancelled", fmt.Sprintf("job %d %s, school %d, campaign %d, now %s", j.ID, j.Kind, j.SchoolID, j.CampaignID, j.Status))
	if isAPI(c) {
		out, err := s.apiJobOf(c, j)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, out)
		return nil
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d", j.ID))
	return nil
}

// apiJob is a job in the API.
type apiJob struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`
	Status     string          `json:"status"`
	Done       int             `json:"done"`
	Total      int             `json:"total"`
	Percent    int             `json:"percent"`
	SchoolID   int64           `json:"school_id,omitempty"`
	CampaignID int64           `json:"campaign_id"`
	Error      string          `json:"error,omitempty"`
	ResultName string          `json:"result_name,omitempty"`
	ResultSize int64           `json:"result_size,omitempty"`
	ResultURL  string          `json:"result_url,omitempty"`
	CreatedAt  campaign.Moment `json:"created_at"`
	FinishedAt campaign.Moment `json:"finished_at,omitzero"`
	// RunAt is when a job waiting for its time starts (a send asked for in
	// the quiet hours).
	RunAt campaign.Moment `json:"run_at,omitzero"`
	// Reminders is a reminders job's counts so far.
	Reminders *jobs.SendSummary `json:"reminders,omitempty"`
	// Letters is a finished letters job's counts and attention entries.
	Letters *jobs.LettersOutcome `json:"letters,omitempty"`
}

func toAPIJob(j store.Job) apiJob {
	out := apiJob{ID: j.ID, Kind: j.Kind, Status: j.Status, Done: j.Done, Total: j.Total, Percent: j.Percent(),
		SchoolID: j.SchoolID, CampaignID: j.CampaignID, Error: j.Error,
		CreatedAt: campaign.At(j.CreatedAt), FinishedAt: campaign.At(j.FinishedAt), RunAt: campaign.At(j.RunAt)}
	if j.Status == store.JobDone && j.ResultName != "" {
		out.ResultName, out.ResultSize = j.ResultName, j.ResultSize
		out.ResultURL = fmt.Sprintf("/api/v1/jobs/%d/result", j.ID)
	}
	if j.Kind == store.JobReminders {
		sum := jobs.SentOf(j)
		out.Reminders = &sum
	} else if o, ok := jobs.LettersOf(j); ok {
		out.Letters = &o
	}
	return out
}

// reminderSummary is a reminders job's summary from its texts as the
// database has them now (delivery reports come after the job ends); a job
// from before texts were kept keeps its own counts.
func (s *Server) reminderSummary(c *gin.Context, j store.Job) (jobs.SendSummary, error) {
	counts, err := s.store.JobTextCounts(c.Request.Context(), j.ID)
	if err != nil {
		return jobs.SendSummary{}, err
	}
	if !counts.Any() {
		return jobs.SentOf(j), nil
	}
	return jobs.SummaryOf(counts), nil
}

// apiJobOf is a job in the API, a reminders job with its texts' counts.
func (s *Server) apiJobOf(c *gin.Context, j store.Job) (apiJob, error) {
	out := toAPIJob(j)
	if j.Kind == store.JobReminders {
		sum, err := s.reminderSummary(c, j)
		if err != nil {
			return out, err
		}
		out.Reminders = &sum
	}
	return out, nil
}

// apiJobGet: GET /api/v1/jobs/:job.
func (s *Server) apiJobGet(c *gin.Context) error {
	j, err := s.jobParam(c)
	if err != nil {
		return err
	}
	out, err := s.apiJobOf(c, j)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// apiStartSchoolLetters: POST /api/v1/schools/:school/letters
// {"campaign_id": 0, "duplex": false} → 202 with the job.
func (s *Server) apiStartSchoolLetters(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	var req struct {
		CampaignID int64 `json:"campaign_id"`
		Duplex     bool  `json:"duplex"`
	}
	if c.Request.ContentLength != 0 {
		if err := c.ShouldBindJSON(&req); err != nil {
			return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
		}
	}
	j, err := s.schoolLettersJob(c, sc, req.CampaignID, req.Duplex)
	if err != nil {
		return err
	}
	accepted(c, j)
	return nil
}
