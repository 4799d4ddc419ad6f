package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"time"

	"jiashu/app/account"
	"jiashu/app/campaign"
	"jiashu/app/config"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/roster/rostertest"
	"jiashu/store"
)

// The demo (`app serve --demo`): a small district seeded into its own
// database (DATA_DIR/demo.db, never the configured one), so a newcomer
// sees the whole product in one command. The roster goes through the real
// import (importRoster), letters are issued in a campaign, and families
// acknowledge through every channel. Seeding is idempotent: a restart adds
// nothing twice, and only resets the demo accounts' passwords to the ones
// it prints.

// demoPassword is every demo account's password, printed at start.
const demoPassword = "jiashu-demo"

// demoStudentsPerClass and demoClasses: a class per grade 1–12, so every
// age group has letters.
const (
	demoStudentsPerClass = 30
	demoClasses          = 12
)

// demoSchool is one school of the demo district.
type demoSchool struct {
	name         string
	seed         uint64
	admin        string
	teacher      string
	teacherGrade int // the demo teacher has class 1 of this grade
	teacherName  string
	adminName    string
}

func demoSchools() []demoSchool {
	return []demoSchool{
		{name: "城东实验学校", seed: 11, admin: "east-admin", adminName: "城东学校管理员", teacher: "east-teacher", teacherName: "王老师", teacherGrade: 3},
		{name: "城西实验学校", seed: 12, admin: "west-admin", adminName: "城西学校管理员", teacher: "west-teacher", teacherName: "李老师", teacherGrade: 8},
	}
}

const (
	demoCenter       = "center"
	demoCampaignName = "反诈家书（演示活动）"
)

// demoDSN is the demo's own SQLite database in the data folder.
func demoDSN(cfg config.Config) string { return filepath.Join(cfg.DataDir, "demo.db") }

// seedDemo fills st with the demo district unless it is there already,
// and prints the demo accounts to w.
func seedDemo(ctx context.Context, st *store.Store, cfg config.Config, w io.Writer) error {
	ensure := func(username, display string, role store.Role, schoolID int64) (store.User, error) {
		return account.Ensure(ctx, st, account.New{Username: username, DisplayName: display, Role: role, SchoolID: schoolID}, demoPassword)
	}
	if _, err := ensure(demoCenter, "演示管理员", store.RoleDistrictAdmin, 0); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := seedDemoContent(ctx, st, ensure); err != nil {
		return err
	}
	eng, err := letters.NewDefaultEngine()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	var schoolIDs []int64
	for _, ds := range demoSchools() {
		sc, _, err := st.EnsureSchool(ctx, ds.name)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		schoolIDs = append(schoolIDs, sc.ID)
		classes, err := st.Classes(ctx, sc.ID)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if len(classes) == 0 {
			var buf bytes.Buffer
			if err := rostertest.Generate(&buf, demoStudentsPerClass*demoClasses, rostertest.PerClass(demoStudentsPerClass),
				rostertest.School(ds.name), rostertest.Seed(ds.seed)); err != nil {
				return fmt.Errorf("demo: roster: %w", err)
			}
			// The real import path, as a school administrator's upload takes;
			// rows the generator makes deliberately odd are left out.
			if _, err := campaign.ImportRoster(ctx, st, &buf, campaign.ImportRequest{SchoolID: sc.ID, ValidOnly: true,
				MaxBytes: int64(buf.Len()) + 1, Printable: eng.Printable}); err != nil {
				return fmt.Errorf("demo: import %s: %w", ds.name, err)
			}
		}
		if _, err := ensure(ds.admin, ds.adminName, store.RoleSchoolAdmin, sc.ID); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		t, err := ensure(ds.teacher, ds.teacherName, store.RoleTeacher, sc.ID)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		cl, err := st.ClassByGrade(ctx, sc.ID, ds.teacherGrade, 1)
		if err == nil {
			err = account.Assign(ctx, st, account.Actor{By: "demo"}, t, cl, true)
		}
		if err == nil {
			// The school records its teacher as the class's head teacher,
			// whatever the generated roster's title says: the name its
			// letters, parents' page and texts carry.
			_, err = campaign.SetHeadTeacher(ctx, st, cl.ID, ds.teacherName, 0)
		}
		if err != nil {
			return fmt.Errorf("demo: teacher's class: %w", err)
		}
	}
	_, err = st.CampaignByName(ctx, demoCampaignName)
	if errors.Is(err, store.ErrNotFound) {
		_, term := store.DefaultCampaignName(time.Now())
		tpl := map[string]string{}
		for _, g := range letters.AgeGroups() {
			tpl[g] = campaign.DefaultTemplate
		}
		var camp store.Campaign
		camp, err = st.CreateCampaign(ctx, store.Campaign{Name: demoCampaignName, Term: term,
			AckDeadline: time.Now().In(campaign.ChinaTime).AddDate(0, 0, 10).Format("2006-01-02"), QuizEnabled: true,
			SchoolIDs: schoolIDs, Templates: tpl})
		if err == nil {
			err = demoLettersAndAcks(ctx, st, camp)
		}
	}
	if err != nil {
		return fmt.Errorf("demo: campaign: %w", err)
	}
	printDemo(w, cfg)
	return nil
}

// demoLettersAndAcks issues every student's letter and has families
// acknowledge: each class at its own pace (some far behind, some nearly
// done) and through every channel, so the overview has something to show.
func demoLettersAndAcks(ctx context.Context, st *store.Store, camp store.Campaign) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	channels := []string{store.ChannelQR, store.ChannelQR, store.ChannelQR, store.ChannelSMS, store.ChannelTyped, store.ChannelPaper}
	relations := []string{"母亲", "父亲", "母亲", "祖父母"}
	now := time.Now().UTC()
	var acks []store.Ack
	var opens []store.LetterOpen
	for _, sid := range camp.SchoolIDs {
		classes, err := st.Classes(ctx, sid)
		if err != nil {
			return err
		}
		for ci, cl := range classes {
			students, err := st.Students(ctx, cl.ID)
			if err != nil {
				return err
			}
			ids := make([]int64, len(students))
			for i, s := range students {
				ids[i] = s.ID
			}
			ls, err := st.IssueLetters(ctx, camp.ID, ids)
			if err != nil {
				return err
			}
			// From about 15% to about 95% of families, by class.
			rate := 0.15 + 0.8*float64((ci*7+int(sid))%len(classes))/float64(len(classes)-1)
			for _, l := range ls {
				at := now.Add(-time.Duration(rng.IntN(72*60)) * time.Minute)
				switch r := rng.Float64(); {
				case r < rate:
					ch := channels[rng.IntN(len(channels))]
					rel := relations[rng.IntN(len(relations))]
					if ch == store.ChannelPaper {
						rel = ""
					} else {
						opens = append(opens, store.LetterOpen{LetterID: l.ID, First: at.Add(-3 * time.Minute), Last: at})
					}
					acks = append(acks, store.Ack{LetterID: l.ID, Channel: ch, Relation: rel, At: at})
				case r < rate+0.1:
					opens = append(opens, store.LetterOpen{LetterID: l.ID, First: at, Last: at})
				}
			}
		}
	}
	if err := st.RecordOpens(ctx, opens); err != nil {
		return err
	}
	_, err := st.AcknowledgeBatch(ctx, acks)
	return err
}

// printDemo tells the newcomer where to go and how to sign in.
func printDemo(w io.Writer, cfg config.Config) {
	fmt.Fprintf(w, "\n  演示模式（demo）：数据在 %s，与正式数据库分开。\n", demoDSN(cfg))
	fmt.Fprintf(w, "  打开 %s/login ，所有演示账号的密码都是  %s\n\n", cfg.BaseURL, demoPassword)
	fmt.Fprintf(w, "    %-14s %s\n", demoCenter, "教管中心：学校、宣传活动、总览")
	fmt.Fprintf(w, "    %-14s %s\n", demoReviewer, "审核员：有一份家书草稿等待审核")
	for _, ds := range demoSchools() {
		fmt.Fprintf(w, "    %-14s %s 学校管理员\n", ds.admin, ds.name)
		fmt.Fprintf(w, "    %-14s %s %s 班主任\n", ds.teacher, ds.name, grade.ClassName(ds.teacherGrade, 1))
	}
	fmt.Fprintln(w)
}
