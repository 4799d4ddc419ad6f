package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// cmdLesson: app lesson --school NAME [--class NAME] [--campaign NAME] --out DIR
// writes the class-meeting kit (主题班会: lesson sheet and slides) of every
// age group of the school's classes, or of one class (named, with the day
// of its meeting when recorded), into DIR.
func cmdLesson(ctx context.Context, e *env, args []string) int {
	var cfg config.Config
	fs := flag.NewFlagSet("lesson", flag.ContinueOnError)
	schoolName := fs.String("school", "", "school name")
	className := fs.String("class", "", "only this class's kit, e.g. 三年级2班")
	campaignName := fs.String("campaign", "", "campaign whose kit to write (default: the school's current one)")
	out := fs.String("out", "", "folder for the PDFs")
	if !parseFlags(e, fs, args, &cfg) {
		return exitUnusable
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "app lesson: "+format+"\n", a...)
		return exitUnusable
	}
	if *schoolName == "" || *out == "" || fs.NArg() != 0 {
		return fail("usage: app lesson --school NAME [--class NAME] [--campaign NAME] --out DIR")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	job, err := loadLetterJob(ctx, st, *schoolName, *className, *campaignName)
	if err != nil {
		return fail("%v", err)
	}
	kits, err := lessonKits(ctx, st, cfg.AgeGroups, job, *className != "")
	if err != nil {
		return fail("%v", err)
	}
	if len(kits) == 0 {
		return fail("%s 的班级不属于任何年龄段，没有班会教案", job.school.Name)
	}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return fail("%v", err)
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fail("%v", err)
	}
	var names []string
	for _, k := range kits {
		for _, slides := range []bool{false, true} {
			var buf bytes.Buffer
			if err := campaign.WriteLesson(&buf, eng, job.campaign, k.ageGroup, slides, k.opt); err != nil {
				return fail("%v", err)
			}
			name := campaign.LessonFile(k.prefix, slides)
			if err := os.WriteFile(filepath.Join(*out, name), buf.Bytes(), 0o600); err != nil {
				return fail("%v", err)
			}
			names = append(names, name)
		}
	}
	if err := st.Audit(ctx, 0, "lesson_cli", fmt.Sprintf("school %d %s, campaign %d, %d files to %s", job.school.ID, job.school.Name, job.campaign.ID, len(names), *out)); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(e.stdout, "%s · %s：%d 份班会教案与课件，已写入 %s\n  %s\n", job.school.Name, job.campaign.Name, len(names), *out, strings.Join(names, "\n  "))
	return exitOK
}

// lessonKit is one kit to write: an age group, how it is personalised and
// the files' name prefix.
type lessonKit struct {
	ageGroup string
	opt      letters.LessonOptions
	prefix   string
}

// lessonKits lists the kits of job: the one class's (named, with its
// meeting's day) or one per age group of the school's classes.
func lessonKits(ctx context.Context, st *store.Store, m grade.Mapping, job letterJob, oneClass bool) ([]lessonKit, error) {
	if oneClass {
		cl := job.classes[0]
		ag := string(m.Of(cl.Grade))
		if ag == "" {
			return nil, nil
		}
		held, _, err := st.ClassMeetingOf(ctx, job.campaign.ID, cl.ID)
		if err != nil {
			return nil, err
		}
		opt := letters.LessonOptions{School: job.school.Name, Class: cl.Name, Date: campaign.ChinaDay(held.HeldOn)}
		return []lessonKit{{ag, opt, cl.Name}}, nil
	}
	var kits []lessonKit
	for _, ag := range campaign.AgeGroupsOf(m, job.classes) {
		kits = append(kits, lessonKit{ag, letters.LessonOptions{School: job.school.Name}, grade.AgeGroup(ag).Label()})
	}
	return kits, nil
}
