package jobs

import (
	"archive/zip"
	"context"
	"encoding/json"
	"log/slog"
	"path"
	"time"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/store"
)

// LettersParams are the options of a letters job, stored as the job's params.
type LettersParams struct {
	Duplex bool `json:"duplex"` // every letter starts on an odd page (two-sided printing)
}

// JSON is the params as stored.
func (p LettersParams) JSON() string {
	b, _ := json.Marshal(p)
	return string(b)
}

// ParseLettersParams reads a letters job's params.
func ParseLettersParams(s string) LettersParams {
	var p LettersParams
	json.Unmarshal([]byte(s), &p) // a malformed value means the defaults
	return p
}

// LettersOutcome is what a letters job tells the people who started it:
// how many letters, how many of them in large print, and the letters a
// teacher must check or finish by hand.
type LettersOutcome struct {
	Letters    int `json:"letters"`
	LargePrint int `json:"large_print"`
	// Attention lists the first maxAttention entries; AttentionTotal counts all.
	Attention      []AttentionEntry `json:"attention,omitempty"`
	AttentionTotal int              `json:"attention_total"`
}

// AttentionEntry is one letter to check: its class, student number and
// name, and what to do, in Chinese.
type AttentionEntry struct {
	Class   string `json:"class"`
	Ref     string `json:"ref"`
	Student string `json:"student"`
	Message string `json:"message"`
}

// maxAttention bounds the entries a job keeps: a district's run with a
// broken name column must not store a megabyte of warnings.
const maxAttention = 200

// NewLettersOutcome summarises the engine's stats.
func NewLettersOutcome(st letters.Stats) LettersOutcome {
	o := LettersOutcome{Letters: st.Letters, LargePrint: st.LargePrint, AttentionTotal: len(st.Attention)}
	for _, a := range st.Attention[:min(len(st.Attention), maxAttention)] {
		o.Attention = append(o.Attention, AttentionEntry{Class: a.ClassName, Ref: a.Ref, Student: campaign.Clip(a.StudentName, 30), Message: a.Message})
	}
	return o
}

// JSON is the outcome as stored.
func (o LettersOutcome) JSON() string {
	b, _ := json.Marshal(o)
	return string(b)
}

// ParseLettersOutcome reads a letters job's outcome; ok is false before
// the job has finished (or for a job finished before outcomes were kept).
func ParseLettersOutcome(s string) (o LettersOutcome, ok bool) {
	return o, s != "" && json.Unmarshal([]byte(s), &o) == nil
}

// Letters makes the letters jobs: a school's ZIP of class PDFs, and a
// campaign's ZIP of all its schools.
type Letters struct {
	Store  *store.Store
	Engine *letters.Engine
	Build  campaign.Letters
	Log    *slog.Logger
	Now    func() time.Time
}

// Register adds the letters handlers to r.
func (l *Letters) Register(r *Runner) {
	r.Handle(store.JobSchoolLetters, l.schoolLetters)
	r.Handle(store.JobCampaignLetters, l.campaignLetters)
}

// schoolLetters writes the school's letters as a ZIP with a PDF per class.
func (l *Letters) schoolLetters(ctx context.Context, j *Task) (string, error) {
	school, err := l.Store.School(ctx, j.SchoolID)
	if err != nil {
		return "", err
	}
	camp, err := l.Store.Campaign(ctx, j.CampaignID)
	if err != nil {
		return "", err
	}
	batch, err := l.Build.ForSchool(ctx, l.Now(), camp.ID, school)
	if err != nil {
		return "", err
	}
	if len(batch) == 0 {
		return "", refused("本校还没有在读学生的名单。请先导入名册，再生成家书。")
	}
	j.Progress(0, len(batch))
	stats, err := l.Engine.WriteSchoolZip(j, batch, letters.BatchOptions{
		Options:  letters.Options{Duplex: ParseLettersParams(j.Params).Duplex},
		Progress: j.Progress,
	})
	if err != nil {
		return "", err
	}
	if err := l.finish(ctx, j, len(batch), stats); err != nil {
		return "", err
	}
	return campaign.FileSafe(school.Name+"-"+camp.Name) + ".zip", nil
}

// campaignLetters writes the letters of every participating school into
// one ZIP: a folder per school, a PDF per class.
func (l *Letters) campaignLetters(ctx context.Context, j *Task) (string, error) {
	camp, err := l.Store.Campaign(ctx, j.CampaignID)
	if err != nil {
		return "", err
	}
	var batch []letters.ClassLetters
	var folders []string // school folder of each class of batch
	for _, id := range camp.SchoolIDs {
		school, err := l.Store.School(ctx, id)
		if err != nil {
			return "", err
		}
		b, err := l.Build.ForSchool(ctx, l.Now(), camp.ID, school)
		if err != nil {
			return "", err
		}
		batch = append(batch, b...)
		for range b {
			folders = append(folders, campaign.FileSafe(school.Name))
		}
	}
	if len(batch) == 0 {
		return "", refused("参加本次活动的学校还没有在读学生的名单。请各校先导入名册。")
	}
	j.Progress(0, len(batch))
	zw := zip.NewWriter(j)
	i := 0
	date := l.Now()
	stats, err := l.Engine.WriteClasses(batch, letters.BatchOptions{
		Options:  letters.Options{Duplex: ParseLettersParams(j.Params).Duplex},
		Progress: j.Progress,
	}, func(_ string, pdf []byte) error {
		// Named by the class within its school's folder: the engine's names
		// are unique over the whole batch, so two schools' 高一1班 would
		// become 高一1班（2）. PDF streams are compressed already: stored as
		// they are.
		name := path.Join(folders[i], campaign.FileSafe(batch[i].ClassName)+".pdf")
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: date})
		i++
		if err != nil {
			return err
		}
		_, err = f.Write(pdf)
		return err
	})
	if err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	if err := l.finish(ctx, j, len(batch), stats); err != nil {
		return "", err
	}
	return campaign.FileSafe(camp.Name) + "-全部学校.zip", nil
}

// finish logs what the letters need and records it as the job's outcome,
// for its page.
func (l *Letters) finish(ctx context.Context, j *Task, classes int, stats letters.Stats) error {
	for _, a := range stats.Attention {
		l.Log.Warn("letter needs attention", "job", j.ID, "class", a.ClassName, "ref", a.Ref, "field", a.Field, "message", a.Message)
	}
	l.Log.Info("letters written", "job", j.ID, "classes", classes, "letters", stats.Letters, "large_print", stats.LargePrint, "attention", len(stats.Attention))
	return j.Outcome(ctx, classes, classes, NewLettersOutcome(stats).JSON())
}
