package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/jobs"
	"jiashu/app/reminders"
	"jiashu/problem"
	"jiashu/sms"
	"jiashu/store"
)

// Sending texts (issue 20), shared by the reminders of a class, a school
// and a campaign and by new-scam alerts: the confirmation page shows, before
// the button, how many families and texts, the segments billed and the
// estimated cost, and the exact text the first family receives; texts that
// do not fit the provider's rules block the send, naming the families. In
// the quiet hours the page offers to send when they end ("明早 8:00 发送"):
// a job that waits for its time, shown with the scope and cancellable.

// texts is the use case of texts through the provider.
func (s *Server) texts() reminders.Texts { return reminders.Texts{Lists: s.reminders(), Config: s.cfg} }

// sendTarget is what a send covers.
type sendTarget struct {
	Args     jobs.SendReminders
	Alert    *store.Alert
	Name     string // the class, school or campaign, as pages name it
	Campaign string
	Audit    string // the audit action of the send: reminders_send, alert_send
}

// request is the texts' request of a send, with the per-guardian limit
// applied as the job will apply it.
func (t sendTarget) request(max int) reminders.Request {
	return reminders.Request{Scope: store.ReminderScope{CampaignID: t.Args.CampaignID, SchoolID: t.Args.SchoolID, ClassID: t.Args.ClassID},
		Alert: t.Alert, Max: max}
}

// quiet says whether texts may not go now.
func (s *Server) quiet() bool { return reminders.Quiet(s.cfg.SMSQuietHours, s.now()) }

// quietRefusal is a send asked for in the quiet hours, saying when they end.
func (s *Server) quietRefusal(c *gin.Context) error {
	q := s.cfg.SMSQuietHours
	return refuseMsg(http.StatusConflict, "quiet_hours", s.Tf(c, "reminders.quiet", q.FromText(), q.ToText()))
}

// sendWhen reads when a send is to go: "now" (or nothing) or "morning",
// the end of the quiet hours; from a form field or the query.
func sendWhen(c *gin.Context) (morning bool, err error) {
	when := c.PostForm("when")
	if when == "" {
		when = c.Query("when")
	}
	switch when {
	case "", "now":
		return false, nil
	case "morning":
		return true, nil
	}
	return false, refuse(http.StatusBadRequest, "bad_request", "sms.error.when")
}

// queueSend checks a send and queues its job: at once, or waiting for the
// end of the quiet hours. The same send asked for again while its job
// waits or runs answers that job.
func (s *Server) queueSend(c *gin.Context, t sendTarget) error {
	if !s.cfg.SMSSends() {
		return refuse(http.StatusConflict, "no_gateway", "reminders.no_gateway")
	}
	morning, err := sendWhen(c)
	if err != nil {
		return err
	}
	if s.quiet() && !morning {
		return s.quietRefusal(c)
	}
	plan, err := s.texts().Plan(c.Request.Context(), t.request(s.cfg.SMSMaxPerGuardian))
	if err != nil {
		return err
	}
	if err := s.texts().Refusal(plan); err != nil {
		return err
	}
	job := jobs.NewJob(t.Args, store.Job{SchoolID: t.Args.SchoolID, CampaignID: t.Args.CampaignID})
	var j store.Job
	var found bool
	if morning {
		job.RunAt = reminders.Resume(s.cfg.SMSQuietHours, s.now()).UTC()
		j, found, err = s.store.ScheduledJob(c.Request.Context(), job.Kind, job.SchoolID, job.CampaignID, job.Params, job.RunAt)
	} else {
		j, found, err = s.store.PendingJob(c.Request.Context(), job.Kind, job.SchoolID, job.CampaignID, job.Params)
	}
	if err != nil || found {
		if err != nil {
			return err
		}
		return s.answerJob(c, j)
	}
	u := currentUser(c)
	job.CreatedBy = u.ID
	if j, err = s.store.CreateJob(c.Request.Context(), job); err != nil {
		return err
	}
	// Who asked for the numbers to go to the provider, and when (the
	// audit entry's time); the job writes what it sent.
	detail := fmt.Sprintf("%s: job %d queued", t.Args.Label, j.ID)
	if morning {
		detail = fmt.Sprintf("%s: job %d queued for %s", t.Args.Label, j.ID, j.RunAt.In(campaign.ChinaTime).Format("2006-01-02 15:04"))
	}
	e := plan.Estimate
	detail += fmt.Sprintf("; estimate %d families, %d texts, %d segments, %s yuan", e.Families, e.Texts, e.Segments, sms.Yuan(e.Fen))
	if err := s.store.Audit(c.Request.Context(), u.ID, t.Audit, detail); err != nil {
		return err
	}
	if s.Jobs != nil && !morning {
		s.Jobs.Notify()
	}
	return s.answerJob(c, j)
}

// answerJob answers a queued job: 202 with it for the API, the job's page
// for a page.
func (s *Server) answerJob(c *gin.Context, j store.Job) error {
	if isAPI(c) {
		out, err := s.apiJobOf(c, j)
		if err != nil {
			return err
		}
		c.Header("Location", fmt.Sprintf("/api/v1/jobs/%d", j.ID))
		c.JSON(http.StatusAccepted, out)
		return nil
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/%d", j.ID))
	return nil
}

// sendView is the confirmation page of a send.
type sendView struct {
	Name, Campaign string
	Alert          string // the alert's title, for an alert's send
	Sends          bool   // a provider is configured
	Provider       string // its name, for people
	Reports        bool   // it reports delivery
	Problem        string // why nothing can be sent (no template …)
	Quiet          bool
	QuietFrom      string // 21:00
	QuietTo        string // 08:00
	Resume         time.Time
	Plan           reminders.Plan
	Cost           string // yuan
	PriceFen       int64
	SampleSegments int
	SampleLength   int         // characters, as the SMS network counts them
	Scheduled      []store.Job // sends of this scope waiting for their time
	Action, Back   string
}

// sendConfirm renders the confirmation page of a send.
func (s *Server) sendConfirm(c *gin.Context, t sendTarget, back string) error {
	q := s.cfg.SMSQuietHours
	v := sendView{Name: t.Name, Campaign: t.Campaign, Sends: s.cfg.SMSSends(), Provider: s.T(c, "sms.provider."+s.cfg.SMSProvider),
		Reports: s.cfg.SMSReports(), Quiet: s.quiet(), QuietFrom: q.FromText(), QuietTo: q.ToText(),
		Resume: reminders.Resume(q, s.now()), PriceFen: s.cfg.SMSPriceFen, Action: c.Request.URL.RequestURI(), Back: back}
	if t.Alert != nil {
		v.Alert = t.Alert.Title
	}
	if v.Sends {
		plan, err := s.texts().Plan(c.Request.Context(), t.request(s.cfg.SMSMaxPerGuardian))
		if p := problem.As(err); p != nil {
			v.Problem = s.problemMessage(c, p)
		} else if err != nil {
			return err
		}
		v.Plan, v.Cost, v.SampleSegments, v.SampleLength = plan, sms.Yuan(plan.Estimate.Fen), sms.Segments(plan.Sample), sms.Length(plan.Sample)
		scheduled, err := s.scheduledSends(c, t.Args, true)
		if err != nil {
			return err
		}
		v.Scheduled = scheduled
	}
	return s.render(c, http.StatusOK, "reminders_confirm.html", s.T(c, "reminders.confirm.title"), v)
}

// scheduledSends lists the sends waiting for their time of the same scope
// as args (exact), or of it and its classes.
func (s *Server) scheduledSends(c *gin.Context, args jobs.SendReminders, exact bool) ([]store.Job, error) {
	list, err := s.store.ScheduledReminderJobs(c.Request.Context(), args.CampaignID, args.SchoolID)
	if err != nil {
		return nil, err
	}
	var out []store.Job
	for _, j := range list {
		p, err := jobs.Decode[jobs.SendReminders](j)
		if err == nil && (!exact || p.ClassID == args.ClassID && p.AlertID == args.AlertID) {
			out = append(out, j)
		}
	}
	return out, nil
}

// apiEstimate is a send's estimate in the API.
type apiEstimate struct {
	Provider     string            `json:"provider"`
	Families     int               `json:"families"`
	Texts        int               `json:"texts"`
	Segments     int               `json:"segments"`
	PriceFen     int64             `json:"price_fen"`
	CostFen      int64             `json:"cost_fen"`
	Sample       string            `json:"sample"`
	Limited      int               `json:"skipped_limit"`
	ProblemCount int               `json:"problem_count"`
	Problems     []apiTextProblem  `json:"problems"`
	Quiet        bool              `json:"quiet"`
	ResumeAt     string            `json:"resume_at"`
	Scheduled    []apiScheduledJob `json:"scheduled"`
}

type apiTextProblem struct {
	Student string `json:"student"`
	Class   string `json:"class"`
	Message string `json:"message"`
}

type apiScheduledJob struct {
	ID    int64  `json:"id"`
	RunAt string `json:"run_at"`
}

// sendEstimate answers a send's estimate (GET …/estimate).
func (s *Server) sendEstimate(c *gin.Context, t sendTarget) error {
	if !s.cfg.SMSSends() {
		return refuse(http.StatusConflict, "no_gateway", "reminders.no_gateway")
	}
	plan, err := s.texts().Plan(c.Request.Context(), t.request(s.cfg.SMSMaxPerGuardian))
	if err != nil {
		return err
	}
	scheduled, err := s.scheduledSends(c, t.Args, true)
	if err != nil {
		return err
	}
	e := plan.Estimate
	out := apiEstimate{Provider: s.cfg.SMSProvider, Families: e.Families, Texts: e.Texts, Segments: e.Segments, PriceFen: s.cfg.SMSPriceFen,
		CostFen: e.Fen, Sample: plan.Sample, Limited: plan.Limited, ProblemCount: plan.ProblemCount, Problems: []apiTextProblem{},
		Quiet: s.quiet(), ResumeAt: campaign.At(reminders.Resume(s.cfg.SMSQuietHours, s.now())).String(), Scheduled: []apiScheduledJob{}}
	for _, p := range plan.Problems {
		out.Problems = append(out.Problems, apiTextProblem{Student: p.Student, Class: p.Class, Message: p.Message})
	}
	for _, j := range scheduled {
		out.Scheduled = append(out.Scheduled, apiScheduledJob{ID: j.ID, RunAt: campaign.At(j.RunAt).String()})
	}
	c.JSON(http.StatusOK, out)
	return nil
}
