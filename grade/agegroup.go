package grade

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// AgeGroup is the audience a letter is written for.
type AgeGroup string

// The age groups, by school stage.
const (
	PrimaryLower AgeGroup = "primary-lower"
	PrimaryUpper AgeGroup = "primary-upper"
	Junior       AgeGroup = "junior"
	Senior       AgeGroup = "senior"
)

// AgeGroups lists the age groups from youngest to oldest.
func AgeGroups() []AgeGroup { return []AgeGroup{PrimaryLower, PrimaryUpper, Junior, Senior} }

// Label is the Chinese name of the age group shown to users.
func (a AgeGroup) Label() string {
	switch a {
	case PrimaryLower:
		return "小学低年级"
	case PrimaryUpper:
		return "小学高年级"
	case Junior:
		return "初中"
	case Senior:
		return "高中"
	}
	return string(a)
}

// Valid reports whether a is one of the known age groups.
func (a AgeGroup) Valid() bool {
	switch a {
	case PrimaryLower, PrimaryUpper, Junior, Senior:
		return true
	}
	return false
}

// Mapping assigns each grade 1–12 an age group. Index 0 is unused.
type Mapping [13]AgeGroup

// DefaultMapping is 1–3 primary-lower, 4–6 primary-upper, 7–9 junior, 10–12 senior.
func DefaultMapping() Mapping {
	var m Mapping
	for g := 1; g <= 12; g++ {
		m[g] = AgeGroups()[(g-1)/3]
	}
	return m
}

// ParseMapping reads a mapping written as "1-3:primary-lower,4-6:primary-upper,
// 7-9:junior,10-12:senior". Every grade 1–12 must be covered exactly once.
func ParseMapping(s string) (Mapping, error) {
	var m Mapping
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		rng, group, ok := strings.Cut(part, ":")
		if !ok {
			return Mapping{}, fmt.Errorf("grade: mapping part %q: want GRADES:GROUP, e.g. 1-3:primary-lower", part)
		}
		ag := AgeGroup(strings.TrimSpace(group))
		if !ag.Valid() {
			return Mapping{}, fmt.Errorf("grade: mapping part %q: unknown age group %q (want primary-lower, primary-upper, junior or senior)", part, group)
		}
		lo, hi, err := parseRange(strings.TrimSpace(rng))
		if err != nil {
			return Mapping{}, fmt.Errorf("grade: mapping part %q: %w", part, err)
		}
		for g := lo; g <= hi; g++ {
			if m[g] != "" {
				return Mapping{}, fmt.Errorf("grade: mapping part %q: grade %d is already mapped to %s", part, g, m[g])
			}
			m[g] = ag
		}
	}
	var missing []string
	for g := 1; g <= 12; g++ {
		if m[g] == "" {
			missing = append(missing, strconv.Itoa(g))
		}
	}
	if len(missing) > 0 {
		return Mapping{}, fmt.Errorf("grade: mapping %q leaves grades %s without an age group", s, strings.Join(missing, ","))
	}
	return m, nil
}

func parseRange(s string) (int, int, error) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil {
		return 0, 0, fmt.Errorf("grade %q is not a number", a)
	}
	hi := lo
	if isRange {
		if hi, err = strconv.Atoi(strings.TrimSpace(b)); err != nil {
			return 0, 0, fmt.Errorf("grade %q is not a number", b)
		}
	}
	if lo < 1 || hi > 12 || lo > hi {
		return 0, 0, fmt.Errorf("grades %d-%d are outside 1-12 or reversed", lo, hi)
	}
	return lo, hi, nil
}

// Of is the age group of a grade, or "" for a grade outside 1–12.
func (m Mapping) Of(grade int) AgeGroup {
	if grade < 1 || grade > 12 {
		return ""
	}
	return m[grade]
}

// String writes the mapping in the form ParseMapping reads, merging runs.
func (m Mapping) String() string {
	type run struct {
		lo, hi int
		ag     AgeGroup
	}
	var runs []run
	for g := 1; g <= 12; g++ {
		if n := len(runs); n > 0 && runs[n-1].ag == m[g] && runs[n-1].hi == g-1 {
			runs[n-1].hi = g
			continue
		}
		runs = append(runs, run{g, g, m[g]})
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].lo < runs[j].lo })
	parts := make([]string, 0, len(runs))
	for _, r := range runs {
		if r.lo == r.hi {
			parts = append(parts, fmt.Sprintf("%d:%s", r.lo, r.ag))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d:%s", r.lo, r.hi, r.ag))
		}
	}
	return strings.Join(parts, ",")
}
