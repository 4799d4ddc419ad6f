package campaign

import (
	"encoding/json"
	"testing"
	"time"
)

func TestMaskPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"13800001234": "138****1234", "": "", "12345": "*2345", "123": "***"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChildNameMasking(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"王小明", "王*明"}, {"李华", "李*"}, {"欧阳小明", "欧**明"}, {"买买提·艾力", "买**·*力"}, {"张", "张"}, {"", ""},
	} {
		if got := MaskChildName(c.in); got != c.want {
			t.Errorf("MaskChildName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestATermFollowsTheSeasonItsCampaignIsNamedFor(t *testing.T) {
	t.Parallel()
	dec := time.Date(2026, 12, 7, 10, 0, 0, 0, ChinaTime)
	for _, tc := range []struct {
		name string
		now  time.Time
		want string
	}{
		{"冬季反诈提醒", dec, "2026年冬季"},
		{"寒假前防诈", dec, "2027年寒假"},
		{"2027寒假前防诈", dec, "2027年寒假"},
		{"暑假前防诈", time.Date(2027, 5, 1, 0, 0, 0, 0, ChinaTime), "2027年暑假"},
		{"春季开学防诈", dec, "2027年春季学期"},
		{"反诈家书", dec, "2026年秋季学期"},
		{"反诈家书", time.Date(2027, 3, 1, 0, 0, 0, 0, ChinaTime), "2027年春季学期"},
	} {
		if got := TermOf(tc.name, tc.now); got != tc.want {
			t.Errorf("TermOf(%q, %s) = %q, want %q", tc.name, tc.now.Format("2006-01"), got, tc.want)
		}
	}
}

// TestMomentsAreRFC3339InChinaTimeToTheSecond: the API's one timestamp
// format, whatever zone and precision the database gave back; a zero time
// is left out.
func TestMomentsAreRFC3339InChinaTimeToTheSecond(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 20, 5, 123456789, time.UTC)
	b, err := json.Marshal(struct {
		At    Moment `json:"at"`
		Never Moment `json:"never,omitzero"`
	}{At: At(at)})
	if err != nil || string(b) != `{"at":"2026-12-07T17:20:05+08:00"}` {
		t.Fatalf("%s %v", b, err)
	}
}
