package content

import (
	"strings"
	"testing"

	"jiashu/store"
)

func TestCheckDetails(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		in      store.SchoolDetails
		problem string // part of the message; "" when accepted
	}{
		{"ordinary details", store.SchoolDetails{Phone: "023-6851 2345", FeeRule: "学校不收取任何资料费", PoliceStation: "解放碑派出所", PolicePhone: "023-63801110"}, ""},
		{"a hyphen inside the text", store.SchoolDetails{FeeRule: "校服费以区教委-物价局核定为准"}, ""},
		{"a formula as the fee rule", store.SchoolDetails{FeeRule: `=HYPERLINK("http://evil.example","点此缴费")`}, "收费说明不能以 = + - @ 开头"},
		{"a formula after spaces", store.SchoolDetails{FeeRule: "  +1+1"}, "收费说明不能以"},
		{"a minus first", store.SchoolDetails{FeeRule: "-2+3"}, "收费说明不能以"},
		{"an at sign first", store.SchoolDetails{PoliceStation: "@SUM(1,2)"}, "派出所名称不能以"},
		{"a bad phone", store.SchoolDetails{Phone: "=1+1"}, "不是有效的电话号码"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := CheckDetails(c.in)
			switch {
			case c.problem == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.problem != "" && (err == nil || !strings.Contains(err.Error(), c.problem)):
				t.Fatalf("got %v, want a problem saying %q", err, c.problem)
			}
		})
	}
}
