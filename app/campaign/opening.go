package campaign

import (
	"context"
	"fmt"
	"strings"

	"jiashu/app/content"
	"jiashu/problem"
	"jiashu/store"
)

// A letter for its season (issue 19): a campaign's opening line is one of
// the openings of an approved content version (openings.txt, reviewed with
// the letters by a second person), chosen by name. The campaign keeps the
// text as it was approved, so moving to another content version later
// never changes what its letters say; the room check runs again with the
// campaign's own letters.

// ResolveOpening returns the opening named name of approved content
// version (0: the newest approved; "" and no error for none), refusing
// (problem.Invalid) a name the version lacks or a line that would push
// one of the version's letters past its page. A new campaign pins the
// version the opening was found in (Opening.Version).
func ResolveOpening(ctx context.Context, eng *content.Engines, version int64, name string) (content.Opening, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return content.Opening{}, nil
	}
	if version == 0 {
		var err error
		if version, err = eng.Newest(ctx); err != nil {
			return content.Opening{}, err
		}
	}
	list, err := eng.Openings(ctx, version)
	if err != nil {
		return content.Opening{}, err
	}
	o, ok := content.FindOpening(list, name)
	if !ok {
		return o, &problem.Error{Code: problem.Invalid, Reason: "opening",
			Message: fmt.Sprintf("内容第%d版没有名为“%s”的开头语（%s）。开头语和信一起审核：请先在内容版本的 openings.txt 里写好并通过审核。",
				version, name, openingNames(list))}
	}
	e, err := eng.Approved(ctx, version)
	if err != nil {
		return o, err
	}
	o.Version = version
	msg, err := content.OpeningRoomProblem(e, o.Text)
	if err != nil {
		return o, err
	}
	if msg != "" {
		return o, &problem.Error{Code: problem.Invalid, Reason: "opening", Message: "开头语“" + name + "”：" + msg}
	}
	return o, nil
}

// openingNames lists the names to choose from, in Chinese.
func openingNames(list []content.Opening) string {
	if len(list) == 0 {
		return "这一版没有开头语"
	}
	names := make([]string, len(list))
	for i, o := range list {
		names[i] = "“" + o.Name + "”"
	}
	return "可选：" + strings.Join(names, "、")
}

// SetOpening gives campaign c the opening named name of its pinned content
// version ("" removes it), audited as userID (0: the command line).
func SetOpening(ctx context.Context, st *store.Store, eng *content.Engines, c store.Campaign, name string, userID int64) (store.Campaign, error) {
	o, err := ResolveOpening(ctx, eng, c.ContentVersionID, name)
	if err != nil {
		return c, err
	}
	return st.SetCampaignOpening(ctx, c.ID, o.Name, o.Text, c.ContentVersionID, userID)
}
