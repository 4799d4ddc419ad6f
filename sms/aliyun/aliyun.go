// Package aliyun sends texts through 阿里云短信 (the dysmsapi product,
// version 2017-05-25: SendSms, SendBatchSms, QuerySendDetails) with Alibaba
// Cloud's own OpenAPI client, which signs every request (ACS3-HMAC-SHA256).
// The product's generated module is not used: the client's CallApi takes
// the action and its parameters as the product module would pass them.
package aliyun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"

	"jiashu/sms"
)

// Version is the dysmsapi API version.
const Version = "2017-05-25"

// DefaultEndpoint is the public API host.
const DefaultEndpoint = "dysmsapi.aliyuncs.com"

// BatchSize is the most numbers SendBatchSms takes in one request
// (PhoneNumberJson: 上限为 100 个手机号码).
const BatchSize = 100

// Config is how the app reaches its Aliyun account.
type Config struct {
	AccessKeyID     string
	AccessKeySecret sms.Secret
	// SignName is the approved signature, without 【】.
	SignName string
	// Region is the account's region; cn-hangzhou when "".
	Region string
	// Endpoint overrides the API host (a private cloud, a test fake):
	// "host[:port]", "https://…", or "http://" for a loopback host.
	Endpoint string
	// Timeout bounds one request; 10 s when 0.
	Timeout time.Duration
}

// Provider is an Aliyun SMS account.
type Provider struct {
	cfg    Config
	ep     sms.Endpoint
	client *openapi.Client
	china  *time.Location
}

// New checks the config and makes the client.
func New(cfg Config) (*Provider, error) {
	ep, err := sms.CheckAccount(cfg.AccessKeyID, cfg.AccessKeySecret, cfg.SignName, cfg.Endpoint, DefaultEndpoint)
	if err != nil {
		return nil, fmt.Errorf("aliyun: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "cn-hangzhou"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	ms := int(cfg.Timeout / time.Millisecond)
	client, err := openapi.NewClient(&openapi.Config{
		AccessKeyId:     dara.String(cfg.AccessKeyID),
		AccessKeySecret: dara.String(cfg.AccessKeySecret.Reveal()),
		RegionId:        dara.String(cfg.Region),
		Endpoint:        dara.String(ep.Host),
		Protocol:        dara.String(ep.Scheme),
		ReadTimeout:     dara.Int(ms),
		ConnectTimeout:  dara.Int(ms),
	})
	if err != nil {
		return nil, fmt.Errorf("aliyun: client: %w", err)
	}
	// The client's own errors, not the SDK's wrapping (which keeps only a
	// message with the URL): a refused connection must be told apart.
	client.DisableSDKError = dara.Bool(true)
	china, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		china = time.FixedZone("CST", 8*3600)
	}
	return &Provider{cfg: cfg, ep: ep, client: client, china: china}, nil
}

// Name is "aliyun".
func (p *Provider) Name() string { return "aliyun" }

// Limits: 100 numbers a request, each with its own variables; 20 requests
// a second at most, far below the account's API limit.
func (p *Provider) Limits() sms.Limits {
	return sms.Limits{PerRequest: BatchSize, Interval: 50 * time.Millisecond}
}

// String names the account without its secret.
func (p *Provider) String() string {
	return fmt.Sprintf("aliyun(%s://%s, key %s, sign %s)", p.ep.Scheme, p.ep.Host, p.cfg.AccessKeyID, p.cfg.SignName)
}

// GoString is String: %#v must not reach the client's credentials.
func (p *Provider) GoString() string { return p.String() }

// call makes one API call with the action's parameters in the query and,
// for SendBatchSms's long JSON lists, in a form body, as the product
// module does (RPC style, POST, JSON answer).
func (p *Provider) call(ctx context.Context, action string, query, form map[string]string) (map[string]any, error) {
	req := &openapi.OpenApiRequest{Query: make(map[string]*string, len(query))}
	for k, v := range query {
		req.Query[k] = dara.String(v)
	}
	if form != nil {
		body := make(map[string]any, len(form))
		for k, v := range form {
			body[k] = v
		}
		req.Body = body
	}
	params := &openapi.Params{
		Action: dara.String(action), Version: dara.String(Version), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	res, err := p.client.CallApiWithCtx(ctx, params, req, &dara.RuntimeOptions{})
	if err != nil {
		return nil, p.apiError(err)
	}
	body, _ := res["body"].(map[string]any)
	if body == nil {
		return nil, &sms.Error{Provider: "aliyun", Code: "no body", Reason: sms.ReasonProvider, Retry: false}
	}
	return body, nil
}

// codeError is what the client's ClientError, ServerError and
// ThrottlingError have in common.
type codeError interface {
	GetCode() *string
	GetStatusCode() *int
}

// apiError turns a client error into an *sms.Error.
func (p *Provider) apiError(err error) error {
	var ce codeError
	if errors.As(err, &ce) && dara.StringValue(ce.GetCode()) != "" {
		return codeErr(dara.StringValue(ce.GetCode()), nil)
	}
	if errors.As(err, &ce) && ce.GetStatusCode() != nil {
		status := dara.IntValue(ce.GetStatusCode())
		r, retry := sms.HTTPStatusReason(status)
		return &sms.Error{Provider: "aliyun", Code: "HTTP " + strconv.Itoa(status), Reason: r, Retry: retry}
	}
	return sms.TransportError("aliyun", err)
}

// codeErr is the error of an Aliyun code.
func codeErr(code string, cause error) *sms.Error {
	r, retry := Reason(code)
	return &sms.Error{Provider: "aliyun", Code: code, Reason: r, Retry: retry, Err: cause}
}

// Send sends a batch: one text by SendSms (its key as OutId, which the
// delivery report echoes), more by SendBatchSms (one BizId for all). Aliyun
// answers a request as a whole: any refusal is every text's.
func (p *Provider) Send(ctx context.Context, b sms.Batch) ([]sms.Result, error) {
	if len(b.Texts) == 0 {
		return nil, nil
	}
	if len(b.Texts) > BatchSize {
		return nil, &sms.Error{Provider: "aliyun", Code: "too many numbers", Reason: sms.ReasonProvider}
	}
	var body map[string]any
	var err error
	if len(b.Texts) == 1 {
		t := b.Texts[0]
		param, _ := json.Marshal(t.Params)
		body, err = p.call(ctx, "SendSms", map[string]string{
			"PhoneNumbers": t.Phone, "SignName": p.cfg.SignName, "TemplateCode": b.Template.Code,
			"TemplateParam": string(param), "OutId": t.Key,
		}, nil)
	} else {
		phones, signs, params := make([]string, len(b.Texts)), make([]string, len(b.Texts)), make([]map[string]string, len(b.Texts))
		for i, t := range b.Texts {
			phones[i], signs[i], params[i] = t.Phone, p.cfg.SignName, t.Params
		}
		body, err = p.call(ctx, "SendBatchSms", map[string]string{"TemplateCode": b.Template.Code},
			map[string]string{"PhoneNumberJson": jsonString(phones), "SignNameJson": jsonString(signs), "TemplateParamJson": jsonString(params)})
	}
	if err != nil {
		return nil, err
	}
	code, _ := body["Code"].(string)
	if code != "OK" {
		return nil, codeErr(code, nil)
	}
	bizID, _ := body["BizId"].(string)
	out := make([]sms.Result, len(b.Texts))
	for i, t := range b.Texts {
		out[i] = sms.Result{Key: t.Key, Phone: t.Phone, MessageID: bizID, State: sms.Awaiting, Code: code}
	}
	return out, nil
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
