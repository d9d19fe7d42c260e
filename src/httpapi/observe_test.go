package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
)

// observed is a fixture whose logs are kept, with its metrics.
func observed(t *testing.T) (*fixture, *testutil.SyncBuffer, *Metrics) {
	t.Helper()
	f := newFixture(t)
	logs := &testutil.SyncBuffer{}
	m := NewMetrics()
	f.app = NewServer(f.store, slog.New(slog.NewJSONHandler(logs, nil)), WithMetrics(m))
	return f, logs, m
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestRequestID(t *testing.T) {
	f, _, _ := observed(t)
	tests := []struct{ name, sent, want string }{
		{"honoured", "client-id-123", "client-id-123"},
		{"generated when absent", "", ""},
		{"replaced when it has spaces", "a b", ""},
		{"replaced when too long", strings.Repeat("x", 129), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/healthz", nil)
			if tt.sent != "" {
				req.Header.Set("X-Request-ID", tt.sent)
			}
			got := f.doReq(t, req).header.Get("X-Request-ID")
			if tt.want != "" && got != tt.want {
				t.Fatalf("X-Request-ID %q, want %q", got, tt.want)
			}
			if tt.want == "" && !uuidRE.MatchString(got) {
				t.Fatalf("X-Request-ID %q, want a generated UUID", got)
			}
		})
	}
}

func TestAccessLog(t *testing.T) {
	f, logs, _ := observed(t)
	id := uuid.NewString()
	req := httptest.NewRequest("PUT", "/object/"+id, nil)
	req.Header.Set("X-Request-ID", "trace-42")
	f.doReq(t, req)
	f.do(t, "GET", "/healthz") // a successful probe is logged at debug level only
	f.do(t, "GET", "/no/such/route")

	var entries []map[string]any
	for _, line := range logs.Lines() {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if e["msg"] == "request" {
			entries = append(entries, e)
		}
	}
	if len(entries) != 2 {
		t.Fatalf("%d access log lines, want 2:\n%s", len(entries), strings.Join(logs.Lines(), "\n"))
	}
	put := entries[0]
	want := map[string]any{"method": "PUT", "route": "/object/:id", "path": "/object/" + id, "status": 201.0,
		"bytes": float64(len(`{"object":""}`) + 36), "request_id": "trace-42"}
	for k, v := range want {
		if put[k] != v {
			t.Errorf("access log %s = %v, want %v", k, put[k], v)
		}
	}
	if d, ok := put["duration_ms"].(float64); !ok || d <= 0 {
		t.Errorf("duration_ms = %v, want a positive number", put["duration_ms"])
	}
	if r := entries[1]["route"]; r != "unmatched" {
		t.Errorf("route of an unknown path = %v, want unmatched (raw paths would make metric labels unbounded)", r)
	}
}

func TestMetrics(t *testing.T) {
	f, _, m := observed(t)
	id := uuid.NewString()
	f.do(t, "PUT", "/object/"+id)
	f.do(t, "GET", "/object/"+id)
	f.do(t, "GET", "/object/"+uuid.NewString()) // 404
	f.do(t, "GET", "/readyz")
	m.ObserveDynamoDB("GetItem", time.Millisecond, nil) // what store.Instrument reports
	m.ObserveDynamoDB("PutItem", time.Millisecond, &types.ResourceNotFoundException{})
	r := f.do(t, "GET", "/metrics")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, want := range []string{
		`objects_api_http_requests_total{method="PUT",route="/object/:id",status="201"} 1`,
		`objects_api_http_requests_total{method="GET",route="/object/:id",status="404"} 1`,
		`objects_api_http_request_duration_seconds_count{method="GET",route="/object/:id"} 2`,
		`objects_api_dynamodb_calls_total{operation="GetItem",outcome="ok"} 1`,
		`objects_api_dynamodb_calls_total{operation="PutItem",outcome="ResourceNotFoundException"} 1`,
		`objects_api_dynamodb_call_duration_seconds_count{operation="GetItem"} 1`,
		`objects_api_ready 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestIndexAndDocs(t *testing.T) {
	f := newFixture(t)
	r := f.do(t, "GET", "/")
	var idx struct {
		Service string            `json:"service"`
		Version string            `json:"version"`
		Links   map[string]string `json:"links"`
	}
	if err := json.Unmarshal([]byte(r.body), &idx); err != nil || idx.Service != "objects-api" || idx.Version == "" {
		t.Fatalf("GET /: %s", r.body)
	}
	for name, link := range idx.Links {
		if got := f.do(t, "GET", link); got.status != 200 {
			t.Errorf("link %s (%s) answered %d", name, link, got.status)
		}
	}
	if r := f.do(t, "GET", "/openapi.json"); !json.Valid([]byte(r.body)) || !strings.Contains(r.body, `"openapi":"3.1.0"`) {
		t.Errorf("/openapi.json is not the JSON document")
	}
	if r := f.do(t, "GET", "/openapi.yaml"); !strings.HasPrefix(r.header.Get("Content-Type"), "application/yaml") || !strings.Contains(r.body, "openapi: 3.1.0") {
		t.Errorf("/openapi.yaml: %s", r.header.Get("Content-Type"))
	}
	if r := f.do(t, "GET", "/docs"); !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.body, "swagger-ui-bundle.js") {
		t.Errorf("/docs: %s %.200s", r.header.Get("Content-Type"), r.body)
	}
	resp, err := f.app.Test(httptest.NewRequest("GET", "/docs/swagger-ui-bundle.js", nil), 10_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || len(b) < 100_000 {
		t.Errorf("/docs/swagger-ui-bundle.js: %d, %d bytes", resp.StatusCode, len(b))
	}
}
