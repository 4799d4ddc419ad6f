package campaign

import (
	"jiashu/problem"
	"jiashu/store"
)

// CheckOpen refuses (problem.Conflict) to produce letters or send
// reminders in a campaign that has ended: one whose personal data was
// purged (its letters and codes are gone and the store takes no new ones,
// so printing would fail and a letters job's page would only tell the user
// to retry), or one the center has closed (its pages stay readable and
// paper slips can still be recorded, but nothing new goes out to the
// families). A campaign only past its deadline is not refused: late
// families may still be chased until the center closes it. cp is the
// campaign as loaded (State, Purged).
func CheckOpen(cp store.Campaign) error {
	switch {
	case cp.Purged:
		return &problem.Error{Code: problem.Conflict, Reason: "campaign_purged", Key: "campaign.error.purged",
			Message: "本活动的个人信息已按规定清除，不能再生成家书；如需继续宣传，请新建一个宣传活动。"}
	case cp.State == store.CampaignClosed:
		return &problem.Error{Code: problem.Conflict, Reason: "campaign_closed", Key: "campaign.error.closed",
			Message: "教管中心已结束这个宣传活动，不能再发送提醒或生成家书；如需继续，请教管中心重新开始活动。"}
	}
	return nil
}
