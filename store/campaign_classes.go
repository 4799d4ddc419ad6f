package store

import (
	"context"
	"fmt"
)

// CampaignClass is a class of a campaign's schools with what its families'
// texts are filled with: its head teacher, its school and the school's
// details, the day its class meeting was held. A new-scam alert is checked
// against every one before it is published (issue 19).
type CampaignClass struct {
	ClassID     int64
	ClassName   string
	HeadTeacher string
	SchoolName  string
	Details     SchoolDetails
	MeetingDay  string // 'YYYY-MM-DD' in China, "" when none is recorded
}

// CampaignClasses lists the classes with active students of campaign
// campaignID's schools, by school and class.
func (s *Store) CampaignClasses(ctx context.Context, campaignID int64) ([]CampaignClass, error) {
	rows, err := s.db.QueryContext(ctx, s.Rebind(`SELECT c.id, c.name, c.head_teacher, sc.name, sc.id,
		COALESCE(sd.phone, ''), COALESCE(sd.fee_rule, ''), COALESCE(sd.police_station, ''), COALESCE(sd.police_phone, ''),
		COALESCE(cm.held_on, '')
		FROM campaign_schools cs
		JOIN schools sc ON sc.id = cs.school_id
		JOIN classes c ON c.school_id = sc.id
		LEFT JOIN school_details sd ON sd.school_id = sc.id
		LEFT JOIN class_meetings cm ON cm.campaign_id = cs.campaign_id AND cm.class_id = c.id
		WHERE cs.campaign_id = ? AND EXISTS (SELECT 1 FROM students st WHERE st.class_id = c.id AND st.active = TRUE)
		ORDER BY sc.name, c.grade, c.number`), campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: classes of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var out []CampaignClass
	for rows.Next() {
		var c CampaignClass
		d := &c.Details
		if err := rows.Scan(&c.ClassID, &c.ClassName, &c.HeadTeacher, &c.SchoolName, &d.SchoolID,
			&d.Phone, &d.FeeRule, &d.PoliceStation, &d.PolicePhone, &c.MeetingDay); err != nil {
			return nil, fmt.Errorf("store: classes of campaign %d: %w", campaignID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: classes of campaign %d: %w", campaignID, err)
	}
	return out, nil
}
