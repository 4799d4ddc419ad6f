package sms

import "strings"

// Carrier receipt codes are the carriers' (CMPP, SGIP, SMGP) and the
// providers pass them on in delivery reports (Aliyun's ErrCode, Tencent's
// errmsg). There are hundreds, per carrier and province; they fall into a
// few families by their form.
var carrierExact = map[string]Reason{
	"DELIVRD": ReasonNone, "DELIVERED": ReasonNone, "SUCCESS": ReasonNone,
	"UNDELIV": ReasonUnreachable, "EXPIRED": ReasonUnreachable, "DELETED": ReasonUnreachable,
	"002": ReasonUnreachable, "NOROUTE": ReasonUnreachable, "NOROUTER": ReasonUnreachable,
	"PHONEERR": ReasonNumber, "GUNDELIV": ReasonNumber, "NONCHN": ReasonNumber,
	"BLACK": ReasonRefused, "MBBLACK": ReasonRefused, "DBBLACK": ReasonRefused, "TDBLACK": ReasonRefused,
	"TSBLACK": ReasonRefused, "BLOCKED": ReasonRefused, "PUBLOKD": ReasonRefused, "UNSUBSCRIBE": ReasonRefused,
	"DB:0144": ReasonRefused, "HD:0001": ReasonRefused, "MA:0001": ReasonRefused,
	"BEYONDM": ReasonTooFrequent, "BEYONDH": ReasonTooFrequent, "BEYONDD": ReasonTooFrequent,
	"BEYONDN": ReasonTooFrequent, "MILIMIT": ReasonTooFrequent, "LIMIT": ReasonTooFrequent,
	"CTLIMIT": ReasonTooFrequent, "DB:0142": ReasonTooFrequent, "MK:1041": ReasonTooFrequent,
	"KEYWORD": ReasonContent, "KEYWORDS": ReasonContent, "MK:0115": ReasonContent, "MA:0002": ReasonContent,
	"-106": ReasonContent, "CJ:0007": ReasonContent, "MK:1004": ReasonContent,
	"SIGFAIL": ReasonUnapproved, "SIGNBLOCKED": ReasonUnapproved, "QM_FAIL": ReasonUnapproved,
	"XA:0002": ReasonUnapproved, "XA:0003": ReasonUnapproved,
	"DB:0101": ReasonUnreachable, "DB:0102": ReasonUnreachable, "CB:0001": ReasonUnreachable, "CB:0053": ReasonUnreachable,
}

// carrierPrefix: MK:xxxx, MN:xxxx, MI:xxxx and LT:xxxx (and 2:xx) are, in
// the providers' tables, almost all 空号, 停机, 关机 or out of service.
var carrierPrefix = []string{"MK:", "MN:", "MI:", "LT:", "2:", "2_"}

// CarrierReason is the reason of a carrier receipt code; ReasonNone for a
// delivery, ReasonCarrier when the code says nothing a teacher can use.
func CarrierReason(code string) Reason {
	c := strings.ToUpper(strings.TrimSpace(code))
	if r, ok := carrierExact[c]; ok {
		return r
	}
	for _, p := range carrierPrefix {
		if strings.HasPrefix(c, p) {
			return ReasonUnreachable
		}
	}
	if strings.Contains(c, "BLACK") {
		return ReasonRefused
	}
	return ReasonCarrier
}
