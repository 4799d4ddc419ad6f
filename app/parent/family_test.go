package parent

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"jiashu/store"
)

// pageOf is the letter page of token, or the test fails.
func (f *fixture) pageOf(t *testing.T, token string) string {
	t.Helper()
	rec := f.do(t, "GET", "/a/"+token, nil, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	return rec.Body.String()
}

// classOf is the class of the fixture's first letter.
func (f *fixture) classOf(t *testing.T) int64 {
	t.Helper()
	l, err := f.st.ParentLetterByToken(context.Background(), f.tokens[0])
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.st.Student(context.Background(), l.StudentID)
	if err != nil {
		t.Fatal(err)
	}
	return st.ClassID
}

// TestTheParentPageShowsNoWriteInBlank: a parent cannot write on a screen,
// so where the paper letter leaves ＿＿＿（请记下） for a detail the school
// has not filled in, the page says 请向班主任询问; once filled in, the
// detail itself.
func TestTheParentPageShowsNoWriteInBlank(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	body := f.pageOf(t, f.tokens[0])
	if strings.Contains(body, "＿") || strings.Contains(body, "请记下") || !strings.Contains(body, "学校电话：请向班主任询问") {
		t.Errorf("the page shows a write-in blank or no fallback:\n%s", body)
	}
	l, _ := f.st.ParentLetterByToken(context.Background(), f.tokens[0])
	sc, err := f.st.SchoolByName(context.Background(), l.SchoolName)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetSchoolDetails(context.Background(), store.SchoolDetails{SchoolID: sc.ID, Phone: "023-12345678",
		PoliceStation: "龙溪派出所", PolicePhone: "023-67821110"}, 0); err != nil {
		t.Fatal(err)
	}
	body = f.pageOf(t, f.tokens[0])
	for _, want := range []string{"学校电话：023-12345678", "派出所：龙溪派出所，电话023-67821110"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q once the school filled it in", want)
		}
	}
	if strings.Contains(body, "＿") || strings.Contains(body, "请向班主任询问") {
		t.Error("a fallback is left beside the school's details")
	}
}

// TestTheParentPageSignsWithTheClassHeadTeacher: the page carries the name
// the class records, changed on the class page, and no line naming a head
// teacher when there is none.
func TestTheParentPageSignsWithTheClassHeadTeacher(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	ctx := context.Background()
	classID := f.classOf(t)
	if _, err := f.st.SetHeadTeacher(ctx, classID, "王老师", 0); err != nil {
		t.Fatal(err)
	}
	body := f.pageOf(t, f.tokens[0])
	if !strings.Contains(body, `<p class="sig">三年级1班班主任 王老师</p>`) || strings.Contains(body, "李老师") {
		t.Errorf("the page does not sign with the recorded head teacher 王老师")
	}
	if _, err := f.st.SetHeadTeacher(ctx, classID, "", 0); err != nil {
		t.Fatal(err)
	}
	if body := f.pageOf(t, f.tokens[1]); strings.Contains(body, "三年级1班班主任") {
		t.Error("a class without a head teacher still has a line naming one")
	}
}

// TestTheParentPageOpensWithTheCampaignLine: the campaign's opening line
// comes first, after the salutation.
func TestTheParentPageOpensWithTheCampaignLine(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	ctx := context.Background()
	l, _ := f.st.ParentLetterByToken(ctx, f.tokens[0])
	if _, err := f.st.SetCampaignOpening(ctx, l.CampaignID, "寒假", "寒假将至，{学校}提醒您留心。", 0, 0); err != nil {
		t.Fatal(err)
	}
	body := f.pageOf(t, f.tokens[0])
	want := `<p class="sal">尊敬的王*明同学家长：</p>` + "\n" + `<p class="para">寒假将至，阳光实验小学提醒您留心。</p>`
	if !strings.Contains(body, want) {
		t.Errorf("the opening does not follow the salutation:\n%s", body)
	}
}

// TestAlertsAreFilledForEachFamily: a new-scam alert naming the head
// teacher reads, for each family, as their letter would — never a {…}.
func TestAlertsAreFilledForEachFamily(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "")
	ctx := context.Background()
	l, _ := f.st.ParentLetterByToken(ctx, f.tokens[0])
	v, err := f.st.LatestApprovedContent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The seeded campaign's deadline may have passed on this machine's
	// clock; an alert is only for a running campaign.
	if _, err := f.st.DB().Exec(f.st.Rebind(`UPDATE campaigns SET ack_deadline = '2099-12-01' WHERE id = ?`), l.CampaignID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.CreateAlert(ctx, store.Alert{ContentVersionID: v.ID, MethodID: "fake-teacher", Title: "冒充老师在班级群收费",
		Body:      "混进班级群发收款码。\n收费通知先向班主任{班主任}核实。 || 收费通知先向班主任核实。",
		Campaigns: []store.AlertCampaign{{ID: l.CampaignID}}}); err != nil {
		t.Fatal(err)
	}
	f.site.ForgetAlerts()
	body := f.pageOf(t, f.tokens[0])
	if !strings.Contains(body, "收费通知先向班主任李老师核实。") || strings.Contains(body, "{班主任}") || strings.Contains(body, "||") {
		t.Errorf("the alert is not filled for the family:\n%s", body)
	}
	if _, err := f.st.SetHeadTeacher(ctx, f.classOf(t), "", 0); err != nil {
		t.Fatal(err)
	}
	if body := f.pageOf(t, f.tokens[1]); !strings.Contains(body, "收费通知先向班主任核实。") || strings.ContainsAny(body, "{}") {
		t.Errorf("a class without a head teacher does not read the fallback")
	}
}
