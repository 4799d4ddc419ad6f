package roster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Workbooks shaped like the ones Chinese schools keep, generated here. Each
// case states what a teacher would see after the import.

func merge(t testing.TB, f *excelize.File, sheet string, ranges ...string) {
	t.Helper()
	for _, r := range ranges {
		a, b, _ := strings.Cut(r, ":")
		if err := f.MergeCell(sheet, a, b); err != nil {
			t.Fatal(err)
		}
	}
}

func guardiansOf(res *Result, name string) []Guardian { return allStudents(res)[name].Guardians }

func TestTwoRowHeaders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fill  func(f *excelize.File)
		check func(t *testing.T, res *Result)
	}{
		{"merged cells keep their names and 姓名 under 家长信息 is the guardian's", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"三年级（2）班学生信息登记表"},
				[]any{"序号", "学籍号", "学生姓名", "性别", "出生年月", "家长信息"},
				[]any{nil, nil, nil, nil, nil, "姓名", "关系", "联系电话"},
				[]any{1, "G110105201601010011", "王小明", "男", "2016.01", "王大明", "父子", "13700137000"},
				[]any{2, "G110105201602020022", "李小红", "女生", "2016年2月", "李大红", "母女", "13800138000"},
			)
			merge(t, f, "Sheet1", "A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:H2")
		}, func(t *testing.T, res *Result) {
			st := allStudents(res)
			want := Student{Sheet: "Sheet1", Row: 4, Number: "G110105201601010011", Name: "王小明", Gender: "男", BirthDate: "2016-01-01",
				Guardians: []Guardian{{"王大明", "父亲", "13700137000"}}}
			if got := st["王小明"]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("student = %+v\nwant      %+v", got, want)
			}
			if g := st["李小红"]; g.BirthDate != "2016-02-01" || g.Gender != "女" || len(g.Guardians) != 1 || g.Guardians[0] != (Guardian{"李大红", "母亲", "13800138000"}) {
				t.Errorf("李小红 = %+v", g)
			}
			if len(res.Problems) != 0 || classKeys(res)[0] != "3-2" {
				t.Errorf("classes %v problems %+v", classKeys(res), res.Problems)
			}
		}},
		{"a top row that is no header alone (学生信息 over 姓名 性别)", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"序号", "学号", "学生信息", nil, "监护人信息"},
				[]any{nil, nil, "姓名", "性别", "姓名", "与学生关系", "手机号码"},
				[]any{1, "301", "甲", "男", "甲父", "爸爸", "13800138000"},
			)
			merge(t, f, "Sheet1", "A1:A2", "B1:B2", "C1:D1", "E1:G1")
		}, func(t *testing.T, res *Result) {
			s := allStudents(res)["甲"]
			if s.Number != "301" || s.Gender != "男" || len(s.Guardians) != 1 || s.Guardians[0] != (Guardian{"甲父", "父亲", "13800138000"}) {
				t.Errorf("甲 = %+v (problems %+v)", s, res.Problems)
			}
		}},
		{"家长1 and 家长2 groups are two guardians", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"学号", "姓名", "家长1", nil, "家长2"},
				[]any{nil, nil, "姓名", "电话", "姓名", "电话"},
				[]any{"1", "甲", "甲父", "13800138000", "甲母", "13900139000"},
			)
		}, func(t *testing.T, res *Result) {
			if g := guardiansOf(res, "甲"); len(g) != 2 || g[0] != (Guardian{"甲父", "", "13800138000"}) || g[1] != (Guardian{"甲母", "", "13900139000"}) {
				t.Errorf("guardians = %+v", g)
			}
		}},
		{"父亲 and 母亲 groups give the relation", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"学号", "姓名", "父亲", nil, "母亲"},
				[]any{nil, nil, "姓名", "手机", "姓名", "手机"},
				[]any{"1", "甲", "甲父", "13800138000", "甲母", "13900139000"},
			)
		}, func(t *testing.T, res *Result) {
			if g := guardiansOf(res, "甲"); len(g) != 2 || g[0] != (Guardian{"甲父", "父亲", "13800138000"}) || g[1] != (Guardian{"甲母", "母亲", "13900139000"}) {
				t.Errorf("guardians = %+v", g)
			}
		}},
		{"one 家长信息 group over two guardians' columns", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"学号", "姓名", "家长信息"},
				[]any{nil, nil, "姓名", "关系", "电话", "工作单位", "姓名", "关系", "电话"},
				[]any{"1", "甲", "甲父", "父亲", "13800138000", "某厂", "甲母", "母亲", "13900139000"},
			)
		}, func(t *testing.T, res *Result) {
			if g := guardiansOf(res, "甲"); len(g) != 2 || g[0] != (Guardian{"甲父", "父亲", "13800138000"}) || g[1] != (Guardian{"甲母", "母亲", "13900139000"}) {
				t.Errorf("guardians = %+v (problems %+v)", g, res.Problems)
			}
		}},
		{"联系方式 over 父亲 and 母亲", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"学号", "姓名", "联系方式"},
				[]any{nil, nil, "父亲", "母亲"},
				[]any{"1", "甲", "13800138000", "13900139000"},
			)
		}, func(t *testing.T, res *Result) {
			if g := guardiansOf(res, "甲"); len(g) != 2 || g[0] != (Guardian{"", "父亲", "13800138000"}) || g[1] != (Guardian{"", "母亲", "13900139000"}) {
				t.Errorf("guardians = %+v (problems %+v)", g, res.Problems)
			}
		}},
		{"a one-row header's first data row is not taken for a sub-header", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"学号", "姓名", "家长信息", "家长手机"},
				[]any{"1", "甲", "父亲", "13800138000"},
				[]any{"2", "乙", "母亲", "13900139000"},
			)
		}, func(t *testing.T, res *Result) {
			if n := countStudents(res); n != 2 {
				t.Errorf("students = %d, want 2 (problems %+v)", n, res.Problems)
			}
		}},
		{"problems name the column as both rows write it", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"学号", "姓名", "家长信息"},
				[]any{nil, nil, "姓名", "联系电话"},
				[]any{"1", "甲", "甲父", "1380013800"},
			)
		}, func(t *testing.T, res *Result) {
			ps := problemsWith(res, "phone_invalid")
			if len(ps) != 1 || ps[0].Row != 3 || ps[0].Column != "家长信息-联系电话" || !strings.Contains(ps[0].Message, "工作表“Sheet1”第3行“家长信息-联系电话”列") {
				t.Errorf("phone_invalid = %+v", ps)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.check(t, parseBytes(t, book(t, c.fill), Options{Class: "三年级2班"}))
		})
	}
}

func TestPhoneCellsWithLabelsAndSeveralNumbers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		header   []any
		row      []any
		want     []Guardian
		problems []string // codes
	}{
		{"a relation before the number gives the relation", []any{"家长姓名", "联系电话"}, []any{"王大明", "父亲13700137000"},
			[]Guardian{{"王大明", "父亲", "13700137000"}}, nil},
		{"a relation in brackets after the number gives the relation", []any{"家长姓名", "联系电话"}, []any{"", "138-0013-8000（母）"},
			[]Guardian{{"", "母亲", "13800138000"}}, nil},
		{"the relation column wins over the label", []any{"家长姓名", "关系", "联系电话"}, []any{"甲父", "爸爸", "13700137000(母)"},
			[]Guardian{{"甲父", "父亲", "13700137000"}}, nil},
		{"手机： before the number is no remark", []any{"家长姓名", "联系电话"}, []any{"甲父", "手机：13700137000"},
			[]Guardian{{"甲父", "", "13700137000"}}, nil},
		{"two numbers with 、 are two guardians", []any{"家长姓名", "联系电话"}, []any{"甲父", "13800138000、13900139000"},
			[]Guardian{{"甲父", "", "13800138000"}, {"", "", "13900139000"}}, nil},
		{"two numbers with / are two guardians", []any{"家长姓名", "联系电话"}, []any{"甲父", "13800138000/13900139000"},
			[]Guardian{{"甲父", "", "13800138000"}, {"", "", "13900139000"}}, nil},
		{"two labelled numbers without a separator", []any{"联系电话"}, []any{"父13700137000 母13800138000"},
			[]Guardian{{"", "父亲", "13700137000"}, {"", "母亲", "13800138000"}}, nil},
		{"labels after the numbers", []any{"联系电话"}, []any{"13700137000(父)13800138000(母)"},
			[]Guardian{{"", "父亲", "13700137000"}, {"", "母亲", "13800138000"}}, nil},
		{"the same number twice is one guardian", []any{"联系电话"}, []any{"13800138000/13800138000"},
			[]Guardian{{"", "", "13800138000"}}, nil},
		{"a second number is left out, with a warning, when both guardians are there",
			[]any{"家长1姓名", "家长1手机", "家长2姓名", "家长2手机"}, []any{"甲父", "13800138000/13600136000", "甲母", "13900139000"},
			[]Guardian{{"甲父", "", "13800138000"}, {"甲母", "", "13900139000"}}, []string{"phone_extra_dropped"}},
		{"a remark next to the number is reported and the number kept", []any{"家长姓名", "联系电话"}, []any{"甲父", "13800138000（已停机）"},
			[]Guardian{{"甲父", "", "13800138000"}}, []string{"phone_text_dropped"}},
		{"digits with a letter stay invalid", []any{"家长姓名", "联系电话"}, []any{"甲父", "13800l38000"},
			nil, []string{"phone_invalid"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := book(t, func(f *excelize.File) {
				rowsAt(t, f, "Sheet1", 1, append([]any{"学号", "姓名"}, c.header...), append([]any{"1", "甲"}, c.row...))
			})
			res := parseBytes(t, data, Options{Class: "一年级1班"})
			var codes []string
			for _, p := range res.Problems {
				codes = append(codes, p.Code)
			}
			if strings.Join(codes, ",") != strings.Join(c.problems, ",") {
				t.Errorf("problems = %+v, want codes %v", res.Problems, c.problems)
			}
			if got := guardiansOf(res, "甲"); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("guardians = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestValueSpellingsSchoolsUse(t *testing.T) {
	t.Parallel()
	t.Run("relations are folded to the template's list", func(t *testing.T) {
		for in, want := range map[string]string{"父子": "父亲", "父女": "父亲", "爸爸": "父亲", "父": "父亲", "母女": "母亲", "妈妈": "母亲",
			"母子关系": "母亲", "爷爷": "祖父", "奶奶": "祖母", "外公": "外祖父", "姥爷": "外祖父", "外婆": "外祖母", "姥姥": "外祖母",
			"祖父": "祖父", "其他": "其他", "叔叔": "其他", "干妈": "其他", "": "", "母亲（监护人）": "母亲", " 父 亲 ": "父亲"} {
			if got := normRelation(in); got != want {
				t.Errorf("normRelation(%q) = %q, want %q", in, got, want)
			}
		}
	})
	t.Run("dates with only a year and month are the 1st of the month", func(t *testing.T) {
		for in, want := range map[string]string{"2016.01": "2016-01-01", "2016.1": "2016-01-01", "2016年2月": "2016-02-01",
			"2016-03": "2016-03-01", "2016/4": "2016-04-01", "201605": "2016-05-01", "2016.12": "2016-12-01"} {
			if got, ok := cleanDate(in); !ok || got != want {
				t.Errorf("cleanDate(%q) = %q, %v; want %q", in, got, ok, want)
			}
		}
		for _, in := range []string{"2016.13", "201613", "2016年", "16.01"} {
			if got, ok := cleanDate(in); ok && got != "" {
				t.Errorf("cleanDate(%q) = %q, want invalid", in, got)
			}
		}
	})
	t.Run("genders", func(t *testing.T) {
		for in, want := range map[string]string{"男生": "男", "女生": "女", "M": "男", "F": "女", "m": "男", "Ｆ": "女"} {
			if got, ok := cleanGender(in); !ok || got != want {
				t.Errorf("cleanGender(%q) = %q, %v", in, got, ok)
			}
		}
	})
}

func TestRealWorldSheets(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fill  func(f *excelize.File)
		opt   Options
		check func(t *testing.T, res *Result)
	}{
		{"headers with spaces, line breaks and full-width brackets", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"学 号", "姓  名", "家长\n姓名", "家长\n手机", "出生年月（公历）", "联系电话（家长）"},
				[]any{"1", "甲", "甲父", "13800138000", "2016年2月", ""},
			)
		}, Options{Class: "一年级1班"}, func(t *testing.T, res *Result) {
			s := allStudents(res)["甲"]
			if s.Number != "1" || s.BirthDate != "2016-02-01" || len(s.Guardians) != 1 || s.Guardians[0] != (Guardian{"甲父", "", "13800138000"}) {
				t.Errorf("甲 = %+v (problems %+v)", s, res.Problems)
			}
		}},
		{"class column as 3.2, 三（2）, 302 and 三年级2班", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"班级", "学号", "姓名", "家长手机"},
				[]any{"3.2", "1", "甲", "13800138000"},
				[]any{"三（2）", "2", "乙", "13800138001"},
				[]any{"302", "3", "丙", "13800138002"},
				[]any{"三年级2班", "4", "丁", "13800138003"},
			)
		}, Options{}, func(t *testing.T, res *Result) {
			if got := classKeys(res); len(got) != 1 || got[0] != "3-2" || countStudents(res) != 4 || len(res.Problems) != 0 {
				t.Errorf("classes %v, %d students, problems %+v", got, countStudents(res), res.Problems)
			}
		}},
		{"a 备注 column that says 统计 or 注 keeps its row", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"序号", "学号", "姓名", "家长手机", "备注"},
				[]any{1, "1", "甲", "13800138000", "统计时已转入"},
				[]any{2, "2", "乙", "13800138001", "注意过敏"},
			)
		}, Options{Class: "一年级1班"}, func(t *testing.T, res *Result) {
			if n := countStudents(res); n != 2 || len(res.Problems) != 0 {
				t.Errorf("students %d, problems %+v", n, res.Problems)
			}
		}},
		{"template rows with only 序号 are skipped silently", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"序号", "学号", "姓名", "性别", "家长手机"}, []any{1, "1", "甲", "男", "13800138000"})
			for i := 2; i <= 300; i++ {
				rowsAt(t, f, "Sheet1", i+1, []any{i})
			}
		}, Options{Class: "一年级1班"}, func(t *testing.T, res *Result) {
			if n := countStudents(res); n != 1 || len(res.Problems) != 0 {
				t.Errorf("students %d, problems %d: %+v", n, len(res.Problems), res.Problems[:min(3, len(res.Problems))])
			}
		}},
		{"rows with only a pre-filled 学号 are one warning", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"序号", "班级", "学号", "姓名", "家长手机"}, []any{1, "一年级1班", "1", "甲", "13800138000"})
			for i := 2; i <= 40; i++ {
				rowsAt(t, f, "Sheet1", i+1, []any{i, "一年级1班", fmt.Sprint(i)})
			}
		}, Options{}, func(t *testing.T, res *Result) {
			ps := problemsWith(res, "rows_without_name")
			if countStudents(res) != 1 || len(res.Problems) != 1 || len(ps) != 1 || ps[0].Row != 3 || ps[0].Severity != Warning || !strings.Contains(ps[0].Message, "39行") {
				t.Errorf("students %d, problems %+v", countStudents(res), res.Problems)
			}
		}},
		{"a row with a 学号 and a phone but no name is still an error", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"学号", "姓名", "家长手机"}, []any{"1", "", "13800138000"})
		}, Options{Class: "一年级1班"}, func(t *testing.T, res *Result) {
			if ps := problemsWith(res, "name_missing"); len(ps) != 1 || ps[0].Row != 2 {
				t.Errorf("name_missing = %+v", ps)
			}
		}},
		{"trailing 制表人 and 填表说明 rows are skipped", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1,
				[]any{"序号", "学号", "姓名", "家长手机"},
				[]any{1, "1", "甲", "13800138000"},
				[]any{nil, "制表人：王老师", nil, "审核人：李主任"},
				[]any{nil, nil, "填表说明：手机号填写家长本人的11位号码"},
				[]any{"日期：2024年9月1日"},
			)
		}, Options{Class: "一年级1班"}, func(t *testing.T, res *Result) {
			if n := countStudents(res); n != 1 || len(res.Problems) != 0 {
				t.Errorf("students %d, problems %+v", n, res.Problems)
			}
		}},
		{"a merged title across the header's width gives the class", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"阳光小学 五年级（3）班 学生家长通讯录"}, []any{"学号", "姓名", "家长手机"}, []any{"1", "甲", "13800138000"})
			merge(t, f, "Sheet1", "A1:C1")
		}, Options{}, func(t *testing.T, res *Result) {
			if got := classKeys(res); len(got) != 1 || got[0] != "5-3" {
				t.Errorf("classes %v, problems %+v", got, res.Problems)
			}
		}},
		{"a title naming the entry year (2024级3班) asks for the class", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"2024级3班学生名单"}, []any{"学号", "姓名", "家长手机"}, []any{"1", "甲", "13800138000"})
		}, Options{}, func(t *testing.T, res *Result) {
			ps := problemsWith(res, "class_missing")
			if countStudents(res) != 0 || len(ps) != 1 || !strings.Contains(ps[0].Message, "2024级3班") || !strings.Contains(ps[0].Message, "导入时选择班级") {
				t.Errorf("students %d, class_missing %+v", countStudents(res), ps)
			}
		}},
		{"a title naming the entry year takes the class the caller chose", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"2024级3班学生名单"}, []any{"学号", "姓名", "家长手机"}, []any{"1", "甲", "13800138000"})
		}, Options{Class: "二年级3班"}, func(t *testing.T, res *Result) {
			if got := classKeys(res); len(got) != 1 || got[0] != "2-3" {
				t.Errorf("classes %v, problems %+v", got, res.Problems)
			}
		}},
		{"a hidden instructions sheet is skipped silently", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"学号", "姓名", "家长手机"}, []any{"1", "甲", "13800138000"})
			f.NewSheet("填表说明")
			rowsAt(t, f, "填表说明", 1, []any{"填表说明"}, []any{"1. 姓名、学号必填"}, []any{"性别", "男", "女"})
			f.SetSheetVisible("填表说明", false)
		}, Options{Class: "一年级1班"}, func(t *testing.T, res *Result) {
			if n := countStudents(res); n != 1 || len(res.Problems) != 0 {
				t.Errorf("students %d, problems %+v", n, res.Problems)
			}
		}},
		{"a hidden sheet holding a roster is not imported and says so", func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"学号", "姓名", "家长手机"}, []any{"1", "甲", "13800138000"})
			f.NewSheet("去年名单")
			rowsAt(t, f, "去年名单", 1, []any{"学号", "姓名", "家长手机"}, []any{"1", "乙", "13800138001"})
			f.SetSheetVisible("去年名单", false)
		}, Options{Class: "一年级1班"}, func(t *testing.T, res *Result) {
			ps := problemsWith(res, "sheet_hidden")
			if n := countStudents(res); n != 1 || len(ps) != 1 || ps[0].Sheet != "去年名单" || ps[0].Severity != Warning || len(problemsWith(res, "number_duplicate")) != 0 {
				t.Errorf("students %d, problems %+v", n, res.Problems)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.check(t, parseBytes(t, book(t, c.fill), c.opt))
		})
	}
	t.Run("a roster only in a hidden sheet is refused with how to unhide it", func(t *testing.T) {
		data := book(t, func(f *excelize.File) {
			rowsAt(t, f, "Sheet1", 1, []any{"说明：名单见第二页"})
			f.NewSheet("名单")
			rowsAt(t, f, "名单", 1, []any{"学号", "姓名", "家长手机"}, []any{"1", "乙", "13800138001"})
			f.SetSheetVisible("名单", false)
		})
		_, err := Parse(context.Background(), bytes.NewReader(data), Options{Class: "一年级1班"})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Code != CodeNoHeader || !strings.Contains(fe.Message, "取消隐藏") {
			t.Errorf("err = %v", err)
		}
	})
}

// TestEveryRowProblemSaysWhereAndWhatToDo runs the workbooks of the other
// tests' kinds and checks every message a teacher reads.
func TestEveryRowProblemSaysWhereAndWhatToDo(t *testing.T) {
	t.Parallel()
	data := book(t, func(f *excelize.File) {
		rowsAt(t, f, "Sheet1", 1,
			[]any{"学号", "姓名", "性别", "出生日期", "家长1姓名", "家长1手机", "家长2姓名", "家长2手机"},
			[]any{"1", "", "男", "", "某", "13800138000"},
			[]any{"", "乙", "女", "", "某", "13800138001"},
			[]any{"3", "丙", "未知", "明年", "某", ""},
			[]any{"4", "丁", "男", "", "某", "1380013800"},
			[]any{"5", "戊", "男", "", "某", "0571-88886666"},
			[]any{"6", "己", "男", "", "某", "13800138006", "某2", ""},
			[]any{"7", "𠮷祥", "男", "", "某", "13800138007"},
			[]any{"7", "庚", "男", "", "某", "13800138008"},
			[]any{"8", "辛", "男", "", "某", "13800138009（停机）/13600136000", "某3", "13900139000"},
			[]any{"9", "壬", "男", "", "某", "13800138010"},
			[]any{"9", "壬", "男", "", "某", "13800138010"},
			[]any{"10"},
		)
	})
	res := parseBytes(t, data, Options{Class: "一年级1班"})
	codes := map[string]bool{}
	for _, p := range res.Problems {
		codes[p.Code] = true
		where := fmt.Sprintf("工作表“%s”第%d行", p.Sheet, p.Row)
		if p.Row == 0 || !strings.HasPrefix(p.Message, where) || p.Column == "" || !strings.Contains(p.Message, "“"+p.Column+"”") || !strings.Contains(p.Message, "请") {
			t.Errorf("%s: message should start with %q, name column %q and say what to do: %s", p.Code, where, p.Column, p.Message)
		}
	}
	for _, c := range []string{"name_missing", "number_missing", "gender_unknown", "birth_date_invalid", "phone_invalid", "phone_landline",
		"guardian_no_phone", "no_phone", "char_unprintable", "number_duplicate", "phone_text_dropped", "phone_extra_dropped", "row_duplicate", "rows_without_name"} {
		if !codes[c] {
			t.Errorf("no %s problem in %+v", c, res.Problems)
		}
	}
}
