package jobs

import (
	"archive/zip"
	"context"
	"log/slog"
	"path"
	"time"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/store"
)

// Letters makes the letters jobs: a school's ZIP of class PDFs, and a
// campaign's ZIP of all its schools.
type Letters struct {
	Store  *store.Store
	Engine *letters.Engine
	Build  campaign.Letters
	Log    *slog.Logger
	Now    func() time.Time
}

// Register adds the letters workers to r.
func (l *Letters) Register(r *Runner) {
	AddWorker(r, WorkFunc[SchoolLetters](l.schoolLetters))
	AddWorker(r, WorkFunc[CampaignLetters](l.campaignLetters))
}

// schoolLetters writes the school's letters as a ZIP with a PDF per class.
func (l *Letters) schoolLetters(ctx context.Context, j *Task, args SchoolLetters) (string, error) {
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
	gaps, err := l.gaps(ctx, camp, school)
	if err != nil {
		return "", err
	}
	j.Progress(0, len(batch))
	stats, err := l.Engine.WriteSchoolZip(j, batch, letters.BatchOptions{
		Options:  letters.Options{Duplex: args.Duplex},
		Progress: j.Progress,
	})
	if err != nil {
		return "", err
	}
	if err := l.finish(ctx, j, len(batch), stats, gaps); err != nil {
		return "", err
	}
	return campaign.FileSafe(school.Name+"-"+camp.Name) + ".zip", nil
}

// campaignLetters writes the letters of every participating school into
// one ZIP: a folder per school, a PDF per class.
func (l *Letters) campaignLetters(ctx context.Context, j *Task, args CampaignLetters) (string, error) {
	camp, err := l.Store.Campaign(ctx, j.CampaignID)
	if err != nil {
		return "", err
	}
	var batch []letters.ClassLetters
	var folders []string // school folder of each class of batch
	var gaps []SchoolGaps
	for _, id := range camp.SchoolIDs {
		school, err := l.Store.School(ctx, id)
		if err != nil {
			return "", err
		}
		b, err := l.Build.ForSchool(ctx, l.Now(), camp.ID, school)
		if err != nil {
			return "", err
		}
		if len(b) > 0 {
			g, err := l.gaps(ctx, camp, school)
			if err != nil {
				return "", err
			}
			gaps = append(gaps, g...)
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
		Options:  letters.Options{Duplex: args.Duplex},
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
	if err := l.finish(ctx, j, len(batch), stats, gaps); err != nil {
		return "", err
	}
	return campaign.FileSafe(camp.Name) + "-全部学校.zip", nil
}

// gaps are the school's details its letters use and it lacks, as the
// outcome tells them.
func (l *Letters) gaps(ctx context.Context, camp store.Campaign, school store.School) ([]SchoolGaps, error) {
	g, err := l.Build.Gaps(ctx, camp, school)
	return NewSchoolGaps(school.Name, g), err
}

// finish logs what the letters need and records it as the job's outcome,
// for its page: the letters to check, every name printed cut and the
// schools' missing details.
func (l *Letters) finish(ctx context.Context, j *Task, classes int, stats letters.Stats, gaps []SchoolGaps) error {
	for _, a := range stats.Attention {
		l.Log.Warn("letter needs attention", "job", j.ID, "class", a.ClassName, "ref", a.Ref, "field", a.Field, "message", a.Message)
	}
	l.Log.Info("letters written", "job", j.ID, "classes", classes, "letters", stats.Letters, "large_print", stats.LargePrint, "attention", len(stats.Attention))
	for _, g := range gaps {
		l.Log.Info("letters print fallbacks for missing school details", "job", j.ID, "school", g.School, "details", g.Details)
	}
	return j.Report(ctx, classes, classes, NewLettersOutcome(stats, gaps))
}
