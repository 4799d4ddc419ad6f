package web

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/letters"
	"jiashu/store"
)

// The methods an alert is made from (issue 22): those of the current
// approved content version — the newest, which running campaigns move to
// and new ones pin — newest first (a method added or rewritten in a later
// version before the older ones), with a search over their texts.

// alertMethod is an approved method that may become an alert.
type alertMethod struct {
	Value   string // "version:method", what the forms send
	Version int64
	ID      string
	Title   string
	Brief   string // its one-sentence reminder, or the start of how it works
	// Since is the version that added the method or last changed its text;
	// New marks a method of a version after the first.
	Since int64
	New   bool
	m     letters.Method
}

// currentMethods lists the methods of the newest approved version, newest
// first, those matching q (in title, text or guard; every one when q is
// empty), and the version.
func (s *Server) currentMethods(c *gin.Context, q string) ([]alertMethod, store.ContentVersion, error) {
	vs, err := s.store.ContentVersions(c.Request.Context())
	if err != nil {
		return nil, store.ContentVersion{}, err
	}
	var approved []store.ContentVersion
	for _, v := range vs {
		if v.State == store.ContentApproved {
			approved = append(approved, v)
		}
	}
	if len(approved) == 0 {
		return nil, store.ContentVersion{}, nil
	}
	slices.SortFunc(approved, func(a, b store.ContentVersion) int { return cmp.Compare(a.ID, b.ID) })
	since := map[string]int64{}
	seen := map[string]letters.Method{}
	var lib *letters.Library
	for _, v := range approved {
		if lib, err = s.content.Library(c.Request.Context(), v.ID); err != nil {
			return nil, store.ContentVersion{}, err
		}
		for _, m := range lib.Methods {
			if old, ok := seen[m.ID]; !ok || old.Title != m.Title || old.How != m.How || old.Guard != m.Guard {
				since[m.ID] = v.ID
			}
			seen[m.ID] = m
		}
	}
	current := approved[len(approved)-1]
	out := make([]alertMethod, 0, len(lib.Methods))
	for _, m := range lib.Methods {
		if !matchesMethod(m, q) {
			continue
		}
		brief := m.Brief
		if brief == "" {
			brief = clipRunes(m.How, 40)
		}
		out = append(out, alertMethod{Value: fmt.Sprintf("%d:%s", current.ID, m.ID), Version: current.ID, ID: m.ID, Title: m.Title,
			Brief: brief, Since: since[m.ID], New: since[m.ID] != approved[0].ID, m: m})
	}
	// Newest first; within a version, the library's order.
	slices.SortStableFunc(out, func(a, b alertMethod) int { return cmp.Compare(b.Since, a.Since) })
	return out, current, nil
}

// matchesMethod reports whether method m's title or texts hold every word
// of q (spaces separate words; case is ignored).
func matchesMethod(m letters.Method, q string) bool {
	text := strings.ToLower(m.Title + " " + m.How + " " + m.Guard + " " + m.Case + " " + m.Brief)
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// clipRunes cuts s to n characters, with … when it was longer.
func clipRunes(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
