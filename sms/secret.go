package sms

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Secret is a credential (an AccessKey secret, a gateway token). It prints,
// logs and marshals as "[redacted]" whatever the verb; Reveal is the one way
// to the value, for the client library that signs with it.
type Secret string

const redacted = "[redacted]"

// String hides the value.
func (Secret) String() string { return redacted }

// GoString hides the value from %#v.
func (Secret) GoString() string { return redacted }

// Format hides the value from every fmt verb (%x, %q included).
func (s Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, redacted) }

// MarshalText hides the value from encoding/json and log/slog.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Reveal is the value itself.
func (s Secret) Reveal() string { return string(s) }

// Endpoint is where a provider's API is reached.
type Endpoint struct {
	Scheme string // "https", or "http" for a loopback address
	Host   string // host[:port]
}

// ParseEndpoint reads an endpoint override: "host[:port]" or
// "https://host[:port]"; plain "http://" only for a loopback host
// (127.0.0.0/8, ::1, localhost), so that a key never crosses a network in
// the clear. No path: the APIs live at "/".
func ParseEndpoint(raw string) (Endpoint, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Endpoint{}, fmt.Errorf("sms: endpoint is empty")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Endpoint{}, fmt.Errorf("sms: endpoint %q is not a host or an https URL", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return Endpoint{}, fmt.Errorf("sms: endpoint %q: only scheme and host (no path, query or user)", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return Endpoint{}, fmt.Errorf("sms: endpoint %q: plain http only for a loopback address; use https", raw)
		}
	default:
		return Endpoint{}, fmt.Errorf("sms: endpoint %q: scheme must be https (http for loopback)", raw)
	}
	return Endpoint{Scheme: u.Scheme, Host: u.Host}, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckAccount checks what every provider account needs — both halves of
// its key and a signature — and reads its endpoint (def when empty).
func CheckAccount(id string, secret Secret, sign, endpoint, def string) (Endpoint, error) {
	if id == "" || secret == "" {
		return Endpoint{}, fmt.Errorf("the key ID and the secret are both needed")
	}
	if strings.TrimSpace(sign) == "" {
		return Endpoint{}, fmt.Errorf("the signature (sign name) is needed")
	}
	if endpoint == "" {
		endpoint = def
	}
	return ParseEndpoint(endpoint)
}

// SameToken compares a token taken from a pushed report's URL with the
// configured one in constant time. Neither Aliyun's HTTP push nor
// Tencent's status callback signs its body, so the callback URL the app
// registers with the provider carries a long random token of its own
// (and is served over https): whoever lacks it cannot forge reports.
func SameToken(got string, want Secret) bool {
	if len(want) < 16 {
		return false // a short or empty token would guard nothing
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
