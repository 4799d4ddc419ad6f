// Package metrics is what /metrics reports, in the Prometheus text format
// through the official client library: requests by route and status with
// their latency (this instance), and from the database at each scrape (the
// same on every instance) jobs by state, letters by status,
// acknowledgements by channel, reminder SMS sent and failed, and texts by
// provider and outcome. It holds
// no HTTP routing; app/web mounts Handler behind its address check.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"jiashu/store"
)

// Counter reads the database's figures; *store.Store is one.
type Counter interface {
	CountService(ctx context.Context) (store.ServiceCounts, error)
}

// Metrics is the registry of one server.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New registers the request metrics, the database's figures read through
// db at each scrape, and the Go runtime's and process's own.
func New(db Counter, log *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jiashu_http_requests_total",
			Help: "HTTP requests answered, by route (the route pattern, never the raw path), method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "jiashu_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
	}
	m.reg.MustRegister(m.requests, m.latency, &dbCollector{db: db, log: log},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveRequest counts one answered request. route is the matched route
// pattern ("/a/:token"); requests that matched none share "unmatched", so
// probing random paths cannot grow the label set.
func (m *Metrics) ObserveRequest(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
}

// Handler answers a scrape in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// dbCollector reads the database's figures at each scrape.
type dbCollector struct {
	db  Counter
	log *slog.Logger
}

var (
	descJobs      = prometheus.NewDesc("jiashu_jobs", "Background jobs in the database, by state.", []string{"state"}, nil)
	descLetters   = prometheus.NewDesc("jiashu_letters", "Letters produced and in the database (purged campaigns excluded), by status.", []string{"status"}, nil)
	descAcks      = prometheus.NewDesc("jiashu_acknowledgements", "Letters acknowledged, by channel (qr, sms, typed, paper).", []string{"channel"}, nil)
	descReminders = prometheus.NewDesc("jiashu_reminder_sms", "Reminder SMS sent through the gateway, by outcome (sent, failed).", []string{"outcome"}, nil)
	descTexts     = prometheus.NewDesc("jiashu_sms_texts", "Texts to families, by provider (aliyun, tencent, http) and outcome (sending, awaiting, delivered, undelivered, failed, sent, unsure, limited).", []string{"provider", "outcome"}, nil)
	descUp        = prometheus.NewDesc("jiashu_database_up", "1 when the database answered this scrape's queries.", nil, nil)
)

// Every state is reported, zero included, so a dashboard sees the series
// before the first job or SMS.
var (
	jobStates      = []string{"queued", "running", "cancelling", "done", "failed", "cancelled"}
	letterStatuses = []string{"produced", "delivered", "opened", "acknowledged"}
	smsOutcomes    = []string{"sent", "failed"}
)

func (d *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, desc := range []*prometheus.Desc{descJobs, descLetters, descAcks, descReminders, descTexts, descUp} {
		ch <- desc
	}
}

func (d *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := d.db.CountService(ctx)
	if err != nil {
		d.log.Error("metrics", "err", err)
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	emit := func(desc *prometheus.Desc, known []string, got map[string]int) {
		seen := map[string]bool{}
		for _, k := range known {
			seen[k] = true
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(got[k]), k)
		}
		for k, n := range got {
			if !seen[k] {
				ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), k)
			}
		}
	}
	emit(descJobs, jobStates, counts.JobsByState)
	emit(descLetters, letterStatuses, counts.LettersByStatus)
	emit(descAcks, []string{store.ChannelQR, store.ChannelSMS, store.ChannelTyped, store.ChannelPaper}, counts.AcksByChannel)
	emit(descReminders, smsOutcomes, counts.RemindersByStatus)
	for k, n := range counts.TextsByOutcome {
		ch <- prometheus.MustNewConstMetric(descTexts, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
}
