package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiashu/app/campaign"
	"jiashu/store"
)

// A school's pages (class page, 回执登记, reminders, school page, jobs, the
// overview) are about one campaign, which they name; the school's running
// campaigns stand beside it as tabs with their progress and next step, and
// its earlier ones in a chooser. The choice travels as ?campaign=ID in
// links and a "campaign" field in forms; without one campaign.Choose
// decides (the one rule): the one the user last worked in for the school
// (remembered in the database, so on every device), else the one whose
// letters the class or school holds, else the newest running one. Nothing
// switches on its own: a campaign the center starts later is announced by
// a notice with a link (layout), never shown in place of the page's. The
// API takes the same parameter; without it, it answers for the campaign
// whose letters the class or school holds, or 409 listing them when it
// holds letters of several running campaigns.

// campaignOption is one campaign in a page's chooser.
type campaignOption struct {
	ID       int64
	Name     string
	Phase    string // store.CampaignRunning, CampaignClosed, CampaignPurged
	Selected bool
}

// campaignTab is a running campaign beside the page's, with its progress
// in the class or school and its next step (nil Progress on the center's
// district-wide pages).
type campaignTab struct {
	ID       int64
	Name     string
	Href     string // this page about that campaign
	Current  bool
	New      bool // started since the user last looked: not yet seen
	Progress *store.ClassProgress
	Step     string // the next step's key (todo.step.*), "" when none is known
}

// campaignChoice is the campaign a page shows and the ones it offers.
type campaignChoice struct {
	Campaign store.Campaign
	Phase    string
	Tabs     []campaignTab    // the running campaigns, first started first
	Options  []campaignOption // every campaign of the school, for the chooser
}

// Query is "?campaign=ID", for links from the page.
func (ch campaignChoice) Query() string { return fmt.Sprintf("?campaign=%d", ch.Campaign.ID) }

// Param is "campaign=ID", for links that have other parameters.
func (ch campaignChoice) Param() string { return fmt.Sprintf("campaign=%d", ch.Campaign.ID) }

// Current is the tab of the campaign shown; nil when it is not running.
func (ch campaignChoice) Current() *campaignTab {
	for i := range ch.Tabs {
		if ch.Tabs[i].Current {
			return &ch.Tabs[i]
		}
	}
	return nil
}

// ShowTabs reports whether the page shows the running campaigns as tabs:
// when more than one runs, or the one shown is not running.
func (ch campaignChoice) ShowTabs() bool {
	return len(ch.Tabs) > 1 || len(ch.Tabs) == 1 && ch.Current() == nil
}

// Earlier reports whether the chooser has campaigns that are not tabs.
func (ch campaignChoice) Earlier() bool { return len(ch.Options) > len(ch.Tabs) }

// requestedCampaign reads the campaign a request names (query, else form);
// 0 when it names none. A malformed value is a 404, like an unknown id.
func requestedCampaign(c *gin.Context) (int64, error) {
	v := c.Query("campaign")
	if v == "" {
		v = c.PostForm("campaign")
	}
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// campaignScope is what a page picks its campaign in: a school (ID), or
// the district (0).
type campaignScope struct {
	ID       int64
	List     []store.Campaign       // its campaigns, newest first
	Progress store.CampaignProgress // its progress in them (nil for the district)
	Holding  []int64                // the running campaigns whose letters it holds
	// step is the next step of the scope in a campaign with progress p.
	step func(campaignID int64, p store.ClassProgress) string
}

// schoolScope reads a school's campaigns and its progress in the running
// ones.
func (s *Server) schoolScope(c *gin.Context, schoolID int64) (campaignScope, error) {
	sc := campaignScope{ID: schoolID, step: schoolStep}
	var err error
	if sc.List, err = s.store.SchoolCampaigns(c.Request.Context(), schoolID); err != nil {
		return sc, err
	}
	ids := campaign.IDs(campaign.Running(sc.List, s.store.Today()))
	if sc.Progress, err = s.store.SchoolCampaignProgress(c.Request.Context(), schoolID, ids); err != nil {
		return sc, err
	}
	sc.Holding = sc.Progress.Holding(ids)
	return sc, nil
}

// chooseCampaign resolves the campaign of a school's page (campaign.Choose
// on the school's campaigns, its letters and what the user remembers). ok
// is false with no error when the school takes part in no campaign yet. On
// the API, a school holding letters of several running campaigns is a 409
// listing them, unless the request names one.
func (s *Server) chooseCampaign(c *gin.Context, schoolID int64) (ch campaignChoice, ok bool, err error) {
	sc, err := s.schoolScope(c, schoolID)
	if err != nil {
		return ch, false, err
	}
	return s.choose(c, sc, s.T(c, "campaign.several.school"))
}

// choose applies campaign.Choose in scope sc for the request: what it
// names, what the user remembers (pages only), what sc holds; it records
// the campaign shown as the one the user works in, and the notices of
// campaigns started since.
func (s *Server) choose(c *gin.Context, sc campaignScope, of string) (campaignChoice, bool, error) {
	want, err := requestedCampaign(c)
	if err != nil {
		return campaignChoice{}, false, err
	}
	mem, err := s.campaignMemory(c, sc.ID)
	if err != nil {
		return campaignChoice{}, false, err
	}
	ch, err := campaign.Choose(sc.List, campaign.Ask{Want: want, Remembered: mem.Last, Holding: sc.Holding}, s.store.Today())
	if err != nil {
		return campaignChoice{}, false, errNotFound
	}
	if !ch.OK {
		return campaignChoice{}, false, nil
	}
	if want == 0 && isAPI(c) {
		if err := ch.Refusal(of); err != nil {
			return campaignChoice{}, false, err
		}
	}
	return s.shown(c, sc, ch.Campaign, mem)
}

// shown is the chooser of a page of scope sc showing chosen, after
// recording it as the campaign the user works in (pages only) and setting
// the notices of the campaigns started since the user last looked.
func (s *Server) shown(c *gin.Context, sc campaignScope, chosen store.Campaign, mem store.CampaignMemory) (campaignChoice, bool, error) {
	today := s.store.Today()
	ch := campaignChoice{Campaign: chosen, Phase: chosen.Phase(today)}
	u := currentUser(c)
	fresh := map[int64]bool{}
	if !isAPI(c) && u != nil {
		if mem.Last != chosen.ID || !mem.Seen[chosen.ID] {
			if err := s.store.RememberCampaign(c.Request.Context(), u.ID, sc.ID, chosen.ID); err != nil {
				return ch, false, err
			}
		}
		news := campaign.Notices(sc.List, chosen, mem.Seen, u.CreatedAt, today)
		for _, cp := range news {
			fresh[cp.ID] = true
		}
		s.setNotices(c, news, chosen.Name)
	}
	for _, cp := range sc.List {
		ch.Options = append(ch.Options, campaignOption{ID: cp.ID, Name: cp.Name, Phase: cp.Phase(today), Selected: cp.ID == chosen.ID})
	}
	for _, cp := range campaign.Running(sc.List, today) {
		tab := campaignTab{ID: cp.ID, Name: cp.Name, Href: fmt.Sprintf("%s?campaign=%d", c.Request.URL.Path, cp.ID),
			Current: cp.ID == chosen.ID, New: fresh[cp.ID]}
		if p, ok := sc.Progress[cp.ID]; ok && sc.step != nil {
			tab.Progress, tab.Step = &p, sc.step(cp.ID, p)
		}
		ch.Tabs = append(ch.Tabs, tab)
	}
	return ch, true, nil
}

// campaignMemory is what the user's pages remember in scope (a school, or
// 0 for the district): nothing for the API, which answers the same to
// every caller.
func (s *Server) campaignMemory(c *gin.Context, scope int64) (store.CampaignMemory, error) {
	u := currentUser(c)
	if isAPI(c) || u == nil {
		return store.CampaignMemory{Seen: map[int64]bool{}}, nil
	}
	return s.store.RememberedCampaigns(c.Request.Context(), u.ID, scope)
}

// classView reads class cl in the campaign its page shows (the one the
// request names, else the one the user last worked in for the school, else
// the one whose letters the class holds, else the newest running one:
// campaign.Choose), with what q asks for: campaign.Class, one store read.
// The choice is nil when the school takes part in no campaign yet. On the
// API, a class holding letters of several running campaigns is a 409
// listing them, unless the request names one (?campaign=, or q.Want when a
// handler read it from elsewhere: a JSON body's campaign_id).
func (s *Server) classView(c *gin.Context, cl store.Class, q campaign.ClassQuery) (campaign.ClassView, *campaignChoice, error) {
	want, err := requestedCampaign(c)
	if err != nil {
		return campaign.ClassView{}, nil, err
	}
	if want == 0 {
		want = q.Want
	}
	mem, err := s.campaignMemory(c, cl.SchoolID)
	if err != nil {
		return campaign.ClassView{}, nil, err
	}
	q.ClassID, q.Want, q.Remembered = cl.ID, want, mem.Last
	v, err := campaign.Class(c.Request.Context(), s.store, q)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return v, nil, errNotFound
		}
		return v, nil, err
	}
	if !v.HasCampaign {
		return v, nil, nil
	}
	if want == 0 && isAPI(c) {
		if err := v.Choice().Refusal(s.Tf(c, "campaign.several.class", cl.Name)); err != nil {
			return v, nil, err
		}
	}
	sc := campaignScope{ID: cl.SchoolID, List: v.Campaigns, Progress: v.Progress,
		step: func(id int64, p store.ClassProgress) string { return nextStep(cl.ID, id, p).Step }}
	ch, _, err := s.shown(c, sc, v.Campaign, mem)
	return v, &ch, err
}

// setNotices puts the notices of campaigns started since the user last
// looked on the page the request renders (the layout shows them); kept
// names the campaign the page still shows ("" on a page showing them all).
func (s *Server) setNotices(c *gin.Context, list []store.Campaign, kept string) {
	var out []campaignNotice
	for _, cp := range list {
		out = append(out, campaignNotice{ID: cp.ID, Name: cp.Name, Kept: kept,
			Href: fmt.Sprintf("%s?campaign=%d", c.Request.URL.Path, cp.ID), Back: c.Request.URL.RequestURI()})
	}
	c.Set(noticesKey, out)
}

// noticesOfAll drops "this page still shows …" from the request's notices:
// the page shows every running campaign (我的班级).
func noticesOfAll(c *gin.Context) {
	list := notices(c)
	for i := range list {
		list[i].Kept = ""
	}
}

// noticesKey holds a request's campaign notices for the layout.
const noticesKey = "campaign_notices"

// campaignNotice is "新的宣传活动已开始：…" with a link to this page about
// it and a button that dismisses it (back: where to return).
type campaignNotice struct {
	ID         int64
	Name, Kept string
	Href, Back string
}

// notices are the campaign notices set for the request.
func notices(c *gin.Context) []campaignNotice {
	v, _ := c.Get(noticesKey)
	list, _ := v.([]campaignNotice)
	return list
}

// dismissNotice: POST /campaign-notices/:campaign/dismiss (back): the user
// has seen the notice of a campaign; back to the page it was on.
func (s *Server) dismissNotice(c *gin.Context) error {
	id, err := s.idParam(c, "campaign")
	if err != nil {
		return err
	}
	if _, err := s.store.Campaign(c.Request.Context(), id); err != nil {
		return errNotFound
	}
	if err := s.store.DismissCampaign(c.Request.Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	back := c.PostForm("back")
	if !localPath(back) {
		back = "/"
	}
	c.Redirect(http.StatusSeeOther, back)
	return nil
}

// localPath reports whether p is a path of this site (not //host or a
// scheme), safe to redirect to.
func localPath(p string) bool {
	return len(p) > 0 && p[0] == '/' && (len(p) == 1 || p[1] != '/' && p[1] != '\\')
}

// schoolStep is a school's next step in a campaign: its letters, then the
// families who have not acknowledged.
func schoolStep(_ int64, p store.ClassProgress) string {
	switch {
	case p.Students == 0:
		return "roster"
	case p.Letters < p.Students:
		return "school_letters"
	case p.Acknowledged < p.Letters:
		return "remind"
	}
	return "done"
}
