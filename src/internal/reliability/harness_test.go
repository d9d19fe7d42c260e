package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.uber.org/goleak"

	"github.com/acme/objects-api/src/httpapi"
	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/store"
)

func TestMain(m *testing.M) { os.Exit(dynalitetest.Run(m)) }

// long reports whether the longer runs are on (mk/reliability.mk sets it under CI=true).
var long = os.Getenv("RELIABILITY_LONG") == "1"

// pick is short in ordinary runs and long under RELIABILITY_LONG=1.
func pick(short, long_ int) int {
	if long {
		return long_
	}
	return short
}

// api is the Objects API served in this process on a loopback port, as main serves it.
type api struct {
	base   string
	app    *fiber.App
	logs   *testutil.SyncBuffer
	client *http.Client
	served chan error
}

// startAPI serves the API against a DynamoDB endpoint and table, with DDB_TIMEOUT timeout.
func startAPI(t *testing.T, endpoint, table string, timeout time.Duration) *api {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", dynalitetest.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", dynalitetest.SecretKey)
	c, err := store.NewClient(context.Background(), dynalitetest.Region, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testutil.SyncBuffer{}
	app := httpapi.NewServer(store.New(c, table, "uuid", endpoint, timeout), slog.New(slog.NewJSONHandler(logs, nil)))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := &api{
		base: "http://" + ln.Addr().String(), app: app, logs: logs, served: make(chan error, 1),
		client: &http.Client{
			Timeout:   60 * time.Second, // a hang shows as a failure, not as a stuck test
			Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 512},
		},
	}
	go func() { a.served <- app.Listener(httpapi.WrapListener(ln)) }()
	t.Cleanup(func() { a.stop(t) })
	return a
}

// stop shuts the server down (waiting for in-flight requests) and drops the client's connections.
func (a *api) stop(t *testing.T) {
	t.Helper()
	if a.served == nil {
		return
	}
	if err := a.app.ShutdownWithTimeout(15 * time.Second); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	select {
	case err := <-a.served:
		if err != nil {
			t.Errorf("serving ended with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("the server did not stop within 20s of shutdown")
	}
	a.served = nil
	a.client.CloseIdleConnections()
	if strings.Contains(a.logs.String(), "panic") {
		t.Errorf("the API logged a panic:\n%s", a.logs)
	}
}

// reply is one finished request.
type reply struct {
	status int
	body   string
	header http.Header
	took   time.Duration
	err    error // transport error: the API did not answer
}

func (a *api) do(method, path string) reply {
	start := time.Now()
	req, err := http.NewRequest(method, a.base+path, nil)
	if err != nil {
		return reply{err: err}
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return reply{err: err, took: time.Since(start)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, body: string(b), header: resp.Header, took: time.Since(start), err: err}
}

// errorMessage returns the message of a JSON error body {"error": "..."}, or an error saying
// why r is not one.
func (r reply) errorMessage() (string, error) {
	if r.err != nil {
		return "", r.err
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		return "", fmt.Errorf("status %d with Content-Type %q, not application/json: %s", r.status, ct, r.body)
	}
	var body map[string]string
	if err := json.Unmarshal([]byte(r.body), &body); err != nil || len(body) != 1 || body["error"] == "" {
		return "", fmt.Errorf("status %d body %q is not {\"error\": \"...\"}", r.status, r.body)
	}
	return body["error"], nil
}

// wantError fails unless r is status with a JSON error body containing substr.
func wantError(t *testing.T, what string, r reply, status int, substr string) string {
	t.Helper()
	msg, err := r.errorMessage()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if r.status != status || !strings.Contains(msg, substr) {
		t.Fatalf("%s: %d %q; want %d with an error containing %q", what, r.status, msg, status, substr)
	}
	return msg
}

// leakCheck snapshots the goroutines now; the returned function reports those started since
// that are still running, waiting up to 15s for them to end (connections close asynchronously).
func leakCheck() func() error { return leakCheckWithin(15 * time.Second) }

func leakCheckWithin(wait time.Duration) func() error {
	opts := []goleak.Option{
		goleak.IgnoreCurrent(),
		// fasthttp's Date header clock: one goroutine per process, started on first use.
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
		// fasthttp's idle-worker cleaner sleeps 10s (MaxIdleWorkerDuration) between rounds and
		// sees a stopped server only when it wakes: it ends within 10s of shutdown.
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"),
		// The test harness's reaper of a dynalite process it (re)started.
		goleak.IgnoreAnyFunction("github.com/acme/objects-api/src/internal/dynalitetest.(*Server).Start.func1"),
	}
	return func() error {
		deadline := time.Now().Add(wait)
		for {
			err := goleak.Find(opts...)
			if err == nil || time.Now().After(deadline) {
				return err
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

// goroutines samples runtime.NumGoroutine until stop is closed and returns the peak.
func goroutines(stop <-chan struct{}) <-chan int {
	peak := make(chan int, 1)
	go func() {
		max := runtime.NumGoroutine()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- max
				return
			case <-tick.C:
				if n := runtime.NumGoroutine(); n > max {
					max = n
				}
			}
		}
	}()
	return peak
}
