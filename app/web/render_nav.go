package web

import (
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/store"
)

// navItem is a link of the header's navigation.
type navItem struct {
	Href   string
	Key    string // catalogue key of the label
	Active bool
}

// navEntry says who sees a link.
type navEntry struct {
	href  string
	key   string
	roles []store.Role
}

// navEntries is the header navigation, in order. Each part of the product
// adds a line for its start page.
func navEntries() []navEntry {
	return []navEntry{
		{"/classes", "nav.classes", []store.Role{store.RoleTeacher, store.RoleSchoolAdmin, store.RoleDistrictAdmin}},
		// The school administrator's and the district's pages (school_page.go, district_page.go, …).
		{"/school", "nav.school", []store.Role{store.RoleSchoolAdmin}},
		{"/district", "nav.district", []store.Role{store.RoleDistrictAdmin}},
		{"/campaigns", "nav.campaigns", []store.Role{store.RoleDistrictAdmin}},
		{"/overview", "nav.overview", []store.Role{store.RoleDistrictAdmin}},
		// Letter content under review (content_pages.go).
		{"/content", "nav.content", []store.Role{store.RoleDistrictAdmin, store.RoleReviewer}},
		// New-scam alerts (alerts.go).
		{"/alerts", "nav.alerts", []store.Role{store.RoleDistrictAdmin}},
	}
}

// navFor lists the links the request's user sees, marking the current one.
func navFor(c *gin.Context) []navItem {
	u := currentUser(c)
	if u == nil || u.MustChangePassword {
		return nil
	}
	var out []navItem
	for _, e := range navEntries() {
		if slices.Contains(e.roles, u.Role) {
			p := c.Request.URL.Path
			out = append(out, navItem{Href: e.href, Key: e.key, Active: p == e.href || strings.HasPrefix(p, e.href+"/")})
		}
	}
	return out
}
