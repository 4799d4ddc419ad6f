package campaign

import "testing"

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
