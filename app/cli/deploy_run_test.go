package cli

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"jiashu/store/storetest"
)

// TestDistrictRunsFromTheGuidesFiles starts what the guide starts, as
// systemd would: each unit's command line and environment read from the
// guide's files (deploy_units_test.go), run in-process with only the
// places that are the server's own moved into the test's folder (the
// database, /var/lib/jiashu, /var/backups/jiashu) and each instance's port
// moved to a free one. Both instances answer /healthz; the backup service
// runs twice in a row and both copies are kept, 0600; the retention
// service runs. Then, when nginx is installed, the guide's nginx
// configuration is put in front of the two instances (deployNginx).
func TestDistrictRunsFromTheGuidesFiles(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "jiashu.db")
	if dsn := os.Getenv(storetest.PostgresEnv); dsn != "" {
		db = databaseOfItsOwn(t, dsn) // a database of its own: the backup service runs pg_dump on it
	}
	st := storetest.Open(t, db)
	seed := storetest.Seed(t, st, 1, 3)
	st.Close()
	dataDir, backups := t.TempDir(), filepath.Join(t.TempDir(), "backups")
	if err := os.Mkdir(backups, 0o700); err != nil {
		t.Fatal(err)
	}
	envFile := func(path string) map[string]string {
		if path != "/etc/jiashu/env" {
			t.Fatalf("a unit reads %s, which the guide does not write", path)
		}
		return envFileMap(t, path)
	}
	// run runs a unit's command line in-process with the unit's environment,
	// the server's own places moved into the test.
	run := func(ctx context.Context, sc serviceCommand, stdout, stderr io.Writer) int {
		env := map[string]string{}
		for k, v := range sc.env {
			env[k] = v
		}
		env["JIASHU_DB"], env["JIASHU_DATA_DIR"] = db, dataDir
		var args []string
		for _, a := range sc.argv[1:] {
			args = append(args, strings.ReplaceAll(a, "/var/backups/jiashu", backups))
		}
		return Run(ctx, args, func(k string) string { return env[k] }, stdout, stderr)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var instances []*instance
	for _, i := range []string{"1", "2"} {
		sc := readService(t, deployPath("/etc/systemd/system/jiashu@.service"), i, envFile)
		in := &instance{name: "jiashu@" + i, addr: freeAddr(t), done: make(chan int, 1)}
		in.ctx, in.stop = context.WithCancel(ctx)
		for j := 1; j < len(sc.argv); j++ {
			if sc.argv[j-1] == "--addr" {
				sc.argv[j] = in.addr // the unit's own address is checked in TestDeployAddressesAgree
			}
		}
		go func() { in.done <- run(in.ctx, sc, &in.log, &in.log) }()
		in.waitHealthy(t)
		instances = append(instances, in)
		defer in.shutdown(t)
	}

	checkAlertMetrics(t, instances[0].addr)

	backup := readService(t, deployPath("/etc/systemd/system/jiashu-backup.service"), "", envFile)
	for range 2 {
		var out, errb bytes.Buffer
		if code := run(ctx, backup, &out, &errb); code != exitOK {
			t.Fatalf("%v: exit %d %s%s", backup, code, out.String(), errb.String())
		}
	}
	files, _ := filepath.Glob(filepath.Join(backups, "jiashu-*"))
	if len(files) != 2 {
		t.Fatalf("two backups in a row left %v", files)
	}
	for _, f := range files {
		wantFileMode(t, f, 0o600)
	}
	retention := readService(t, deployPath("/etc/systemd/system/jiashu-retention.service"), "", envFile)
	var out, errb bytes.Buffer
	if code := run(ctx, retention, &out, &errb); code != exitOK || !strings.Contains(out.String(), "已完成") {
		t.Fatalf("%v: exit %d %s%s", retention, code, out.String(), errb.String())
	}

	t.Run("nginx in front of the two instances", func(t *testing.T) {
		deployNginx(t, instances, seed.Tokens[0])
	})
}

// instance is one jiashu serve running in-process.
type instance struct {
	name, addr string
	ctx        context.Context
	stop       context.CancelFunc
	done       chan int
	log        syncBuffer
	stopped    bool
}

// waitHealthy waits until the instance answers /healthz with 200, or fails
// the test when it stops first.
func (in *instance) waitHealthy(t *testing.T) {
	t.Helper()
	for {
		var out bytes.Buffer
		if Run(context.Background(), []string{"healthcheck", "--url", "http://" + in.addr + "/healthz"}, noEnv, &out, io.Discard) == exitOK {
			if !strings.Contains(out.String(), `"version"`) {
				t.Fatalf("%s: /healthz does not name the version: %s", in.name, out.String())
			}
			return
		}
		select {
		case code := <-in.done:
			t.Fatalf("%s stopped with exit %d before answering:\n%s", in.name, code, in.log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// shutdown stops the instance as systemd does (SIGTERM: the context ends)
// and checks it stopped cleanly.
func (in *instance) shutdown(t *testing.T) {
	t.Helper()
	if in.stopped {
		return
	}
	in.stopped = true
	in.stop()
	if code := <-in.done; code != exitOK {
		t.Errorf("%s stopped with exit %d:\n%s", in.name, code, in.log.String())
	}
}

// syncBuffer is a bytes.Buffer for a server's log, written while read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// freeAddr is a loopback address with a port nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// deployNginx runs nginx with the guide's three configuration files
// (nginx -t on them as written, then for real with the certificate, the
// logs, the ACME folder and the listening ports moved into the test, and
// the upstream pointed at the test's instances) and checks what the guide
// promises: the ACME challenge answered on port 80 and everything else
// redirected; HTTP/2 with HSTS on 443; /metrics hidden; parents' letter
// codes not in the access log; requests answered while an instance is
// down.
func deployNginx(t *testing.T, instances []*instance, token string) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx is not installed (Debian: nginx or nginx-light)")
	}
	const name = "jx.example.edu.cn"
	dir := t.TempDir()
	for _, d := range []string{"cert", "log", "acme/.well-known/acme-challenge", "conf.d", "sites", "temp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeCertificate(t, filepath.Join(dir, "cert"), name)
	if err := os.WriteFile(filepath.Join(dir, "acme/.well-known/acme-challenge/probe"), []byte("acme-probe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	http80, https443 := freeAddr(t), freeAddr(t)
	places := strings.NewReplacer(
		"/etc/letsencrypt/live/"+name+"/", filepath.Join(dir, "cert")+"/",
		"/var/log/nginx/", filepath.Join(dir, "log")+"/",
		"/var/www/acme", filepath.Join(dir, "acme"))
	ports := strings.NewReplacer(
		"listen 80;", "listen "+http80+";", "listen [::]:80;", "",
		"listen 443 ssl http2;", "listen "+https443+" ssl http2;", "listen [::]:443 ssl http2;", "",
		"server 127.0.0.1:8081 ", "server "+instances[0].addr+" ", "server 127.0.0.1:8082 ", "server "+instances[1].addr+" ")
	for _, asWritten := range []bool{true, false} {
		for dst, src := range map[string]string{"conf.d/jiashu.conf": "/etc/nginx/conf.d/jiashu.conf", "sites/jiashu-http": "/etc/nginx/sites-available/jiashu-http", "sites/jiashu": "/etc/nginx/sites-available/jiashu"} {
			data, err := os.ReadFile(deployPath(src))
			if err != nil {
				t.Fatal(err)
			}
			text := places.Replace(string(data))
			if !asWritten {
				text = ports.Replace(text)
			}
			if err := os.WriteFile(filepath.Join(dir, dst), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		main := fmt.Sprintf(`%s
pid %[2]s/nginx.pid;
events { worker_connections 64; }
http {
    client_body_temp_path %[2]s/temp/body;
    proxy_temp_path %[2]s/temp/proxy;
    access_log off;
    include %[2]s/conf.d/*.conf;
    include %[2]s/sites/*;
}
`, map[bool]string{true: "user root;", false: ""}[os.Geteuid() == 0], dir)
		if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "log/error.log")}
		if asWritten {
			if out, err := exec.Command(nginx, append(args, "-t", "-q")...).CombinedOutput(); err != nil {
				t.Fatalf("nginx -t on the guide's files: %v\n%s", err, out)
			}
			continue
		}
		cmd := exec.Command(nginx, append(args, "-g", "daemon off;")...)
		var nginxOut syncBuffer
		cmd.Stdout, cmd.Stderr = &nginxOut, &nginxOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGQUIT)
			cmd.Wait()
		})
		waitListening(t, https443, &nginxOut)
	}
	checkThroughNginx(t, dir, http80, https443, name, instances, token)
}

// checkThroughNginx is what a parent, a browser and certbot see through the
// guide's nginx.
func checkThroughNginx(t *testing.T, dir, http80, https443, name string, instances []*instance, token string) {
	pool := x509.NewCertPool()
	pemData, _ := os.ReadFile(filepath.Join(dir, "cert/fullchain.pem"))
	pool.AppendCertsFromPEM(pemData)
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if strings.HasSuffix(addr, ":443") {
			addr = https443
		} else {
			addr = http80
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	client := &http.Client{
		Transport:     &http.Transport{DialContext: dial, TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: name}, ForceAttemptHTTP2: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(url string) (*http.Response, string) {
		t.Helper()
		res, err := client.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(body)
	}
	if res, body := get("http://" + name + "/.well-known/acme-challenge/probe"); res.StatusCode != 200 || body != "acme-probe\n" {
		t.Errorf("certificate challenge on port 80: %d %q", res.StatusCode, body)
	}
	if res, _ := get("http://" + name + "/login"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "https://"+name+"/login" {
		t.Errorf("port 80: %d to %q, want a redirect to https", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ := get("https://" + name + "/login")
	if res.StatusCode != 200 || res.Proto != "HTTP/2.0" || res.Header.Get("Strict-Transport-Security") != "max-age=31536000" {
		t.Errorf("https /login: %d %s, HSTS %q", res.StatusCode, res.Proto, res.Header.Get("Strict-Transport-Security"))
	}
	if res, _ := get("https://" + name + "/metrics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics through the public name: %d", res.StatusCode)
	}
	if res, body := get("https://" + name + "/a/" + token + "?c=s"); res.StatusCode != 200 || !strings.Contains(body, "家") {
		t.Errorf("a parent's letter page: %d", res.StatusCode)
	}
	get("https://" + name + "/a/" + token + "/quiz")

	instances[1].shutdown(t) // jiashu@2 stops: nginx sends everything to jiashu@1
	for i := range 20 {
		if res, _ := get("https://" + name + "/login"); res.StatusCode != 200 {
			t.Fatalf("request %d with jiashu@2 down: %d", i+1, res.StatusCode)
		}
	}

	logData, err := os.ReadFile(filepath.Join(dir, "log/jiashu.access.log"))
	if err != nil {
		t.Fatal(err)
	}
	accessLog := string(logData)
	if strings.Contains(accessLog, token) || strings.Contains(accessLog, "?c=") || !strings.Contains(accessLog, `"GET /a/- `) || !strings.Contains(accessLog, `"GET /a/-/quiz `) || !strings.Contains(accessLog, `"GET /login `) {
		t.Errorf("the access log holds a letter code, or misses the requests:\n%s", accessLog)
	}
}

// waitListening waits until addr accepts connections, or fails the test
// with nginx's output when nginx has said why it cannot.
func waitListening(t *testing.T, addr string, out *syncBuffer) {
	t.Helper()
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		if strings.Contains(out.String(), "emerg") || i == 600 {
			t.Fatalf("nginx does not listen on %s:\n%s", addr, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// writeCertificate writes a self-signed certificate for name as certbot
// names its files.
func writeCertificate(t *testing.T, dir, name string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for file, block := range map[string]*pem.Block{"fullchain.pem": {Type: "CERTIFICATE", Bytes: der}, "privkey.pem": {Type: "EC PRIVATE KEY", Bytes: keyDER}} {
		if err := os.WriteFile(filepath.Join(dir, file), pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// checkAlertMetrics: every jiashu_ metric the guide's alert rules use is
// in what an instance serves Prometheus on its own address (loopback is in
// JIASHU_METRICS_ALLOW), so no alert watches a name that does not exist.
func checkAlertMetrics(t *testing.T, addr string) {
	t.Helper()
	rules, err := os.ReadFile(deployPath("/etc/prometheus/jiashu-rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/metrics from loopback: %d", res.StatusCode)
	}
	names := regexp.MustCompile(`jiashu_[a-z_]+`).FindAllString(string(rules), -1)
	if len(names) == 0 {
		t.Fatal("no jiashu_ metric in the rules")
	}
	for _, name := range names {
		if !regexp.MustCompile(`(?m)^` + name + `[{ ]`).Match(body) {
			t.Errorf("jiashu-rules.yml watches %s, which /metrics does not have", name)
		}
	}
}
