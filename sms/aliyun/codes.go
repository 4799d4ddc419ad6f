package aliyun

import "jiashu/sms"

type reason struct {
	r     sms.Reason
	retry bool
}

// apiCodes are Aliyun's API error codes (API错误码): a request refused with
// one of them failed for every text of it.
var apiCodes = map[string]reason{
	"isv.MOBILE_NUMBER_ILLEGAL":         {sms.ReasonNumber, false},
	"isv.DOMESTIC_NUMBER_NOT_SUPPORTED": {sms.ReasonNumber, false},
	"isv.BUSINESS_LIMIT_CONTROL":        {sms.ReasonTooFrequent, false},
	"isv.DAY_LIMIT_CONTROL":             {sms.ReasonQuota, false},
	"isv.MONTH_LIMIT_CONTROL":           {sms.ReasonQuota, false},
	"isv.AMOUNT_NOT_ENOUGH":             {sms.ReasonBalance, false},
	"isv.OUT_OF_SERVICE":                {sms.ReasonBalance, false},
	"isv.SMS_TEMPLATE_ILLEGAL":          {sms.ReasonUnapproved, false},
	"isv.SMS_SIGNATURE_ILLEGAL":         {sms.ReasonUnapproved, false},
	"isv.SMS_SIGN_ILLEGAL":              {sms.ReasonUnapproved, false},
	"isv.SIGN_STATE_ILLEGAL":            {sms.ReasonUnapproved, false},
	"isv.SMS_SIGNATURE_SCENE_ILLEGAL":   {sms.ReasonUnapproved, false},
	"isv.TEMPLATE_MISSING_PARAMETERS":   {sms.ReasonVariables, false},
	"isv.INVALID_JSON_PARAM":            {sms.ReasonVariables, false},
	"isv.PARAM_LENGTH_LIMIT":            {sms.ReasonVariables, false},
	"isv.PARAM_NOT_SUPPORT_URL":         {sms.ReasonVariables, false},
	"isv.TEMPLATE_PARAMS_ILLEGAL":       {sms.ReasonVariables, false},
	"isv.INVALID_PARAMETERS":            {sms.ReasonVariables, false},
	"isv.BLACK_KEY_CONTROL_LIMIT":       {sms.ReasonContent, false},
	"isv.SMS_CONTENT_ILLEGAL":           {sms.ReasonContent, false},
	"isv.PRODUCT_UN_SUBSCRIPT":          {sms.ReasonAccount, false},
	"isv.PRODUCT_UNSUBSCRIBE":           {sms.ReasonAccount, false},
	"isv.ACCOUNT_NOT_EXISTS":            {sms.ReasonAccount, false},
	"isv.ACCOUNT_ABNORMAL":              {sms.ReasonAccount, false},
	"isv.SECURITY_FROZEN_ACCOUNT":       {sms.ReasonAccount, false},
	"isv.DENY_IP_RANGE":                 {sms.ReasonAccount, false},
	"isp.RAM_PERMISSION_DENY":           {sms.ReasonAccount, false},
	"Forbidden.RAM":                     {sms.ReasonAccount, false},
	"isv.MOBILE_COUNT_OVER_LIMIT":       {sms.ReasonProvider, false},
	"isp.SYSTEM_ERROR":                  {sms.ReasonProvider, true},
	"ServiceUnavailable":                {sms.ReasonProvider, true},
	"InternalError":                     {sms.ReasonProvider, true},
	"Throttling":                        {sms.ReasonBusy, true},
	"Throttling.User":                   {sms.ReasonBusy, true},
	"Throttling.Api":                    {sms.ReasonBusy, true},
	"SignatureDoesNotMatch":             {sms.ReasonCredentials, false},
	"IncompleteSignature":               {sms.ReasonCredentials, false},
	"InvalidAccessKeyId.NotFound":       {sms.ReasonCredentials, false},
	"InvalidAccessKeyId.Inactive":       {sms.ReasonCredentials, false},
	"InvalidTimeStamp.Expired":          {sms.ReasonCredentials, false},
}

// Reason is the reason of an Aliyun API code and whether the request may
// be tried again; an unknown code is the provider's failure, final.
func Reason(code string) (sms.Reason, bool) {
	if r, ok := apiCodes[code]; ok {
		return r.r, r.retry
	}
	return sms.ReasonProvider, false
}
