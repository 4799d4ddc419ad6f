package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/letters"
	"jiashu/store"
)

// The editor's (教管中心) and the reviewer's (审核员) pages: the versions
// and the review queue, a version with its lint, history and actions, the
// editor with placeholders, method forms and a preview of the real PDF and
// the parent page, and the side-by-side comparison.

// contentPageRoutes adds the pages (routes.go's content block).
func (s *Server) contentPageRoutes(signed *gin.RouterGroup, staff []store.Role) {
	h := s.h
	pages := signed.Group("/", s.requireRole(staff...))
	pages.GET("/content", h(s.contentListPage))
	pages.GET("/content/versions/:version", h(s.contentVersionPage))
	pages.GET("/content/versions/:version/export.zip", h(s.contentZip))
	pages.GET("/content/versions/:version/diff", h(s.contentDiffPage))
	pages.GET("/content/versions/:version/preview.pdf", h(s.contentPreviewPDF))
	pages.GET("/content/versions/:version/preview.html", h(s.contentPreviewParent))
	pages.POST("/content/versions/:version/act/:action", h(s.contentActionForm))
	center := signed.Group("/", s.requireRole(store.RoleDistrictAdmin))
	center.POST("/content/drafts", h(s.contentDraftForm))
	center.POST("/content/import", h(s.contentImportForm))
	center.GET("/content/versions/:version/edit", h(s.contentEditPage))
	center.POST("/content/versions/:version/edit", h(s.contentEditSave))
}

// contentListData is the versions page.
type contentListData struct {
	Versions []store.ContentVersion
	Queue    []store.ContentVersion
	States   map[store.ContentState]string
	Reviewer bool
	Center   bool
	Error    string
}

// contentStates are the states' names on the pages.
func (s *Server) contentStates(c *gin.Context) map[store.ContentState]string {
	out := map[store.ContentState]string{}
	for _, st := range []store.ContentState{store.ContentDraft, store.ContentInReview, store.ContentReturned, store.ContentApproved, store.ContentRetired} {
		out[st] = s.T(c, "content.state."+string(st))
	}
	return out
}

// contentListPage: GET /content.
func (s *Server) contentListPage(c *gin.Context) error {
	return s.renderContentList(c, http.StatusOK, "")
}

func (s *Server) renderContentList(c *gin.Context, status int, problem string) error {
	vs, err := s.store.ContentVersions(c.Request.Context())
	if err != nil {
		return err
	}
	u := currentUser(c)
	d := contentListData{Versions: vs, States: s.contentStates(c), Reviewer: u.Role == store.RoleReviewer,
		Center: u.Role == store.RoleDistrictAdmin, Error: problem}
	for i, v := range vs {
		vs[i].UpdatedAt = v.UpdatedAt.In(campaign.ChinaTime)
		if v.State == store.ContentInReview {
			d.Queue = append(d.Queue, v)
		}
	}
	return s.render(c, status, "content.html", s.T(c, "content.title"), d)
}

// contentDraftForm: POST /content/drafts — a new draft copied from the
// newest approved version.
func (s *Server) contentDraftForm(c *gin.Context) error {
	latest, err := s.store.LatestApprovedContent(c.Request.Context())
	if err != nil {
		return err
	}
	files, err := s.contentFlow().Files(c.Request.Context(), latest.ID)
	if err != nil {
		return err
	}
	v, err := s.contentFlow().NewDraft(c.Request.Context(), currentUser(c).ID, latest.ID, c.PostForm("title"), files)
	if err != nil {
		return contentRefusal(err)
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/content/versions/%d/edit", v.ID))
	return nil
}

// contentImportForm: POST /content/import — a ZIP as a new draft.
func (s *Server) contentImportForm(c *gin.Context) error {
	in, err := s.readDraftInput(c)
	if err == nil {
		var v store.ContentVersion
		if v, err = s.contentFlow().NewDraft(c.Request.Context(), currentUser(c).ID, 0, in.Title, in.Files); err == nil {
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/content/versions/%d", v.ID))
			return nil
		}
		err = contentRefusal(err)
	}
	var r *refusal
	if errors.As(err, &r) && r.msg != "" {
		return s.renderContentList(c, r.status, r.msg)
	}
	return err
}

// contentVersionData is one version's page.
type contentVersionData struct {
	V         store.ContentVersion
	State     string
	Events    []store.ContentEvent
	Lint      content.Problems
	Blocking  bool
	Editable  bool // the center may edit and submit it
	CanReview bool // the reviewer may approve or return it
	IsAuthor  bool
	CanRetire bool
	Notice    string
	Error     string
	// Review is what families will see: the previews of every age group
	// the version changes (content_review.go).
	Review contentReview
}

// contentVersionPage: GET /content/versions/:version.
func (s *Server) contentVersionPage(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	d := contentVersionData{}
	if k := c.Query("done"); k != "" && slices.Contains([]string{"submit", "approve", "return", "retire", "saved"}, k) {
		d.Notice = s.T(c, "content.done."+k)
	}
	return s.renderContentVersion(c, http.StatusOK, v, d)
}

func (s *Server) renderContentVersion(c *gin.Context, status int, v store.ContentVersion, d contentVersionData) error {
	var err error
	d.V, d.State = v, s.contentStates(c)[v.State]
	if d.Events, err = s.store.ContentEvents(c.Request.Context(), v.ID); err != nil {
		return err
	}
	for i := range d.Events {
		d.Events[i].At = d.Events[i].At.In(campaign.ChinaTime)
	}
	if d.Lint, err = s.contentFlow().Lint(c.Request.Context(), v.ID); err != nil {
		return err
	}
	if d.Review, err = s.contentReview(c, v); err != nil {
		return err
	}
	u := currentUser(c)
	d.Blocking = d.Lint.Blocking()
	d.IsAuthor = u.ID == v.AuthorID
	d.Editable = u.Role == store.RoleDistrictAdmin && v.Editable()
	d.CanReview = u.Role == store.RoleReviewer && v.State == store.ContentInReview && !d.IsAuthor
	d.CanRetire = u.Role == store.RoleDistrictAdmin && v.State == store.ContentApproved
	return s.render(c, status, "content_version.html", s.Tf(c, "content.version.title", v.ID), d)
}

// contentActionForm: POST /content/versions/:version/act/{submit,approve,return,retire}.
func (s *Server) contentActionForm(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	action := c.Param("action")
	if err := s.contentAct(c, action, v.ID, c.PostForm("comment")); err != nil {
		var r *refusal
		if errors.As(err, &r) && r.msg != "" {
			return s.renderContentVersion(c, r.status, v, contentVersionData{Error: r.msg})
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/content/versions/%d?done=%s", v.ID, action))
	return nil
}

// editFile is one file tab of the editor.
type editFile struct {
	Path, Label string
	Current     bool
}

// methodRow is a method of the library with the letters that print it.
type methodRow struct {
	content.MethodForm
	UsedBy []string
}

// contentEditData is the editor.
type contentEditData struct {
	V            store.ContentVersion
	Files        []editFile
	File         string
	Text         string
	IsTemplate   bool
	AgeGroup     string
	Placeholders []string
	Methods      []methodRow // methods.txt
	Method       *content.MethodForm
	NewMethod    bool
	AgeGroups    []ageGroupChoice
	Preview      *previewData
	Rooms        []roomLine // the room of the letters being edited (content_rooms.go)
	Lint         content.Problems
	Notice       string
	Error        string
}

type ageGroupChoice struct {
	ID, Label string
	Checked   bool
}

// previewData is the preview beside the editor.
type previewData struct {
	AgeGroup, Label string
	Pages           int
	Fits            bool
	Chars           int
	Minutes         string
	PDFURL          string
	PageURL         string
}

// contentEditPage: GET /content/versions/:version/edit?file=…&method=….
func (s *Server) contentEditPage(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	if !v.Editable() {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/content/versions/%d", v.ID))
		return nil
	}
	files, err := s.contentFlow().Files(c.Request.Context(), v.ID)
	if err != nil {
		return err
	}
	d := contentEditData{}
	if c.Query("saved") != "" {
		d.Notice = s.T(c, "content.done.saved")
	}
	return s.renderEditor(c, http.StatusOK, v, files, c.DefaultQuery("file", content.TemplatePath(letters.PrimaryLower)), c.Query("method"), d)
}

func (s *Server) renderEditor(c *gin.Context, status int, v store.ContentVersion, files content.Files, file, method string, d contentEditData) error {
	if _, ok := files[file]; !ok {
		file = content.MethodsPath
	}
	d.V, d.File = v, file
	if d.Text == "" {
		d.Text = files[file]
	}
	for _, p := range content.KnownPaths() {
		if _, ok := files[p]; ok {
			d.Files = append(d.Files, editFile{Path: p, Label: s.fileLabel(c, p), Current: p == file})
		}
	}
	d.Lint = content.Lint(files, s.letters)
	for _, ag := range letters.AgeGroups() {
		if file == content.TemplatePath(ag) {
			d.IsTemplate, d.AgeGroup = true, ag
		}
	}
	if d.IsTemplate {
		d.Placeholders = letters.Placeholders()
		d.Preview = s.previewOf(c, v.ID, files, d.AgeGroup)
		d.Rooms = s.editorRooms(c, files, d.AgeGroup, "")
	}
	if file == content.MethodsPath {
		var used map[string][]string
		if lib, err := files.Library(); err == nil {
			used = content.UsedBy(lib)
		}
		for _, m := range content.MethodForms(files[file]) {
			row := methodRow{MethodForm: m}
			for _, ag := range used[m.ID] {
				row.UsedBy = append(row.UsedBy, s.T(c, "agegroup."+ag))
			}
			d.Methods = append(d.Methods, row)
			if m.ID == method {
				mm := m
				d.Method = &mm
			}
		}
		if method == "new" {
			d.Method, d.NewMethod = &content.MethodForm{}, true
		} else if d.Method != nil {
			d.Rooms = s.editorRooms(c, files, "", d.Method.ID)
		}
		if d.Method != nil {
			for _, ag := range letters.AgeGroups() {
				d.AgeGroups = append(d.AgeGroups, ageGroupChoice{ID: ag, Label: s.T(c, "agegroup."+ag), Checked: slices.Contains(d.Method.AgeGroups, ag)})
			}
		}
	}
	return s.render(c, status, "content_edit.html", s.Tf(c, "content.edit.title", v.ID), d)
}

// fileLabel names a file for the tabs.
func (s *Server) fileLabel(c *gin.Context, p string) string {
	for _, ag := range letters.AgeGroups() {
		if p == content.TemplatePath(ag) {
			return s.Tf(c, "content.file.template", s.T(c, "agegroup."+ag))
		}
		if p == content.LessonPath(ag) {
			return s.Tf(c, "content.file.lesson", s.T(c, "agegroup."+ag))
		}
	}
	if p == content.OpeningsPath {
		return s.T(c, "content.file.openings")
	}
	return s.T(c, "content.file.methods")
}

// previewOf is the preview's figures; the PDF and the page load from their
// own addresses.
func (s *Server) previewOf(c *gin.Context, id int64, files content.Files, ageGroup string) *previewData {
	p, err := content.MakePreview(files, s.letters, ageGroup, nil)
	if err != nil {
		return nil // the lint says why
	}
	return &previewData{AgeGroup: ageGroup, Label: s.T(c, "agegroup."+ageGroup), Pages: p.Pages, Fits: p.Fits, Chars: p.Chars,
		Minutes: fmt.Sprintf("%.1f", p.Minutes),
		PDFURL:  fmt.Sprintf("/content/versions/%d/preview.pdf?age=%s", id, ageGroup),
		PageURL: fmt.Sprintf("/content/versions/%d/preview.html?age=%s", id, ageGroup)}
}

// contentEditSave: POST /content/versions/:version/edit — a file's text, or
// one method's form (method=ID, or new_id for a new method).
func (s *Server) contentEditSave(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	files, err := s.contentFlow().Files(c.Request.Context(), v.ID)
	if err != nil {
		return err
	}
	file, method := c.PostForm("file"), c.PostForm("method")
	if _, ok := files[file]; !ok {
		return refuseMsg(http.StatusUnprocessableEntity, "invalid", s.T(c, "content.error.file"))
	}
	edited := files.Clone()
	if file == content.MethodsPath && method != "" {
		f := content.MethodForm{ID: method, Title: c.PostForm("title"), How: c.PostForm("how"), Guard: c.PostForm("guard"),
			Case: c.PostForm("case"), Source: c.PostForm("source"), Brief: c.PostForm("brief"), AgeGroups: c.PostFormArray("age_group")}
		if method == "new" {
			f.ID = strings.TrimSpace(c.PostForm("new_id"))
		}
		edited[file] = content.SetMethod(files[file], f)
	} else {
		edited[file] = strings.ReplaceAll(c.PostForm("text"), "\r\n", "\n")
	}
	if err := s.contentFlow().Save(c.Request.Context(), v.ID, currentUser(c).ID, edited); err != nil {
		if msg := content.Refusal(err); msg != "" {
			return s.renderEditor(c, http.StatusUnprocessableEntity, v, edited, file, method, contentEditData{Error: msg})
		}
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/content/versions/%d/edit?file=%s&saved=1#preview", v.ID, file))
	return nil
}

// previewFiles reads a version and the age group asked for.
func (s *Server) previewFiles(c *gin.Context) (content.Files, string, error) {
	v, err := s.contentParam(c)
	if err != nil {
		return nil, "", err
	}
	ag := c.DefaultQuery("age", letters.PrimaryLower)
	if !slices.Contains(letters.AgeGroups(), ag) {
		return nil, "", errNotFound
	}
	files, err := s.contentFlow().Files(c.Request.Context(), v.ID)
	return files, ag, err
}

// framable lets the editor's page (same origin) show a preview in a frame.
func framable(c *gin.Context) {
	c.Header("X-Frame-Options", "SAMEORIGIN")
	c.Header("Content-Security-Policy", "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'")
	c.Header("Cache-Control", "no-store")
}

// contentPreviewPDF: GET /content/versions/:version/preview.pdf?age=… —
// the real PDF page of a sample student (no real family's data).
func (s *Server) contentPreviewPDF(c *gin.Context) error {
	files, ag, err := s.previewFiles(c)
	if err != nil {
		return err
	}
	p, err := content.MakePreview(files, s.letters, ag, nil)
	if err != nil {
		return refuseMsg(http.StatusUnprocessableEntity, "lint", s.T(c, "content.preview.broken"))
	}
	framable(c)
	c.Data(http.StatusOK, pdfType, p.PDF)
	return nil
}

// contentPreviewParent: GET /content/versions/:version/preview.html?age=…
// — the parent's phone page of the sample letter.
func (s *Server) contentPreviewParent(c *gin.Context) error {
	files, ag, err := s.previewFiles(c)
	if err != nil {
		return err
	}
	p, err := content.MakePreview(files, s.letters, ag, nil)
	if err != nil {
		return refuseMsg(http.StatusUnprocessableEntity, "lint", s.T(c, "content.preview.broken"))
	}
	b, err := s.parent.PreviewPage(p.Document, content.SampleLetter(ag))
	if err != nil {
		return err
	}
	framable(c)
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
	return nil
}

// contentDiffData is the comparison page.
type contentDiffData struct {
	V       store.ContentVersion
	Against int64
	Diff    content.Diff
	Review  contentReview
	Lint    content.Problems
}

// contentDiffPage: GET /content/versions/:version/diff[?against=N] —
// against version N, else the version it was based on, else the newest
// approved before it; with the previews of the age groups it touches and
// the lint's findings.
func (s *Server) contentDiffPage(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	r, err := s.contentReview(c, v)
	if err != nil {
		return err
	}
	d := contentDiffData{V: v, Against: r.Against, Diff: r.Diff, Review: r}
	if d.Lint, err = s.contentFlow().Lint(c.Request.Context(), v.ID); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "content_diff.html", s.Tf(c, "content.diff.title", v.ID), d)
}
