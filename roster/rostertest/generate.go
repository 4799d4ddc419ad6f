// Package rostertest writes realistic school roster workbooks for tests and
// benchmarks: a sheet per class with a title row, student numbers and phone
// numbers stored as numbers, birth dates as date cells and two guardians.
package rostertest

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/xuri/excelize/v2"

	"jiashu/grade"
)

// config is what the options set.
type config struct {
	perClass int
	seed     uint64
	oneSheet bool
	school   string
}

// Option changes what Generate writes.
type Option func(*config)

// PerClass sets the number of students per class (default 45).
func PerClass(n int) Option { return func(c *config) { c.perClass = max(n, 1) } }

// Seed makes a different, still reproducible, roster (default 1).
func Seed(s uint64) Option { return func(c *config) { c.seed = s } }

// OneSheet writes every class into one sheet with a 班级 column, the way a
// school's whole register is exported from its student information system.
func OneSheet() Option { return func(c *config) { c.oneSheet = true } }

// School sets the school name in the title rows.
func School(name string) Option { return func(c *config) { c.school = name } }

var (
	surnames       = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given          = []string{"子涵", "浩然", "梓涵", "一诺", "欣怡", "宇轩", "诗涵", "俊杰", "雨泽", "可馨", "明轩", "若汐", "思远", "书瑶", "天佑", "紫涵", "博文", "梦琪", "嘉怡", "子墨", "晨曦", "佳豪", "静", "磊", "洋", "艳", "勇", "芳", "杰", "娟", "涛", "超", "建国", "秀英", "桂兰", "志强"}
	mobilePrefixes = []int64{130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157, 158, 159, 177, 180, 181, 182, 186, 187, 188, 189, 199}
	pairs          = [][2]string{{"父亲", "母亲"}, {"母亲", "父亲"}, {"爷爷", "奶奶"}, {"外公", "外婆"}, {"母亲", "外婆"}}
)

var header = []any{"序号", "学号", "姓名", "性别", "出生日期", "家长1姓名", "家长1关系", "家长1手机", "家长2姓名", "家长2关系", "家长2手机"}

// Generate writes a workbook with the given number of students, in classes of
// PerClass students spread over grades 1–12 (up to 99 classes a grade).
func Generate(w io.Writer, students int, opts ...Option) error {
	cfg := config{perClass: 45, seed: 1, school: "实验学校"}
	for _, o := range opts {
		o(&cfg)
	}
	classes := (students + cfg.perClass - 1) / cfg.perClass
	perGrade := max((classes+11)/12, 1)
	if perGrade > 99 {
		return fmt.Errorf("rostertest: %d students in classes of %d need more than 99 classes a grade", students, cfg.perClass)
	}
	rng := rand.New(rand.NewPCG(cfg.seed, 2026))
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return fmt.Errorf("rostertest: %w", err)
	}
	g := &gen{rng: rng, dateStyle: dateStyle}

	var sw *excelize.StreamWriter
	row := 0
	if cfg.oneSheet {
		if sw, err = startSheet(f, "", "Sheet1", []any{cfg.school + "学生花名册"}, append([]any{"班级"}, header...)); err != nil {
			return err
		}
		row = 2
	}
	left := students
	for ci := 0; ci < classes; ci++ {
		gr, cl := ci/perGrade+1, ci%perGrade+1
		name := grade.ClassName(gr, cl)
		n := min(cfg.perClass, left)
		left -= n
		if !cfg.oneSheet {
			rename := ""
			if ci == 0 {
				rename = "Sheet1"
			}
			title := []any{fmt.Sprintf("%s %s 学生花名册（班主任：%s老师）", cfg.school, name, g.surname())}
			if sw, err = startSheet(f, rename, name, title, header); err != nil {
				return err
			}
			row = 2
		}
		for i := 0; i < n; i++ {
			row++
			cells := g.student(gr, cl, i+1)
			if cfg.oneSheet {
				cells = append([]any{name}, cells...)
			}
			axis, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(axis, cells); err != nil {
				return fmt.Errorf("rostertest: %w", err)
			}
		}
		if !cfg.oneSheet {
			if err := sw.Flush(); err != nil {
				return fmt.Errorf("rostertest: %w", err)
			}
		}
	}
	if cfg.oneSheet {
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("rostertest: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("rostertest: %w", err)
	}
	return nil
}

// startSheet opens sheet (renaming the sheet rename to it, or adding it
// when rename is "" and the sheet is not Sheet1) for streaming, with its
// title row (merged over the header when it is a class's) and header.
func startSheet(f *excelize.File, rename, sheet string, title, head []any) (*excelize.StreamWriter, error) {
	var err error
	switch {
	case rename != "":
		err = f.SetSheetName(rename, sheet)
	case sheet != "Sheet1":
		_, err = f.NewSheet(sheet)
	}
	if err != nil {
		return nil, fmt.Errorf("rostertest: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("rostertest: %w", err)
	}
	if sheet != "Sheet1" {
		if err := sw.MergeCell("A1", "K1"); err != nil {
			return nil, fmt.Errorf("rostertest: %w", err)
		}
	}
	if err := sw.SetRow("A1", title); err != nil {
		return nil, fmt.Errorf("rostertest: %w", err)
	}
	if err := sw.SetRow("A2", head); err != nil {
		return nil, fmt.Errorf("rostertest: %w", err)
	}
	return sw, nil
}

type gen struct {
	rng       *rand.Rand
	dateStyle int
}

func (g *gen) surname() string { return string(surnames[g.rng.IntN(len(surnames))]) }

func (g *gen) name() string { return g.surname() + given[g.rng.IntN(len(given))] }

func (g *gen) mobile() int64 {
	return mobilePrefixes[g.rng.IntN(len(mobilePrefixes))]*100_000_000 + g.rng.Int64N(100_000_000)
}

// student is one row: 序号, 学号 (a number), 姓名, 性别, 出生日期 (a date
// cell), then two guardians with their mobiles as numbers; about one in
// six students has only one guardian.
func (g *gen) student(gr, cl, seq int) []any {
	entry := 2026 - gr
	number := int64(entry)*1_000_000 + int64(gr)*10_000 + int64(cl)*100 + int64(seq)
	if seq > 99 {
		number = int64(entry)*10_000_000 + int64(gr)*100_000 + int64(cl)*1000 + int64(seq)
	}
	gender := "男"
	if g.rng.IntN(2) == 0 {
		gender = "女"
	}
	birth := time.Date(2026-gr-6, time.September, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -g.rng.IntN(365))
	pair := pairs[g.rng.IntN(len(pairs))]
	cells := []any{seq, number, g.name(), gender, excelize.Cell{StyleID: g.dateStyle, Value: birth},
		g.name(), pair[0], g.mobile()}
	if g.rng.IntN(6) != 0 {
		cells = append(cells, g.name(), pair[1], g.mobile())
	}
	return cells
}
