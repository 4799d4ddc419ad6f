package store

import "time"

// ChinaTime is UTC+8, the time of every school in the district: dates
// people read (letters, deadlines, "acknowledged on") and the days of the
// overview are China dates, not the server's UTC ones. Fixed, so the
// binary needs no time zone database.
var ChinaTime = time.FixedZone("CST", 8*3600)
