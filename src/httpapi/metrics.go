package httpapi

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/acme/objects-api/src/store"
)

// Metrics are the API's Prometheus metrics, served at /metrics.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec   // by method, route, status
	latency  *prometheus.HistogramVec // by method, route; seconds
	ddbCalls *prometheus.CounterVec   // by operation, outcome
	ddbTime  *prometheus.HistogramVec // by operation; seconds
	ready    prometheus.Gauge
}

// NewMetrics registers the API's metrics, and the Go runtime and process collectors, in a new registry.
func NewMetrics() *Metrics {
	buckets := []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "objects_api_http_requests_total", Help: "HTTP requests by method, route and status; route is the pattern matched, unmatched (404, 405) or refused (before routing: framing, limits, timeout, unknown method).",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "objects_api_http_request_duration_seconds", Help: "Time to the response's headers (a streamed list's later pages are not included).", Buckets: buckets,
		}, []string{"method", "route"}),
		ddbCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "objects_api_dynamodb_calls_total", Help: "DynamoDB calls by operation and outcome: ok, timeout, unreachable, or DynamoDB's error code.",
		}, []string{"operation", "outcome"}),
		ddbTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "objects_api_dynamodb_call_duration_seconds", Help: "DynamoDB call latency, SDK retries included.", Buckets: buckets,
		}, []string{"operation"}),
		ready: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "objects_api_ready", Help: "1 if the last /readyz found the table ACTIVE, else 0.",
		}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.ddbCalls, m.ddbTime, m.ready,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *Metrics) observeRequest(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

// countRefused counts a request refused before routing (refuser). Its latency is not observed:
// it has no route, and a timed-out one took the read timeout.
func (m *Metrics) countRefused(method string, status int) {
	m.requests.WithLabelValues(method, "refused", strconv.Itoa(status)).Inc()
}

// ObserveDynamoDB records one DynamoDB call; it is a store.Observer.
func (m *Metrics) ObserveDynamoDB(op string, d time.Duration, err error) {
	m.ddbCalls.WithLabelValues(op, store.Outcome(err)).Inc()
	m.ddbTime.WithLabelValues(op).Observe(d.Seconds())
}

// metricsHandler serves the metrics in Prometheus' text format.
func metricsHandler(env *handlerEnv) fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(env.metrics.Registry, promhttp.HandlerOpts{}))
}
