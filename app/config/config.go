// Package config reads the settings every command shares from flags and
// JIASHU_* environment variables into one validated Config.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"jiashu/grade"
	"jiashu/roster"
	"jiashu/sms"
)

// envPrefix starts every environment variable the program reads.
const envPrefix = "JIASHU_"

// Config is everything the program is told from outside, read once from
// flags and environment variables (a flag wins over its variable).
type Config struct {
	Addr    string // listen address of the web server
	DB      string // database DSN: SQLite file/URI, or postgres://…
	BaseURL string // public URL parents' links and QR codes point to
	// BaseURLGiven says BaseURL was given (--base-url or JIASHU_BASE_URL)
	// rather than filled in as this machine's http://localhost:PORT, which
	// no parent's phone can open.
	BaseURLGiven   bool
	DataDir        string        // where the default SQLite database and generated files live
	MaxUploadBytes int64         // largest roster upload accepted
	AgeGroups      grade.Mapping // grade → age group
	TrustedProxies []string      // reverse proxies whose X-Forwarded-For is believed
	Demo           bool          // serve a seeded demo district from its own database
	LogFormat      string        // "text" or "json"
	RetentionDays  int           // default of app retention: days after a student left and their campaigns closed
	MetricsAllow   []string      // addresses and networks that may read /metrics; empty: nobody

	// Reminder and alert texts (sms.go): the provider ("" when texts are
	// exported only), the JSON gateway of provider http, the account of
	// aliyun or tencent, the price of a segment and the quiet hours.
	SMSProvider         string     // "http", "aliyun", "tencent" or ""
	SMSGatewayURL       string     // JSON POST {"mobile","message"} with Authorization: Bearer token
	SMSGatewayToken     sms.Secret // the gateway's bearer token
	SMSMaxPerGuardian   int        // reminders per guardian per campaign
	SMSEndpoint         string     // the provider's API host, "" for its public one
	SMSAccessKeyID      string
	SMSAccessKeySecret  sms.Secret
	SMSSignName         string // the approved signature, without 【】
	SMSAppID            string // Tencent's SdkAppId
	SMSRegion           string
	SMSTemplateReminder string // approved template codes
	SMSTemplateAlert    string
	SMSPriceFen         int64     // price of one segment, fen
	SMSQuietHours       sms.Quiet // China time
	SMSCallbackToken    sms.Secret

	// MaxImportStudents caps the students of one roster file on the pages
	// and the API (and app import's default, which --max-students lifts).
	MaxImportStudents int
}

// setting binds one flag to its environment variable, so both are named together.
type setting struct {
	flag, usage string
	def         string
	into        *string
}

// Flags registers the settings every command shares on fs and returns
// a function that validates what was given into cfg.
func Flags(fs *flag.FlagSet, getenv func(string) string, cfg *Config) func() error {
	var raw struct{ addr, db, baseURL, dataDir, maxUpload, ageGroups, proxies, logFormat, retention, metricsAllow string }
	var smsIn smsRaw
	var maxImport string
	settings := []setting{
		{"addr", "listen address", ":8080", &raw.addr},
		{"db", "database DSN (SQLite file, or postgres://user:pass@host/db); default DATA_DIR/jiashu.db", "", &raw.db},
		{"base-url", "public URL of this service, printed in every letter's QR code and link; letters are refused without it (unset: http://localhost:PORT, which no parent can open)", "", &raw.baseURL},
		{"data-dir", "folder for the default SQLite database and generated files", "data", &raw.dataDir},
		{"max-upload", "largest roster upload in bytes", strconv.Itoa(10 << 20), &raw.maxUpload},
		{"max-import-students", "most students one roster file may hold on the pages and the API (app import: its --max-students default)", strconv.Itoa(roster.MaxImportStudents), &maxImport},
		{"age-groups", "grade to age-group mapping", grade.DefaultMapping().String(), &raw.ageGroups},
		{"trusted-proxies", "comma-separated addresses/CIDRs of trusted reverse proxies", "", &raw.proxies},
		{"log-format", "log format: text or json", "text", &raw.logFormat},
		{"metrics-allow", "comma-separated addresses/CIDRs that may read /metrics (the client address, after trusted proxies); none: nobody", "127.0.0.0/8,::1", &raw.metricsAllow},
		{"retention-days", "app retention erases students who left, and whose campaigns closed, this many days ago", "365", &raw.retention},
	}
	settings = append(settings, smsSettings(&smsIn)...)
	smsSecretFlags(fs, getenv, &smsIn)
	for _, s := range settings {
		def := s.def
		if v := getenv(EnvName(s.flag)); v != "" {
			def = v
		}
		fs.StringVar(s.into, s.flag, def, fmt.Sprintf("%s (env %s)", s.usage, EnvName(s.flag)))
	}
	return func() error {
		var errs []error
		bad := func(name, format string, args ...any) {
			errs = append(errs, fmt.Errorf("--%s (%s): %s", name, EnvName(name), fmt.Sprintf(format, args...)))
		}
		cfg.Addr = raw.addr
		if _, _, err := net.SplitHostPort(raw.addr); err != nil {
			bad("addr", "%q is not host:port", raw.addr)
		}
		cfg.DataDir = raw.dataDir
		if cfg.DataDir == "" {
			bad("data-dir", "must not be empty")
		}
		cfg.DB = raw.db
		if cfg.DB == "" {
			cfg.DB = filepath.Join(cfg.DataDir, "jiashu.db")
		} else if err := checkDB(raw.db); err != nil {
			bad("db", "%v", err)
		}
		if cfg.Demo && raw.db != "" {
			bad("db", "--demo serves its own SQLite database (DATA_DIR/demo.db) and never a configured one; leave out either --db or --demo")
		}
		raw.baseURL = strings.TrimSpace(raw.baseURL)
		cfg.BaseURLGiven = raw.baseURL != ""
		if !cfg.BaseURLGiven {
			raw.baseURL = localURL(raw.addr)
		}
		if err := checkBaseURL(raw.baseURL); err != nil {
			bad("base-url", "%v", err)
		}
		cfg.BaseURL = strings.TrimRight(raw.baseURL, "/")
		n, err := strconv.ParseInt(raw.maxUpload, 10, 64)
		if err != nil || n < 1024 {
			bad("max-upload", "%q is not a size in bytes of at least 1024", raw.maxUpload)
		}
		cfg.MaxUploadBytes = n
		if cfg.MaxImportStudents, err = parseMaxImport(maxImport); err != nil {
			bad("max-import-students", "%v", err)
		}
		m, err := grade.ParseMapping(raw.ageGroups)
		if err != nil {
			bad("age-groups", "%v", err)
		}
		cfg.AgeGroups = m
		cfg.TrustedProxies = splitAddresses(raw.proxies, func(p string) {
			bad("trusted-proxies", "%q is neither an IP address (10.0.0.2) nor a network (10.0.0.0/24)", p)
		})
		cfg.MetricsAllow = nil
		if strings.TrimSpace(raw.metricsAllow) != "none" {
			cfg.MetricsAllow = splitAddresses(raw.metricsAllow, func(p string) {
				bad("metrics-allow", "%q is neither an IP address (10.0.0.2) nor a network (10.0.0.0/24); none refuses everyone", p)
			})
		}
		if raw.logFormat != "text" && raw.logFormat != "json" {
			bad("log-format", "%q is neither text nor json", raw.logFormat)
		}
		cfg.LogFormat = raw.logFormat
		if n, err := strconv.Atoi(raw.retention); err != nil || n < 0 {
			bad("retention-days", "%q is not a number of days of at least 0", raw.retention)
		} else {
			cfg.RetentionDays = n
		}
		checkSMS(cfg, &smsIn, bad)
		return errors.Join(errs...)
	}
}

// maxImportLimit bounds --max-import-students: a district's whole register
// fits (a large district has a few hundred thousand students).
const maxImportLimit = 1_000_000

// parseMaxImport reads --max-import-students.
func parseMaxImport(raw string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 1 || n > maxImportLimit {
		return 0, fmt.Errorf("%q is not a number of students from 1 to %d", raw, maxImportLimit)
	}
	return n, nil
}

// splitAddresses splits a comma-separated list of IP addresses and CIDR
// networks, calling refuse with each entry that is neither.
func splitAddresses(list string, refuse func(string)) []string {
	var out []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			refuse(p)
			continue
		}
		out = append(out, p)
	}
	return out
}

// checkDB accepts an SQLite file in an existing folder (a path or a
// file: URI) or a postgres:// or postgresql:// URL. Any other scheme would
// otherwise become an SQLite file named after it, and a missing folder
// would be created silently, serving an empty database under a new
// administrator: both are a typo to report, not a database to make.
func checkDB(dsn string) error {
	if scheme, _, ok := strings.Cut(dsn, ":"); ok && isScheme(scheme) {
		switch strings.ToLower(scheme) {
		case "postgres", "postgresql":
			if u, err := url.Parse(dsn); err != nil || u.Host == "" {
				return fmt.Errorf("%q is not a PostgreSQL URL such as postgres://user:pass@host/db", dsn)
			}
			return nil
		case "file":
			dsn, _, _ = strings.Cut(strings.TrimPrefix(dsn[len(scheme)+1:], "//"), "?")
		default:
			return fmt.Errorf("%q: the database is an SQLite file path (such as data/jiashu.db) or a postgres:// or postgresql:// URL; %s: is not supported", dsn, scheme)
		}
	}
	if dsn == "" {
		return fmt.Errorf("no SQLite file path given")
	}
	if fi, err := os.Stat(dsn); err == nil && fi.IsDir() {
		return fmt.Errorf("%q is a folder; name the SQLite file in it, such as %s", dsn, filepath.Join(dsn, "jiashu.db"))
	}
	dir := filepath.Dir(dsn)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("the folder %q of the SQLite file does not exist; create it first (only the default under --data-dir is created)", dir)
	}
	return nil
}

// isScheme says whether s looks like a URL scheme (two or more letters,
// digits, + - . starting with a letter), so "mysql:" is one and a plain
// relative path is not.
func isScheme(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// checkBaseURL accepts scheme://host[:port] and nothing more. The pages,
// forms and redirects use absolute paths (/login, /classes/…, /a/CODE),
// so the service cannot live under a path prefix of a shared host name
// behind a reverse proxy: give it a host name of its own instead.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("%q is not an http(s) URL such as https://jiashu.example.edu.cn", raw)
	case strings.Trim(u.Path, "/") != "":
		return fmt.Errorf("%q has a path (%s): the service's pages and links use absolute paths, so it cannot run under a path prefix; give it a host name of its own, such as https://jiashu.example.edu.cn, and have the reverse proxy forward that host's root", raw, u.Path)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return fmt.Errorf("%q must be only scheme://host[:port], without user, query or fragment", raw)
	}
	return nil
}

// localURL is the default public URL: this machine at the listen port.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// BaseURLReachable says whether parents' phones can open the base URL: it
// was given, and its host is not this machine (localhost, 127.0.0.0/8,
// ::1, or an unspecified address).
func (c Config) BaseURLReachable() bool {
	return c.BaseURLGiven && !LoopbackURL(c.BaseURL)
}

// LoopbackURL says whether rawURL's host is this machine only: localhost
// (and *.localhost), a loopback address, or an unspecified one (0.0.0.0, ::).
func LoopbackURL(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// EnvName is the environment variable of a flag: base-url → JIASHU_BASE_URL.
func EnvName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}
