package store

import "time"

// ChinaTime is the district's clock, UTC+8. Every date a person reads or
// types — the date printed on a letter, an acknowledgement deadline (a day,
// inclusive), the day a reminder may be sent — is a day in China, whatever
// zone the server runs in; times are stored in UTC and shown in ChinaTime.
// The zone is fixed (China has no daylight saving time), so the binary needs
// no time zone database.
var ChinaTime = time.FixedZone("CST", 8*3600)
