package reminders

import (
	"jiashu/app/config"
	"jiashu/sms"
	"jiashu/sms/aliyun"
	"jiashu/sms/gateway"
	"jiashu/sms/tencent"
)

// NewProvider is the provider the settings name, or nil when texts are
// exported only. clock paces the JSON gateway's own retries (nil: the wall
// clock).
func NewProvider(cfg config.Config, clock sms.Clock) (sms.Provider, error) {
	switch cfg.SMSProvider {
	case "http":
		return gateway.New(gateway.Config{URL: cfg.SMSGatewayURL, Token: cfg.SMSGatewayToken, Clock: clock})
	case "aliyun":
		return aliyun.New(aliyun.Config{AccessKeyID: cfg.SMSAccessKeyID, AccessKeySecret: cfg.SMSAccessKeySecret,
			SignName: cfg.SMSSignName, Region: cfg.SMSRegion, Endpoint: cfg.SMSEndpoint})
	case "tencent":
		return tencent.New(tencent.Config{SecretID: cfg.SMSAccessKeyID, SecretKey: cfg.SMSAccessKeySecret, AppID: cfg.SMSAppID,
			SignName: cfg.SMSSignName, Region: cfg.SMSRegion, Endpoint: cfg.SMSEndpoint})
	}
	return nil, nil
}
