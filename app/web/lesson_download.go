package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/grade"
	"jiashu/letters"
	"jiashu/store"
)

// The class-meeting kit (主题班会) for download: the lesson sheet (A4, for
// the teacher) and the slides (16:9) of an age group, from the kit of the
// school's current campaign (campaign.Lessons). A class's kit names the
// class and the day its meeting was recorded; a school's kits are one per
// age group of its classes. Every download is audited, as letters are.

// lessonKitLink is one age group's kit on the school page and in the API.
type lessonKitLink struct {
	AgeGroup  string `json:"age_group"`
	Label     string `json:"age_group_label"`
	Classes   int    `json:"classes"`
	SheetURL  string `json:"sheet_url"`
	SlidesURL string `json:"slides_url"`
}

// schoolLessonKits lists the kits the school's classes need.
func (s *Server) schoolLessonKits(schoolID int64, classes []store.Class) []lessonKitLink {
	var out []lessonKitLink
	for _, ag := range campaign.AgeGroupsOf(s.cfg.AgeGroups, classes) {
		k := lessonKitLink{AgeGroup: ag, Label: grade.AgeGroup(ag).Label(),
			SheetURL:  fmt.Sprintf("/schools/%d/lessons/%s/sheet.pdf", schoolID, ag),
			SlidesURL: fmt.Sprintf("/schools/%d/lessons/%s/slides.pdf", schoolID, ag)}
		for _, cl := range classes {
			if string(s.cfg.AgeGroups.Of(cl.Grade)) == ag {
				k.Classes++
			}
		}
		out = append(out, k)
	}
	return out
}

// schoolCampaign is the school's campaign the page or request is about
// (campaign.Choose), or the zero campaign (the default kit) when it takes
// part in none.
func (s *Server) schoolCampaign(c *gin.Context, schoolID int64) (store.Campaign, error) {
	ch, ok, err := s.chooseCampaign(c, schoolID)
	if err != nil || !ok {
		return store.Campaign{}, err
	}
	return s.store.Campaign(c.Request.Context(), ch.Campaign.ID)
}

// classLessonSheet: GET /classes/:id/lesson-sheet.pdf (and under /api/v1).
func (s *Server) classLessonSheet(c *gin.Context) error { return s.classLesson(c, false) }

// classLessonSlides: GET /classes/:id/lesson-slides.pdf (and under /api/v1).
func (s *Server) classLessonSlides(c *gin.Context) error { return s.classLesson(c, true) }

func (s *Server) classLesson(c *gin.Context, slides bool) error {
	cl, err := s.classParam(c, "id")
	if err != nil {
		return err
	}
	ag := string(s.cfg.AgeGroups.Of(cl.Grade))
	if ag == "" {
		return refuse(http.StatusNotFound, "no_lesson", "lesson.error.no_age_group")
	}
	v, _, err := s.classView(c, cl, campaign.ClassQuery{})
	if err != nil {
		return err
	}
	m := s.meetingCard(c, cl, v)
	camp := store.Campaign{ID: m.CampaignID, Name: m.Campaign}
	if v.HasCampaign {
		camp = v.Campaign // its deadline is the slips' (campaign.WriteLesson)
	}
	opt := letters.LessonOptions{School: v.School.Name, Class: cl.Name, Date: campaign.ChinaDay(m.HeldOn)}
	what := fmt.Sprintf("class %d %s", cl.ID, cl.Name)
	return s.writeLesson(c, camp, ag, slides, opt, what, campaign.LessonFile(cl.Name, slides))
}

// schoolLesson: GET /schools/:school/lessons/:age/sheet.pdf or slides.pdf
// (and under /api/v1): an age group's kit for the school's classes.
func (s *Server) schoolLesson(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	slides := false
	switch c.Param("file") {
	case "sheet.pdf":
	case "slides.pdf":
		slides = true
	default:
		return errNotFound
	}
	classes, err := s.store.Classes(c.Request.Context(), sc.ID)
	if err != nil {
		return err
	}
	ag := c.Param("age")
	present := false
	for _, k := range s.schoolLessonKits(sc.ID, classes) {
		present = present || k.AgeGroup == ag
	}
	if !present {
		return errNotFound
	}
	camp, err := s.schoolCampaign(c, sc.ID)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("school %d %s", sc.ID, sc.Name)
	return s.writeLesson(c, camp, ag, slides, letters.LessonOptions{School: sc.Name}, what,
		campaign.LessonFile(sc.Name+"-"+grade.AgeGroup(ag).Label(), slides))
}

// apiSchoolLessons: GET /api/v1/schools/:school/lessons: the kits of the
// age groups the school's classes are in.
func (s *Server) apiSchoolLessons(c *gin.Context) error {
	sc, err := s.schoolParam(c, "school")
	if err != nil {
		return err
	}
	classes, err := s.store.Classes(c.Request.Context(), sc.ID)
	if err != nil {
		return err
	}
	camp, err := s.schoolCampaign(c, sc.ID)
	if err != nil {
		return err
	}
	// The links name the campaign: a school holding letters of several
	// running campaigns would otherwise answer them 409.
	q := ""
	if camp.ID != 0 {
		q = fmt.Sprintf("?campaign=%d", camp.ID)
	}
	kits := s.schoolLessonKits(sc.ID, classes)
	for i := range kits {
		kits[i].SheetURL, kits[i].SlidesURL = "/api/v1"+kits[i].SheetURL+q, "/api/v1"+kits[i].SlidesURL+q
	}
	c.JSON(http.StatusOK, gin.H{"school_id": sc.ID, "campaign_id": camp.ID, "campaign": camp.Name, "lessons": kits})
	return nil
}

// writeLesson typesets the kit's sheet or slides, audits the download
// (what: the class or school) and answers the PDF.
func (s *Server) writeLesson(c *gin.Context, camp store.Campaign, ag string, slides bool, opt letters.LessonOptions, what, filename string) error {
	var buf bytes.Buffer
	if err := campaign.WriteLesson(&buf, s.letters, camp, ag, slides, opt); err != nil {
		return err
	}
	kind := "sheet"
	if slides {
		kind = "slides"
	}
	s.audit(c, "lesson_downloaded", fmt.Sprintf("%s, campaign %d, %s %s", what, camp.ID, ag, kind))
	c.Header("Content-Disposition", attachment("lesson-"+ag+"-"+kind+".pdf", filename))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, pdfType, buf.Bytes())
	return nil
}
