package roster

import "testing"

func TestHeaderCellsAreRecognised(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		role   role
		slot   string
	}{
		{"姓名", roleName, ""}, {"学生姓名", roleName, ""}, {"* 学生姓名", roleName, ""},
		{"学号", roleNumber, ""}, {"学籍号（必填）", roleNumber, ""}, {"学生编号", roleNumber, ""},
		{"性别", roleGender, ""}, {"出生日期", roleBirth, ""}, {"生日", roleBirth, ""},
		{"班级", roleClass, ""}, {"年级", roleGrade, ""}, {"班主任", roleHeadTeacher, ""},
		{"家长姓名", roleGuardianName, "1"}, {"监护人", roleGuardianName, "1"}, {"监护人姓名", roleGuardianName, "1"},
		{"关系", roleGuardianRelation, "1"}, {"与学生关系", roleGuardianRelation, "1"}, {"监护人关系", roleGuardianRelation, "1"},
		{"家长手机", roleGuardianPhone, "1"}, {"联系电话", roleGuardianPhone, "1"}, {"手机号码", roleGuardianPhone, "1"},
		{"联系方式", roleGuardianPhone, "1"}, {"手机", roleGuardianPhone, "1"}, {"家长联系电话", roleGuardianPhone, "1"},
		{"家长1姓名", roleGuardianName, "1"}, {"家长2姓名", roleGuardianName, "2"}, {"家长２手机", roleGuardianPhone, "2"},
		{"家长电话2", roleGuardianPhone, "2"}, {"监护人2关系", roleGuardianRelation, "2"},
		{"第一监护人电话", roleGuardianPhone, "1"}, {"第二监护人姓名", roleGuardianName, "2"},
		{"父亲手机", roleGuardianPhone, "父亲"}, {"母亲姓名", roleGuardianName, "母亲"}, {"妈妈电话", roleGuardianPhone, "母亲"},
		{"序号", roleNone, ""}, {"备注", roleNone, ""}, {"家庭住址", roleNone, ""}, {"", roleNone, ""}, {"电话费", roleNone, ""},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			col := classify(0, c.header)
			if col.role != c.role || col.slot != c.slot {
				t.Errorf("classify(%q) = role %d slot %q, want role %d slot %q", c.header, col.role, col.slot, c.role, c.slot)
			}
		})
	}
}

func TestValueCleaners(t *testing.T) {
	t.Parallel()
	t.Run("phones", func(t *testing.T) {
		for in, want := range map[string]string{"+8613800138000": "13800138000", "0086 138 0013 8000": "13800138000",
			"138-0013-8000": "13800138000", "１３８００１３８０００": "13800138000", "1.3800138E+10": "13800138000", "13800138000.0": "13800138000"} {
			if got, res := cleanPhone(in); got != want || res != phoneMobile {
				t.Errorf("cleanPhone(%q) = %q, %v", in, got, res)
			}
		}
		for _, in := range []string{"1380013800", "12800138000", "138001380001", "13800l38000"} {
			if got, res := cleanPhone(in); res != phoneInvalid {
				t.Errorf("cleanPhone(%q) = %q, %v; want invalid", in, got, res)
			}
		}
		// Issue 11: a cell saying there is no phone is not a bad number.
		if got, res := cleanPhone("无"); res != phoneNone {
			t.Errorf("cleanPhone(%q) = %q, %v; want no phone", "无", got, res)
		}
	})
	t.Run("dates", func(t *testing.T) {
		for _, in := range []string{"2010-01-05", "2010/1/5", "2010年1月5日", "20100105", "40183", "2010.1.5", "2010-01-05 00:00:00"} {
			if got, ok := cleanDate(in); !ok || got != "2010-01-05" {
				t.Errorf("cleanDate(%q) = %q, %v", in, got, ok)
			}
		}
		for _, in := range []string{"2010-02-30", "明年", "1/5", "1800-01-01"} {
			if got, ok := cleanDate(in); ok {
				t.Errorf("cleanDate(%q) = %q, want invalid", in, got)
			}
		}
	})
}
