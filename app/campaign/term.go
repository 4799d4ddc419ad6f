package campaign

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"jiashu/store"
)

// termYear is a year written in a campaign's name (2027寒假前防诈).
var termYear = regexp.MustCompile(`20[0-9]{2}`)

// termWords are the season words a campaign's name may hold, with the term
// each gives and how the year of a name without one follows the day the
// campaign is made (month → years to add).
var termWords = []struct {
	word, term string
	year       func(m time.Month) int
}{
	{"寒假", "寒假", func(m time.Month) int { return ifInt(m >= time.August, 1, 0) }},
	{"冬季", "冬季", func(m time.Month) int { return ifInt(m <= time.February, -1, 0) }},
	{"暑假", "暑假", func(m time.Month) int { return ifInt(m >= time.September, 1, 0) }},
	{"夏季", "夏季", func(m time.Month) int { return ifInt(m >= time.September, 1, 0) }},
	{"春季", "春季学期", func(m time.Month) int { return ifInt(m >= time.August, 1, 0) }},
	{"秋季", "秋季学期", func(m time.Month) int { return ifInt(m == time.January, -1, 0) }},
}

func ifInt(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}

// TermOf is the term of a campaign called name made on day now, for a
// campaign given none: the season its name says (2027寒假前防诈 →
// 2027年寒假, 冬季反诈 in December 2026 → 2026年冬季), with the year its
// name says or the one that season falls in; a name that says no season
// gets the term of now (秋季 from August to January, else 春季).
func TermOf(name string, now time.Time) string {
	now = now.In(ChinaTime)
	for _, w := range termWords {
		if !strings.Contains(name, w.word) {
			continue
		}
		year := now.Year() + w.year(now.Month())
		if y := termYear.FindString(name); y != "" {
			year, _ = strconv.Atoi(y)
		}
		return fmt.Sprintf("%d年%s", year, w.term)
	}
	_, term := store.DefaultCampaignName(now)
	return term
}
