package content

import (
	"context"
	"slices"
	"strings"

	"jiashu/letters"
	"jiashu/store"
)

// School details that are never silently blank (issue 19): a detail a
// letter uses that the school has not filled in prints its fallback — a
// write-in blank on paper (请向班主任询问 on the parents' page), or no line
// at all — and one a letter needs with no fallback stops the letters. The
// school page, the campaign page, the overview, `app letters` and the
// letters jobs say which, from DetailGaps.

// DetailGap is a detail a school's letters use and the school has not
// filled in.
type DetailGap struct {
	Placeholder string `json:"placeholder"` // {学校电话}
	Name        string `json:"name"`        // 学校电话
	// Needed: some letter has no fallback for it, so letters are refused
	// until it is filled in (MissingDetailsProblem).
	Needed bool `json:"needed"`
}

// DetailGaps lists the details the library's letters use that d lacks,
// in the order of letters.SchoolDetailPlaceholders.
func DetailGaps(lib *letters.Library, d store.SchoolDetails) []DetailGap {
	have := detailValues(d)
	only := letters.SchoolDetailPlaceholders()
	var used, needed []string
	for _, ag := range letters.AgeGroups() {
		t, err := lib.Template(ag)
		if err != nil {
			continue
		}
		for _, p := range t.Uses(only) {
			if !slices.Contains(used, p) {
				used = append(used, p)
			}
		}
		needed = append(needed, t.Needs(only)...)
	}
	var out []DetailGap
	for _, p := range only {
		if slices.Contains(used, p) && strings.TrimSpace(have[p]) == "" {
			out = append(out, DetailGap{Placeholder: p, Name: strings.Trim(p, "{}"), Needed: slices.Contains(needed, p)})
		}
	}
	return out
}

// Gaps is DetailGaps with the library of an approved content version (0:
// the embedded one).
func (e *Engines) Gaps(ctx context.Context, version int64, d store.SchoolDetails) ([]DetailGap, error) {
	lib, err := e.Library(ctx, version)
	if err != nil {
		return nil, err
	}
	return DetailGaps(lib, d), nil
}

// GapNames are the gaps' names (学校电话, 派出所 …).
func GapNames(gaps []DetailGap) []string {
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Name
	}
	return out
}

// GapsMessage says in Chinese what the gaps do to the letters; "" for
// none.
func GapsMessage(gaps []DetailGap) string {
	if len(gaps) == 0 {
		return ""
	}
	msg := "学校信息未填：" + strings.Join(GapNames(gaps), "、") +
		"。信上这几处印成空格请家长记下，或不印这一行；家长页面上写“" + letters.WebBlank + "”。"
	var needed []string
	for _, g := range gaps {
		if g.Needed {
			needed = append(needed, g.Name)
		}
	}
	if len(needed) > 0 {
		msg += strings.Join(needed, "、") + "没有备选文字：填写之前无法生成家书。"
	}
	return msg
}

// detailValues are d's values by placeholder.
func detailValues(d store.SchoolDetails) map[string]string {
	return map[string]string{letters.PhSchoolPhone: d.Phone, letters.PhFeeRule: d.FeeRule,
		letters.PhPoliceStation: d.PoliceStation, letters.PhPolicePhone: d.PolicePhone}
}

// Gapper is DetailGaps with one version's library: a page lists many
// schools' gaps with one parse.
type Gapper func(d store.SchoolDetails) []DetailGap

// Gapper returns the DetailGaps of approved content version (0: the
// embedded one).
func (e *Engines) Gapper(ctx context.Context, version int64) (Gapper, error) {
	lib, err := e.Library(ctx, version)
	if err != nil {
		return nil, err
	}
	return func(d store.SchoolDetails) []DetailGap { return DetailGaps(lib, d) }, nil
}
