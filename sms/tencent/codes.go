package tencent

import (
	"strings"

	"jiashu/sms"
)

type reason struct {
	r             sms.Reason
	retry, unsure bool
}

// codes are Tencent's error codes for SMS (短信 API 3.0 发送错误码) and the
// common ones (公共错误码), as a number's SendStatus Code or a request's
// Error Code.
var codes = map[string]reason{
	"InvalidParameterValue.IncorrectPhoneNumber":                      {r: sms.ReasonNumber},
	"FailedOperation.PhoneNumberParseFail":                            {r: sms.ReasonNumber},
	"UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": {r: sms.ReasonNumber},
	"UnsupportedOperation.UnsupportedRegion":                          {r: sms.ReasonNumber},
	"FailedOperation.PhoneNumberInBlacklist":                          {r: sms.ReasonRefused},
	"FailedOperation.PhoneNumberOnBlacklist":                          {r: sms.ReasonRefused},
	"LimitExceeded.PhoneNumberDailyLimit":                             {r: sms.ReasonTooFrequent},
	"LimitExceeded.PhoneNumberOneHourLimit":                           {r: sms.ReasonTooFrequent},
	"LimitExceeded.PhoneNumberThirtySecondLimit":                      {r: sms.ReasonTooFrequent},
	"LimitExceeded.PhoneNumberSameContentDailyLimit":                  {r: sms.ReasonTooFrequent},
	"LimitExceeded.DeliveryFrequencyLimit":                            {r: sms.ReasonTooFrequent},
	"LimitExceeded.AppDailyLimit":                                     {r: sms.ReasonQuota},
	"LimitExceeded.DailyLimit":                                        {r: sms.ReasonQuota},
	"LimitExceeded.AppGlobalDailyLimit":                               {r: sms.ReasonQuota},
	"LimitExceeded.AppMainlandChinaDailyLimit":                        {r: sms.ReasonQuota},
	"LimitExceeded.PhoneNumberCountLimit":                             {r: sms.ReasonProvider},
	"FailedOperation.InsufficientBalanceInSmsPackage":                 {r: sms.ReasonBalance},
	"UnauthorizedOperation.ServiceSuspendDueToArrears":                {r: sms.ReasonBalance},
	"FailedOperation.SignatureIncorrectOrUnapproved":                  {r: sms.ReasonUnapproved},
	"FailedOperation.TemplateIncorrectOrUnapproved":                   {r: sms.ReasonUnapproved},
	"FailedOperation.MissingSignature":                                {r: sms.ReasonUnapproved},
	"FailedOperation.MissingTemplateToModify":                         {r: sms.ReasonUnapproved},
	"FailedOperation.TemplateUnapprovedOrNotExist":                    {r: sms.ReasonUnapproved},
	"FailedOperation.TemplateParamSetNotMatchApprovedTemplate":        {r: sms.ReasonVariables},
	"InvalidParameterValue.TemplateParameterFormatError":              {r: sms.ReasonVariables},
	"InvalidParameterValue.TemplateParameterLengthLimit":              {r: sms.ReasonVariables},
	"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter":       {r: sms.ReasonVariables},
	"InvalidParameterValue.ContentLengthLimit":                        {r: sms.ReasonVariables},
	"FailedOperation.ContainSensitiveWord":                            {r: sms.ReasonContent},
	"UnauthorizedOperation.SmsSdkAppIdVerifyFail":                     {r: sms.ReasonAccount},
	"UnauthorizedOperation.RequestPermissionDeny":                     {r: sms.ReasonAccount},
	"UnauthorizedOperation.RequestIpNotInWhitelist":                   {r: sms.ReasonAccount},
	"UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny":  {r: sms.ReasonAccount},
	"InvalidParameterValue.SdkAppIdNotExist":                          {r: sms.ReasonAccount},
	"AuthFailure.UnauthorizedOperation":                               {r: sms.ReasonAccount},
	"AuthFailure.SignatureFailure":                                    {r: sms.ReasonCredentials},
	"AuthFailure.SignatureExpire":                                     {r: sms.ReasonCredentials},
	"AuthFailure.SecretIdNotFound":                                    {r: sms.ReasonCredentials},
	"AuthFailure.InvalidSecretId":                                     {r: sms.ReasonCredentials},
	"AuthFailure.InvalidAuthorization":                                {r: sms.ReasonCredentials},
	"InternalError.Timeout":                                           {r: sms.ReasonUnsure, unsure: true},
	// An answer that is not the API's JSON (a proxy's error page): the
	// API may have taken the request.
	"ClientError.ParseJsonError": {r: sms.ReasonUnsure, unsure: true},
	"ClientError.IOError":        {r: sms.ReasonUnsure, unsure: true},
	"InternalError.OtherError":   {r: sms.ReasonProvider},
	"InternalError":              {r: sms.ReasonProvider},
}

// Reason is the reason of a Tencent code, whether the request may be tried
// again (RequestLimitExceeded and its kinds: the API's own rate limit),
// and whether it may have been sent anyway (InternalError.Timeout).
func Reason(code string) (r sms.Reason, retry, unsure bool) {
	if c, ok := codes[code]; ok {
		return c.r, c.retry, c.unsure
	}
	switch {
	case code == "RequestLimitExceeded" || strings.HasPrefix(code, "RequestLimitExceeded."):
		return sms.ReasonBusy, true, false
	case strings.HasPrefix(code, "AuthFailure"):
		return sms.ReasonCredentials, false, false
	case strings.HasPrefix(code, "LimitExceeded.PhoneNumber"):
		return sms.ReasonTooFrequent, false, false
	case strings.HasPrefix(code, "InternalError"):
		return sms.ReasonProvider, false, false
	}
	return sms.ReasonProvider, false, false
}
