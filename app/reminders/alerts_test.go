package reminders

import (
	"context"
	"strings"
	"testing"
	"time"

	"jiashu/app/campaign"
	"jiashu/letters"
	"jiashu/problem"
	"jiashu/store"
	"jiashu/store/storetest"
)

// fakeTeacher is the fake-teacher method's alert: its name, 手法 and 防范,
// the 防范 naming the class's head teacher with a fallback for a class
// without one (as the default library has it).
const (
	alertTitle = "冒充老师在班级群收费"
	alertBody  = "混进班级群，清晨发“资料费”收款码。\n收费通知先当面向班主任{班主任}核实。 || 收费通知先当面向班主任核实。"
)

func TestFillAlertFillsEachParagraphAsTheLetterWould(t *testing.T) {
	t.Parallel()
	with := letters.Letter{StudentName: "王*明", ClassName: "三年级1班", SchoolName: "实验小学", HeadTeacher: "王老师"}
	title, paras, err := FillAlert(alertTitle, alertBody, with)
	if err != nil || title != alertTitle || len(paras) != 2 || paras[1] != "收费通知先当面向班主任王老师核实。" {
		t.Fatalf("%q %q %v", title, paras, err)
	}
	without := with
	without.HeadTeacher = ""
	if _, paras, err := FillAlert(alertTitle, alertBody, without); err != nil || paras[1] != "收费通知先当面向班主任核实。" {
		t.Errorf("a class without a head teacher reads %q %v, want the fallback", paras, err)
	}
	if _, _, err := FillAlert(alertTitle, "先向班主任{班主任}核实。", without); err == nil {
		t.Error("a text this family cannot fill was filled")
	}
}

func TestCheckAlertRefusesWhatSomeClassCannotFill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, storetest.DSNs(t)["sqlite"])
	f := storetest.Seed(t, st, 2, 1)
	now := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	if err := CheckAlert(ctx, st, alertTitle, alertBody, []int64{f.CampaignID}, now); err != nil {
		t.Fatalf("every class has a head teacher: %v", err)
	}
	if _, err := campaign.SetHeadTeacher(ctx, st, f.ClassID, "", 0); err != nil {
		t.Fatal(err)
	}
	if err := CheckAlert(ctx, st, alertTitle, alertBody, []int64{f.CampaignID}, now); err != nil {
		t.Errorf("the fallback covers a class without one: %v", err)
	}
	err := CheckAlert(ctx, st, alertTitle, "收费通知先当面向班主任{班主任}核实。", []int64{f.CampaignID}, now)
	p := problem.As(err)
	if p == nil || p.Code != problem.Invalid || !strings.Contains(p.Message, "三年级1班（{班主任}）") || strings.Contains(p.Message, "三年级2班") {
		t.Errorf("refusal %v: want it to name 三年级1班 and what it lacks, not 三年级2班", err)
	}
	if err := CheckAlert(ctx, st, alertTitle, alertBody, []int64{9999}, now); err == nil {
		t.Error("an unknown campaign was checked")
	}
}

// TestAlertTextsNeverCarryAPlaceholder: each family's alert text fills the
// method's name for them, and leaves it out where it cannot be filled.
func TestAlertTextsNeverCarryAPlaceholder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, storetest.DSNs(t)["sqlite"])
	f := storetest.Seed(t, st, 2, 2)
	if _, err := campaign.SetHeadTeacher(ctx, st, f.ClassID, "", 0); err != nil {
		t.Fatal(err)
	}
	r := lists(t, "https://jiashu.example.cn")
	r.Store = st
	for _, title := range []string{"{班主任}提醒：冒充老师收费", "冒充老师收费"} {
		list, err := r.AlertList(ctx, store.Alert{Title: title, Body: alertBody}, store.ReminderScope{CampaignID: f.CampaignID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 4 {
			t.Fatalf("%d texts, want one per family", len(list))
		}
		for _, m := range list {
			if strings.ContainsAny(m.Message, "{}") || SMSLength(m.Message) > SMSSegment {
				t.Errorf("%s: %q", m.ClassName, m.Message)
			}
			if title == "冒充老师收费" && !strings.Contains(m.Message, "冒充老师收费") {
				t.Errorf("%s: the title is left out of %q", m.ClassName, m.Message)
			}
			if strings.HasPrefix(title, "{") && m.ClassName == "三年级2班" && !strings.Contains(m.Message, "李老师提醒") {
				t.Errorf("三年级2班's text %q does not name its head teacher", m.Message)
			}
		}
	}
}
