package web

import (
	"fmt"
	"strconv"

	"github.com/gin-gonic/gin"
)

// A class page lists its students a page at a time, so that what one
// request renders is bounded whatever a class holds (a class imported
// before the roster's cap, say); the summary still counts the whole class.
const (
	classPageSize = 50  // rows per class page
	classAPISize  = 200 // students per API page: a whole class under the cap
)

// pager says which page of a list is shown, with the links to the others.
type pager struct {
	Page  int `json:"page"`  // 1-based
	Pages int `json:"pages"` // at least 1
	Total int `json:"total"` // rows in the whole list
	First int `json:"-"`     // 1-based number of the first row shown
	Last  int `json:"-"`     // number of the last row shown
	base  string
}

// newPager reads ?page= for a list of total rows, size a page. On a page
// a number beyond the last shows the last (a link kept from a longer
// class); on the API a page that does not exist (past the last, not a
// positive number) is a 404, so a script walking the pages sees the end.
func newPager(c *gin.Context, total, size int, base string) (pager, error) {
	p := pager{Total: total, Pages: max(1, (total+size-1)/size), base: base}
	q, asked := c.GetQuery("page")
	p.Page, _ = strconv.Atoi(q)
	if asked && isAPI(c) && (p.Page < 1 || p.Page > p.Pages) {
		return p, errNotFound
	}
	p.Page = min(max(p.Page, 1), p.Pages)
	p.First = min((p.Page-1)*size+1, total)
	p.Last = min(p.Page*size, total)
	return p, nil
}

// slice is the part of a list of n rows the page shows, as [from, to).
func (p pager) slice() (from, to int) { return max(p.First-1, 0), p.Last }

// URL is the address of page n.
func (p pager) URL(n int) string { return fmt.Sprintf("%s?page=%d", p.base, n) }

// Numbers lists the pages to link to.
func (p pager) Numbers() []int {
	out := make([]int, p.Pages)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// Prev and Next are the numbers of the pages before and after this one.
func (p pager) Prev() int { return p.Page - 1 }
func (p pager) Next() int { return p.Page + 1 }
