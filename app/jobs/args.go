package jobs

import (
	"encoding/json"
	"errors"
	"fmt"

	"jiashu/store"
)

// A job's parameters are typed, in the manner of river's JobArgs: each kind
// of job has its Args type, stored as JSON in the job's params by NewJob and
// decoded once by the runner before its worker sees them (AddWorker).

// Args are the parameters of one kind of job.
type Args interface {
	// Kind is the job's kind (store.JobSchoolLetters …).
	Kind() string
}

// SchoolLetters are the parameters of a school's letters job.
type SchoolLetters struct {
	Duplex bool `json:"duplex"` // every letter starts on an odd page (two-sided printing)
}

// Kind is store.JobSchoolLetters.
func (SchoolLetters) Kind() string { return store.JobSchoolLetters }

// CampaignLetters are the parameters of a campaign's letters job (every
// school's letters in one ZIP).
type CampaignLetters struct {
	Duplex bool `json:"duplex"`
}

// Kind is store.JobCampaignLetters.
func (CampaignLetters) Kind() string { return store.JobCampaignLetters }

// SendReminders say what a reminders job covers.
type SendReminders struct {
	CampaignID int64  `json:"campaign_id"`
	SchoolID   int64  `json:"school_id,omitempty"`
	ClassID    int64  `json:"class_id,omitempty"`
	Label      string `json:"label"` // "class 12", for the audit log
	// RetryOf: send only to the guardians whose texts failed in that job
	// (the job page's "retry the failed ones").
	RetryOf int64 `json:"retry_of,omitempty"`
	// AlertID: send this new-scam alert's text to every family of the
	// campaign instead of the reminder to those who have not acknowledged.
	AlertID int64 `json:"alert_id,omitempty"`
}

// Kind is store.JobReminders.
func (SendReminders) Kind() string { return store.JobReminders }

// ErrParams: a job's stored parameters do not decode into its kind's Args
// (whatever the kind); the job fails, nothing is done.
var ErrParams = errors.New("jobs: malformed job parameters")

// NewJob is job j of args' kind with args as its parameters, for
// store.CreateJob.
func NewJob(args Args, j store.Job) store.Job {
	b, err := json.Marshal(args)
	if err != nil {
		panic(err) // Args are plain structs: they always encode
	}
	j.Kind, j.Params = args.Kind(), string(b)
	return j
}

// Decode reads j's parameters as A: ErrParams (wrapped) when j is of
// another kind or they do not decode. A job stored without parameters has
// A's zero value (its defaults).
func Decode[A Args](j store.Job) (A, error) {
	var a A
	if j.Kind != a.Kind() {
		return a, fmt.Errorf("job %d of kind %q, not %q: %w", j.ID, j.Kind, a.Kind(), ErrParams)
	}
	if j.Params == "" {
		return a, nil
	}
	if err := json.Unmarshal([]byte(j.Params), &a); err != nil {
		return a, fmt.Errorf("job %d: %w: %v", j.ID, ErrParams, err)
	}
	return a, nil
}
