package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"jiashu/letters"
	"jiashu/store"
)

// jobParams are the options of a letters job, stored as the job's params.
type jobParams struct {
	Duplex bool `json:"duplex"` // every letter starts on an odd page (two-sided printing)
}

func (p jobParams) JSON() string {
	b, _ := json.Marshal(p)
	return string(b)
}

func parseJobParams(s string) jobParams {
	var p jobParams
	json.Unmarshal([]byte(s), &p) // a malformed value means the defaults
	return p
}

// schoolBatch issues the letters of every active student of school in the
// campaign and returns them per class (classes without students are left
// out).
func (r *jobRunner) schoolBatch(ctx context.Context, camp store.Campaign, school store.School) ([]letters.ClassLetters, error) {
	classes, err := r.st.Classes(ctx, school.ID)
	if err != nil {
		return nil, err
	}
	now := r.now()
	var batch []letters.ClassLetters
	for _, cl := range classes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		students, err := r.st.Students(ctx, cl.ID)
		if err != nil {
			return nil, err
		}
		if len(students) == 0 {
			continue
		}
		ls, err := letterInputs(ctx, r.st, r.cfg, now, camp, school, cl, students)
		if err != nil {
			return nil, err
		}
		batch = append(batch, letters.ClassLetters{ClassName: cl.Name, Letters: ls})
	}
	return batch, nil
}

// schoolLetters writes the school's letters as a ZIP with a PDF per class.
func (r *jobRunner) schoolLetters(ctx context.Context, j store.Job, w *chunkWriter) (string, error) {
	school, err := r.st.School(ctx, j.SchoolID)
	if err != nil {
		return "", err
	}
	camp, err := r.st.Campaign(ctx, j.CampaignID)
	if err != nil {
		return "", err
	}
	batch, err := r.schoolBatch(ctx, camp, school)
	if err != nil {
		return "", err
	}
	if len(batch) == 0 {
		return "", problemError{"本校还没有在读学生的名单。请先导入名册，再生成家书。"}
	}
	progress := r.progress(ctx, j, w)
	progress(0, len(batch))
	stats, err := r.eng.WriteSchoolZip(w, batch, letters.BatchOptions{
		Options:  letters.Options{Duplex: parseJobParams(j.Params).Duplex},
		Progress: progress,
	})
	if err != nil {
		return "", err
	}
	r.logAttention(j, stats)
	return fileSafe(school.Name+"-"+camp.Name) + ".zip", nil
}

// campaignLetters writes the letters of every participating school into
// one ZIP: a folder per school, a PDF per class.
func (r *jobRunner) campaignLetters(ctx context.Context, j store.Job, w *chunkWriter) (string, error) {
	camp, err := r.st.Campaign(ctx, j.CampaignID)
	if err != nil {
		return "", err
	}
	var batch []letters.ClassLetters
	var folders []string // school folder of each class of batch
	for _, id := range camp.SchoolIDs {
		school, err := r.st.School(ctx, id)
		if err != nil {
			return "", err
		}
		b, err := r.schoolBatch(ctx, camp, school)
		if err != nil {
			return "", err
		}
		batch = append(batch, b...)
		for range b {
			folders = append(folders, fileSafe(school.Name))
		}
	}
	if len(batch) == 0 {
		return "", problemError{"参加本次活动的学校还没有在读学生的名单。请各校先导入名册。"}
	}
	progress := r.progress(ctx, j, w)
	progress(0, len(batch))
	zw := zip.NewWriter(w)
	i := 0
	date := r.now()
	stats, err := r.eng.WriteClasses(batch, letters.BatchOptions{
		Options:  letters.Options{Duplex: parseJobParams(j.Params).Duplex},
		Progress: progress,
	}, func(_ string, pdf []byte) error {
		// Named by the class within its school's folder: the engine's names
		// are unique over the whole batch, so two schools' 高一1班 would
		// become 高一1班（2）. PDF streams are compressed already: stored as
		// they are.
		name := path.Join(folders[i], fileSafe(batch[i].ClassName)+".pdf")
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
	r.logAttention(j, stats)
	return fileSafe(camp.Name) + "-全部学校.zip", nil
}

func (r *jobRunner) logAttention(j store.Job, stats letters.Stats) {
	for _, a := range stats.Attention {
		r.log.Warn("letter needs attention", "job", j.ID, "attention", fmt.Sprintf("%+v", a))
	}
}

// fileSafe keeps a name usable as a file or folder name on every system.
func fileSafe(name string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 32 {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
}
