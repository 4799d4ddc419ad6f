package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/app/content"
	"jiashu/store"
)

// JSON API of the letter content under review (docs/api.md): the education
// center writes drafts and submits them, a reviewer approves or returns
// them; both read versions, their lint and their ZIP. The store refuses
// a review by the author or by anyone not a reviewer, in the transaction
// that would make the change.

// contentFlow is the content use cases over the server's engines.
func (s *Server) contentFlow() content.Workflow {
	return content.Workflow{Store: s.store, Engines: s.content}
}

// checkContentPin accepts 0 (the newest approved) or an approved version.
func (s *Server) checkContentPin(c *gin.Context, id int64) (int64, error) {
	if id == 0 {
		return 0, nil
	}
	v, err := s.store.ContentVersion(c.Request.Context(), id)
	if err != nil {
		return 0, err
	}
	if v.State != store.ContentApproved {
		return 0, store.ErrContentNotApproved
	}
	return id, nil
}

// formInt reads a form field as a number (0 when absent or not one).
func formInt(c *gin.Context, name string) int64 {
	n, _ := strconv.ParseInt(c.PostForm(name), 10, 64)
	return n
}

// contentRefusal turns a refused content action into its answer.
func contentRefusal(err error) error {
	msg := content.Refusal(err)
	if msg == "" {
		return err
	}
	var le *content.LintError
	switch {
	case errors.Is(err, store.ErrOwnApproval), errors.Is(err, store.ErrNotReviewer), errors.Is(err, store.ErrNotEditor):
		return refuseMsg(http.StatusForbidden, "forbidden", msg)
	case errors.Is(err, store.ErrContentState):
		return refuseMsg(http.StatusConflict, "content_state", msg)
	case errors.As(err, &le):
		return refuseMsg(http.StatusUnprocessableEntity, "lint", msg)
	}
	return refuseMsg(http.StatusUnprocessableEntity, "invalid", msg)
}

// apiContentVersion is a version as the API shows it.
type apiContentVersion struct {
	ID            int64             `json:"id"`
	State         string            `json:"state"`
	Title         string            `json:"title"`
	Author        string            `json:"author"`
	BasedOn       int64             `json:"based_on"`
	Reviewer      string            `json:"reviewer"`
	ReviewComment string            `json:"review_comment"`
	UpdatedAt     campaign.Moment   `json:"updated_at"`
	Files         map[string]string `json:"files,omitempty"`
	Lint          content.Problems  `json:"lint,omitempty"`
}

func toAPIContent(v store.ContentVersion) apiContentVersion {
	return apiContentVersion{ID: v.ID, State: string(v.State), Title: v.Title, Author: v.AuthorName, BasedOn: v.BasedOn,
		Reviewer: v.ReviewerName, ReviewComment: v.ReviewComment, UpdatedAt: campaign.At(v.UpdatedAt)}
}

// contentParam loads the version of the path.
func (s *Server) contentParam(c *gin.Context) (store.ContentVersion, error) {
	id, err := s.idParam(c, "version")
	if err != nil {
		return store.ContentVersion{}, err
	}
	return s.store.ContentVersion(c.Request.Context(), id)
}

// apiContentVersions: GET /api/v1/content/versions.
func (s *Server) apiContentVersions(c *gin.Context) error {
	vs, err := s.store.ContentVersions(c.Request.Context())
	if err != nil {
		return err
	}
	out := []apiContentVersion{}
	for _, v := range vs {
		out = append(out, toAPIContent(v))
	}
	c.JSON(http.StatusOK, gin.H{"versions": out})
	return nil
}

// apiContentVersion: GET /api/v1/content/versions/:version, with its files and lint.
func (s *Server) apiContentVersion(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	files, err := s.contentFlow().Files(c.Request.Context(), v.ID)
	if err != nil {
		return err
	}
	out := toAPIContent(v)
	out.Files, out.Lint = files, content.Lint(files, s.letters)
	if out.Lint == nil {
		out.Lint = content.Problems{}
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// contentZip: GET …/content/versions/:version/export.zip (pages and API),
// audited: shared content leaves the service.
func (s *Server) contentZip(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	files, err := s.contentFlow().Files(c.Request.Context(), v.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := content.WriteZip(&buf, files, v.UpdatedAt); err != nil {
		return err
	}
	s.audit(c, "content_exported", fmt.Sprintf("content version %d as ZIP", v.ID))
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="content-v%d.zip"`, v.ID))
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
	return nil
}

// contentDraftInput is a new draft or a draft's files, as JSON.
type contentDraftInput struct {
	Title   string            `json:"title"`
	BasedOn int64             `json:"based_on"`
	Files   map[string]string `json:"files"`
}

// readDraftInput reads JSON, or a multipart form with a ZIP in "file".
func (s *Server) readDraftInput(c *gin.Context) (contentDraftInput, error) {
	var in contentDraftInput
	if fh, err := c.FormFile("file"); err == nil {
		if fh.Size > content.MaxTotalBytes {
			return in, refuseMsg(http.StatusRequestEntityTooLarge, "too_large", "压缩包太大（不超过2MB）。")
		}
		f, err := fh.Open()
		if err != nil {
			return in, err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, content.MaxTotalBytes+1))
		if err != nil {
			return in, err
		}
		files, err := content.ReadZip(data)
		if err != nil {
			return in, contentRefusal(err)
		}
		in.Title, in.Files = c.PostForm("title"), files
		return in, nil
	}
	if c.ContentType() == "multipart/form-data" { // a form without its ZIP
		return in, refuse(http.StatusBadRequest, "file_missing", "content.error.no_zip")
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		return in, refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	return in, nil
}

// needTitle refuses a JSON draft without a title (a copy of a version
// would otherwise be an untitled draft in the reviewers' list).
func (s *Server) needTitle(c *gin.Context, in contentDraftInput) error {
	if c.ContentType() == "application/json" && strings.TrimSpace(in.Title) == "" {
		return refuse(http.StatusUnprocessableEntity, "invalid", "content.error.no_title")
	}
	return nil
}

// apiContentCreate: POST /api/v1/content/versions → 201, a new draft.
func (s *Server) apiContentCreate(c *gin.Context) error {
	in, err := s.readDraftInput(c)
	if err == nil {
		err = s.needTitle(c, in)
	}
	if err != nil {
		return err
	}
	v, err := s.contentFlow().NewDraft(c.Request.Context(), currentUser(c).ID, in.BasedOn, in.Title, in.Files)
	if err != nil {
		return contentRefusal(err)
	}
	created(c, fmt.Sprintf("/api/v1/content/versions/%d", v.ID), toAPIContent(v))
	return nil
}

// apiContentSave: PUT /api/v1/content/versions/:version/files.
func (s *Server) apiContentSave(c *gin.Context) error {
	v, err := s.contentParam(c)
	if err != nil {
		return err
	}
	in, err := s.readDraftInput(c)
	if err != nil {
		return err
	}
	if err := s.contentFlow().Save(c.Request.Context(), v.ID, currentUser(c).ID, in.Files); err != nil {
		return contentRefusal(err)
	}
	return s.apiContentVersion(c)
}

// apiContentAction: POST /api/v1/content/versions/:version/{submit,approve,return}
// with {"comment": …}.
func (s *Server) apiContentAction(action string) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		v, err := s.contentParam(c)
		if err != nil {
			return err
		}
		var in struct {
			Comment string `json:"comment"`
		}
		if c.Request.ContentLength != 0 {
			if err := c.ShouldBindJSON(&in); err != nil {
				return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
			}
		}
		if err := s.contentAct(c, action, v.ID, in.Comment); err != nil {
			return err
		}
		v, err = s.store.ContentVersion(c.Request.Context(), v.ID)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, toAPIContent(v))
		return nil
	}
}

// contentAct runs one transition as the current user.
func (s *Server) contentAct(c *gin.Context, action string, id int64, comment string) error {
	w, uid, ctx := s.contentFlow(), currentUser(c).ID, c.Request.Context()
	var err error
	switch action {
	case "submit":
		err = w.Submit(ctx, id, uid)
	case "approve":
		err = w.Approve(ctx, id, uid, comment)
	case "return":
		err = w.Return(ctx, id, uid, comment)
	case "retire":
		err = s.store.RetireContent(ctx, id, uid)
	default:
		return errNotFound
	}
	if err != nil {
		return contentRefusal(err)
	}
	return nil
}

// apiCampaignContent: PUT /api/v1/campaigns/:campaign/content {"version": N}
// moves a campaign to another approved version; letters already produced
// keep theirs.
func (s *Server) apiCampaignContent(c *gin.Context) error {
	cp, err := s.campaignParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Version int64 `json:"version"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.Version == 0 {
		return refuseMsg(http.StatusBadRequest, "bad_request", s.T(c, "api.error.bad_json"))
	}
	if err := s.store.MoveCampaignContent(c.Request.Context(), cp.ID, in.Version, currentUser(c).ID); err != nil {
		if msg := content.Refusal(err); msg != "" {
			return refuseMsg(http.StatusUnprocessableEntity, "invalid", msg)
		}
		return err
	}
	cp, err = s.store.Campaign(c.Request.Context(), cp.ID)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, s.toAPICampaignLife(cp))
	return nil
}
