package main

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// faults sits between the command and the test backend: it forwards DynamoDB requests and,
// once an operation has been let through `allow` times, rejects every later call of it with a
// DynamoDB error the SDK does not retry, so exactly `allow` of them reached the backend.
type faults struct {
	mu    sync.Mutex
	allow map[string]int // operation (e.g. "PutItem") -> calls still let through
	delay time.Duration
	calls map[string]int // operation -> calls received
}

// called is how many calls of op the proxy has received.
func (f *faults) called(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// startFaults proxies to backend and returns the proxy's URL, for DDB_ENDPOINT_URL.
func startFaults(t *testing.T, backend string, f *faults) string {
	t.Helper()
	u, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")
		f.mu.Lock()
		if f.calls == nil {
			f.calls = map[string]int{}
		}
		f.calls[op]++
		delay := f.delay
		left, limited := f.allow[op]
		if limited && left > 0 {
			f.allow[op] = left - 1
		}
		f.mu.Unlock()
		time.Sleep(delay)
		if limited && left == 0 {
			w.Header().Set("Content-Type", "application/x-amz-json-1.0")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"com.amazon.coral.validate#ValidationException","message":"injected by the test"}`))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
