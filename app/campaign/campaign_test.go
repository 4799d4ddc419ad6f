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
