// Package tencent sends texts through 腾讯云短信 (service sms, version
// 2021-01-11: SendSms, PullSmsSendStatus, and the status callback) with
// Tencent Cloud's own common client, which signs every request
// (TC3-HMAC-SHA256). The product's generated module is not used: the
// common client's generic request carries the action and its parameters.
package tencent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"jiashu/sms"
)

// Version is the SMS API version.
const Version = "2021-01-11"

// DefaultEndpoint is the public API host.
const DefaultEndpoint = "sms.tencentcloudapi.com"

// BatchSize is the most numbers SendSms takes in one request.
const BatchSize = 200

// Config is how the app reaches its Tencent Cloud account.
type Config struct {
	SecretID  string
	SecretKey sms.Secret
	// AppID is the SMS application's SdkAppId (1400006666).
	AppID string
	// SignName is the approved signature, without 【】.
	SignName string
	// Region is ap-guangzhou when "" (also ap-beijing, ap-nanjing).
	Region string
	// Endpoint overrides the API host, as for Aliyun.
	Endpoint string
	// Timeout bounds one request; 10 s when 0.
	Timeout time.Duration
}

// Provider is a Tencent Cloud SMS application.
type Provider struct {
	cfg    Config
	ep     sms.Endpoint
	client *common.Client
}

var appID = regexp.MustCompile(`^14[0-9]{8}$`)

// New checks the config and makes the client.
func New(cfg Config) (*Provider, error) {
	ep, err := sms.CheckAccount(cfg.SecretID, cfg.SecretKey, cfg.SignName, cfg.Endpoint, DefaultEndpoint)
	if err != nil {
		return nil, fmt.Errorf("tencent: %w", err)
	}
	if !appID.MatchString(cfg.AppID) {
		return nil, fmt.Errorf("tencent: SdkAppId %q is not a 10-digit ID starting 14", cfg.AppID)
	}
	if cfg.Region == "" {
		cfg.Region = "ap-guangzhou"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	prof := profile.NewClientProfile()
	prof.HttpProfile.Endpoint = ep.Host
	prof.HttpProfile.Scheme = strings.ToUpper(ep.Scheme)
	prof.HttpProfile.ReqMethod = "POST"
	prof.HttpProfile.ReqTimeout = max(1, int(cfg.Timeout/time.Second))
	cred := common.NewCredential(cfg.SecretID, cfg.SecretKey.Reveal())
	return &Provider{cfg: cfg, ep: ep, client: common.NewCommonClient(cred, cfg.Region, prof)}, nil
}

// Name is "tencent".
func (p *Provider) Name() string { return "tencent" }

// Limits: 200 numbers a request, all with the same variables; 20 requests a
// second at most (SendSms allows 3000).
func (p *Provider) Limits() sms.Limits {
	return sms.Limits{PerRequest: BatchSize, SameParams: true, Interval: 50 * time.Millisecond}
}

// String names the application without its key.
func (p *Provider) String() string {
	return fmt.Sprintf("tencent(%s://%s, id %s, app %s, sign %s)", p.ep.Scheme, p.ep.Host, p.cfg.SecretID, p.cfg.AppID, p.cfg.SignName)
}

// GoString is String: %#v must not reach the client's credential.
func (p *Provider) GoString() string { return p.String() }

// call makes one request and decodes the Response object into out.
func (p *Provider) call(ctx context.Context, action string, params map[string]any, out any) error {
	req := tchttp.NewCommonRequest("sms", Version, action)
	req.SetContext(ctx)
	if err := req.SetActionParameters(params); err != nil {
		return &sms.Error{Provider: "tencent", Code: "parameters", Reason: sms.ReasonProvider, Err: err}
	}
	resp := tchttp.NewCommonResponse()
	if err := p.client.Send(req, resp); err != nil {
		return apiError(err)
	}
	var env struct{ Response json.RawMessage }
	if err := json.Unmarshal(resp.GetBody(), &env); err != nil || env.Response == nil {
		return &sms.Error{Provider: "tencent", Code: "no response", Reason: sms.ReasonProvider}
	}
	if err := json.Unmarshal(env.Response, out); err != nil {
		return &sms.Error{Provider: "tencent", Code: "bad response", Reason: sms.ReasonProvider, Err: err}
	}
	return nil
}

var httpStatus = regexp.MustCompile(`http status code: ([0-9]{3})`)

// apiError turns a client error into an *sms.Error.
func apiError(err error) error {
	var te *tcerr.TencentCloudSDKError
	if !errors.As(err, &te) {
		return sms.TransportError("tencent", err)
	}
	switch te.Code {
	case "ClientError.NetworkError":
		return sms.TransportError("tencent", errors.Unwrap(te))
	case "ClientError.HttpStatusCodeError":
		status := 0
		if m := httpStatus.FindStringSubmatch(te.Message); m != nil {
			status, _ = strconv.Atoi(m[1])
		}
		r, retry := sms.HTTPStatusReason(status)
		return &sms.Error{Provider: "tencent", Code: "HTTP " + strconv.Itoa(status), Reason: r, Retry: retry}
	}
	r, retry, unsure := Reason(te.Code)
	return &sms.Error{Provider: "tencent", Code: te.Code, Reason: r, Retry: retry, Unsure: unsure}
}

type sendStatus struct {
	SerialNo       string
	PhoneNumber    string
	Fee            int
	SessionContext string
	Code           string
	Message        string
	IsoCode        string
}

// Send sends a batch (all texts with the same variables). Tencent answers
// each number: its SerialNo, or its own error code.
func (p *Provider) Send(ctx context.Context, b sms.Batch) ([]sms.Result, error) {
	if len(b.Texts) == 0 {
		return nil, nil
	}
	if len(b.Texts) > BatchSize {
		return nil, &sms.Error{Provider: "tencent", Code: "too many numbers", Reason: sms.ReasonProvider}
	}
	first := b.Texts[0]
	vars := make([]string, len(b.Template.Vars))
	for i := range vars {
		vars[i] = first.Params[strconv.Itoa(i+1)]
	}
	phones := make([]string, len(b.Texts))
	for i, t := range b.Texts {
		phones[i] = "+86" + t.Phone
	}
	params := map[string]any{"PhoneNumberSet": phones, "SmsSdkAppId": p.cfg.AppID, "TemplateId": b.Template.Code,
		"SignName": p.cfg.SignName, "TemplateParamSet": vars}
	if len(b.Texts) == 1 {
		params["SessionContext"] = first.Key
	}
	var out struct{ SendStatusSet []sendStatus }
	if err := p.call(ctx, "SendSms", params, &out); err != nil {
		return nil, err
	}
	byPhone := make(map[string]sendStatus, len(out.SendStatusSet))
	for _, s := range out.SendStatusSet {
		byPhone[s.PhoneNumber] = s
	}
	res := make([]sms.Result, len(b.Texts))
	for i, t := range b.Texts {
		res[i] = sms.Result{Key: t.Key, Phone: t.Phone}
		s, ok := byPhone["+86"+t.Phone]
		switch {
		case !ok:
			res[i].State, res[i].Code, res[i].Reason = sms.Unsure, "no status", sms.ReasonUnsure
		case s.Code == "Ok":
			res[i].State, res[i].Code, res[i].MessageID, res[i].Segments = sms.Awaiting, s.Code, s.SerialNo, s.Fee
		default:
			r, _, _ := Reason(s.Code)
			res[i].State, res[i].Code, res[i].Reason = sms.Failed, s.Code, r
		}
	}
	return res, nil
}
