package web

import (
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/content"
	"jiashu/store"
)

// School details never silently blank (issue 19): the school page, the
// campaign page and the center's overview flag the schools whose letters
// use details they have not filled in (content.DetailGaps): on paper the
// letter prints a write-in blank or leaves the line out, on the parents'
// page it says 请向班主任询问.

// schoolGapRow is a school whose letters lack details.
type schoolGapRow struct {
	SchoolID int64
	School   string
	Names    []string // 学校电话, 派出所 …
	Message  string   // what that does to the letters, in Chinese
	Needed   bool     // some detail has no fallback: letters are refused
}

// gapRow is the row of school sc with details d in the letters of
// library lib; ok is false when nothing is missing.
func (s *Server) gapRow(c *gin.Context, lib content.Gapper, sc store.School, d store.SchoolDetails) (schoolGapRow, bool) {
	gaps := lib(d)
	if len(gaps) == 0 {
		return schoolGapRow{}, false
	}
	row := schoolGapRow{SchoolID: sc.ID, School: sc.Name, Names: content.GapNames(gaps), Message: s.gapText(c, gaps)}
	for _, g := range gaps {
		row.Needed = row.Needed || g.Needed
	}
	return row, true
}

// gapText says what gaps do to the letters in the page's language
// (content.GapsMessage is the command line's and the jobs').
func (s *Server) gapText(c *gin.Context, gaps []content.DetailGap) string {
	sep := s.T(c, "list.sep")
	msg := s.Tf(c, "gaps.message", strings.Join(content.GapNames(gaps), sep))
	var needed []string
	for _, g := range gaps {
		if g.Needed {
			needed = append(needed, g.Name)
		}
	}
	if len(needed) > 0 {
		msg += s.Tf(c, "gaps.needed", strings.Join(needed, sep))
	}
	return msg
}

// schoolsGaps lists, of the schools, those whose letters in content
// version lack details: one read of every school's details.
func (s *Server) schoolsGaps(c *gin.Context, version int64, schools []store.School) ([]schoolGapRow, error) {
	gapper, err := s.content.Gapper(c.Request.Context(), version)
	if err != nil {
		return nil, err
	}
	all, err := s.store.AllSchoolDetails(c.Request.Context())
	if err != nil {
		return nil, err
	}
	var out []schoolGapRow
	for _, sc := range schools {
		if row, ok := s.gapRow(c, gapper, sc, all[sc.ID]); ok {
			out = append(out, row)
		}
	}
	return out, nil
}

// campaignSchools are the schools of campaign cp, by name.
func (s *Server) campaignSchools(c *gin.Context, cp store.Campaign) ([]store.School, error) {
	all, err := s.store.Schools(c.Request.Context())
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for _, id := range cp.SchoolIDs {
		in[id] = true
	}
	var out []store.School
	for _, sc := range all {
		if in[sc.ID] {
			out = append(out, sc)
		}
	}
	return out, nil
}

// schoolGaps is school sc's row in the letters of campaign cp (nil when
// nothing is missing; the newest approved content without a campaign).
func (s *Server) schoolGaps(c *gin.Context, sc store.School, cp *store.Campaign) (*schoolGapRow, error) {
	version, err := s.content.Newest(c.Request.Context())
	if err != nil {
		return nil, err
	}
	if cp != nil {
		full, err := s.store.Campaign(c.Request.Context(), cp.ID)
		if err != nil {
			return nil, err
		}
		version = full.ContentVersionID
	}
	rows, err := s.schoolsGaps(c, version, []store.School{sc})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// familyTextCards fills the campaign page's cards of what each family
// receives: its opening line and its schools lacking details.
func (s *Server) familyTextCards(c *gin.Context, cp store.Campaign, d *campaignPageData) error {
	if cp.ID != 0 && cp.ContentVersionID == 0 {
		full, err := s.store.Campaign(c.Request.Context(), cp.ID) // a form refused: the stored version
		if err != nil {
			return err
		}
		cp.ContentVersionID = full.ContentVersionID
	}
	var err error
	if d.Opening, err = s.openingCard(c, cp); err != nil {
		return err
	}
	schools, err := s.campaignSchools(c, cp)
	if err != nil {
		return err
	}
	d.Gaps, err = s.schoolsGaps(c, cp.ContentVersionID, schools)
	return err
}
