package web

import "jiashu/store"

// apiMeetings is the class meetings (主题班会) of an overview row: for a
// class, held 0 or 1 and its day; for a school or the district, how many
// of its classes held one, from the first day to the last.
type apiMeetings struct {
	Held    int    `json:"held"`
	Classes int    `json:"classes"`
	First   string `json:"first,omitempty"` // YYYY-MM-DD
	Last    string `json:"last,omitempty"`
}

func toAPIMeetings(r store.Reach) apiMeetings {
	return apiMeetings{Held: r.Meetings, Classes: r.Classes, First: r.MeetingFirst, Last: r.MeetingLast}
}
