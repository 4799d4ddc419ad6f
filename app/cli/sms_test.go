package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"jiashu/store"
)

func TestSMSTemplateCommandChecksSavesAndShowsAFamilysText(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "sms.db")
	env := aliyunEnv(map[string]string{"JIASHU_DB": db, "JIASHU_BASE_URL": "https://jiashu.example.cn"})
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(context.Background(), append([]string{"sms", "template"}, args...), func(k string) string { return env[k] }, &out, &errb)
		return code, out.String(), errb.String()
	}
	t.Run("a template the provider would refuse is refused with the reason, exit 1", func(t *testing.T) {
		code, _, stderr := run("--kind", "reminder", "--text", "${school}【通知】家长信 https://jiashu.example.cn/a/${link}")
		if code != exitProblems || !strings.Contains(stderr, "模板内容不能含【】") {
			t.Fatalf("%d %s", code, stderr)
		}
	})
	t.Run("a template under another code than the settings' is refused", func(t *testing.T) {
		code, _, stderr := run("--kind", "reminder", "--code", "SMS_9", "--text", "${school}：请确认家长信 https://jiashu.example.cn/a/${link}")
		if code != exitProblems || !strings.Contains(stderr, "SMS_1") {
			t.Fatalf("%d %s", code, stderr)
		}
	})
	t.Run("a template that fits is saved, audited, and a family's text printed", func(t *testing.T) {
		code, stdout, stderr := run("--kind", "reminder", "--text", "${school}${teacher}：${student}的家长，学校的防诈骗家书请您确认，免填免费：https://jiashu.example.cn/a/${link}")
		if code != exitOK || !strings.Contains(stdout, "已保存 reminder 模板 SMS_1") ||
			!strings.Contains(stdout, "【城东实验学校】城东实验学校王老师：王*明的家长") || !strings.Contains(stdout, "计费 2 条") {
			t.Fatalf("%d %s %s", code, stdout, stderr)
		}
		st, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		log, _ := st.AuditLog(context.Background(), 5)
		if len(log) == 0 || log[0].Action != "sms_template_saved" {
			t.Fatalf("%+v", log)
		}
	})
	t.Run("without --text it shows the template entered", func(t *testing.T) {
		code, stdout, _ := run("--kind", "reminder")
		if code != exitOK || !strings.Contains(stdout, "家长将收到") || strings.Contains(stdout, "已保存") {
			t.Fatalf("%d %s", code, stdout)
		}
	})
	t.Run("alerts without a code in the settings are refused, naming the setting", func(t *testing.T) {
		code, _, stderr := run("--kind", "alert", "--text", "${school}新骗局提醒：${title}，详情 https://jiashu.example.cn/a/${link}")
		if code != exitProblems || !strings.Contains(stderr, "--sms-template-alert") {
			t.Fatalf("%d %s", code, stderr)
		}
	})
}
