package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"jiashu/app/config"
	"jiashu/sms/smstest"
)

// pushReport posts body to the delivery-report address with token and
// returns the status and the answer's body.
func pushReport(t *testing.T, base, token string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(base+"/sms/report/"+token, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestTencentsPushedReportsSettleTheTextsOnce: Tencent's status callback,
// pushed to the app's address, settles the class's texts (a number out of
// service shown with its Chinese reason); a push sent again changes
// nothing; a body that is no report, or over 1 MiB, is answered with the
// refusal Tencent expects (so it pushes again) and settles nothing; a
// client trying wrong tokens is refused after ten, even with the right
// one, until its minute is over; without a token set the address does not
// exist.
func TestTencentsPushedReportsSettleTheTextsOnce(t *testing.T) {
	t.Parallel()
	fake, set := providerSettings(t, "tencent")
	fake.SetOutcome("13700009999", smstest.Outcome{Receipt: "UNDELIV"})
	var logs lockedBuffer
	rg := newReminderRigWith(t, webDSNs(t)["sqlite"], 2, set, &logs)
	district := newBrowser(t, rg.ta.base)
	district.login("district")
	enterTemplate(t, district, "tencent")
	q := fmt.Sprintf("?campaign=%d", rg.camp)
	r := rg.ta.post(fmt.Sprintf("/classes/%d/reminders/send%s", rg.f.classA1, q), url.Values{})
	if ran, err := rg.runner(t).RunOnce(context.Background()); r.Status != http.StatusSeeOther || !ran || err != nil {
		t.Fatalf("send %d, ran %v, %v", r.Status, ran, err)
	}
	counts := func() (delivered, undelivered, awaiting int) {
		var j apiJob
		if err := json.Unmarshal([]byte(rg.ta.get("/api/v1"+r.Location).Body), &j); err != nil || j.Reminders == nil {
			t.Fatalf("job: %v", err)
		}
		return j.Reminders.Delivered, j.Reminders.Undelivered, j.Reminders.Awaiting
	}
	if d, u, a := counts(); d != 0 || u != 0 || a != 2 {
		t.Fatalf("before the push: %d delivered, %d undelivered, %d awaiting", d, u, a)
	}

	refusal := `{"result":1,"errmsg":"not taken"}`
	for name, body := range map[string][]byte{"no report": []byte(`{"not":"a list"}`),
		"over 1 MiB": append(append([]byte("["), bytes.Repeat([]byte(" "), 1<<20)...), ']')} {
		if status, answer := pushReport(t, rg.ta.base, callbackToken, body); status != http.StatusBadRequest || answer != refusal {
			t.Errorf("%s: %d %s", name, status, answer)
		}
	}
	for range 2 {
		if status, answer := pushReport(t, rg.ta.base, callbackToken, fake.CallbackBody()); status != http.StatusOK || answer != `{"result":0,"errmsg":"OK"}` {
			t.Fatalf("the push: %d %s", status, answer)
		}
	}
	if d, u, a := counts(); d != 1 || u != 1 || a != 0 {
		t.Fatalf("after the push: %d delivered, %d undelivered, %d awaiting", d, u, a)
	}
	slips := rg.ta.get(fmt.Sprintf("/classes/%d/slips%s", rg.f.classA1, q)).Body
	if !strings.Contains(slips, "号码空号或停机") || !strings.Contains(slips, `data-delivery="delivered"`) {
		t.Errorf("the class's texts: %.3000s", slips)
	}
	if !strings.Contains(logs.String(), "UNDELIV") {
		t.Errorf("the log lacks the carrier's code: %.3000s", logs.String())
	}

	for i := range 10 {
		if status, _ := pushReport(t, rg.ta.base, fmt.Sprintf("wrong-token-%016d", i), fake.CallbackBody()); status != http.StatusNotFound {
			t.Fatalf("wrong token %d: %d", i, status)
		}
	}
	if status, _ := pushReport(t, rg.ta.base, callbackToken, fake.CallbackBody()); status != http.StatusTooManyRequests {
		t.Fatalf("the eleventh try: %d", status)
	}
	rg.setClock(rg.clock.Add(61 * time.Second))
	if status, _ := pushReport(t, rg.ta.base, callbackToken, fake.CallbackBody()); status != http.StatusOK {
		t.Fatalf("a minute later: %d", status)
	}
	if strings.Contains(logs.String(), callbackToken) || strings.Contains(logs.String(), tcSecret) {
		t.Error("the log holds the token or the secret")
	}

	_, unset := providerSettings(t, "tencent")
	plain := newReminderRigWith(t, webDSNs(t)["sqlite"], 2, func(c *config.Config) { unset(c); c.SMSCallbackToken = "" }, nil)
	if status, _ := pushReport(t, plain.ta.base, callbackToken, fake.CallbackBody()); status != http.StatusNotFound {
		t.Fatalf("without a token set: %d", status)
	}
}
