package reliability

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/faultproxy"
	"github.com/acme/objects-api/src/internal/reliability/report"
)

// TestSlowBackend puts a proxy that delays every DynamoDB call by far more than DDB_TIMEOUT in
// front of the backend. Every route must answer 504 JSON (readyz 503) after about DDB_TIMEOUT, a
// burst of concurrent requests must not pile up goroutines beyond the requests in flight, and
// once the delay is gone the API must serve again, with nothing leaked.
func TestSlowBackend(t *testing.T) {
	ep := dynalitetest.Endpoint(t)
	table := dynalitetest.CreateTable(t, dynalitetest.Client(t, ep), "uuid")
	leaks := leakCheck()
	base := workingGoroutines()
	proxy := faultproxy.Start(t, ep)
	const timeout = time.Second
	// Generous: the bound is "about DDB_TIMEOUT", not "never waits for the delay" (30s).
	const bound = timeout + 4*time.Second
	const delay = 30 * time.Second
	a := startAPI(t, proxy.URL(), table, timeout)
	if r := a.do("PUT", "/object/"+uuid.NewString()); r.status != 201 {
		t.Fatalf("PUT through the proxy without a delay: %d %s %v", r.status, r.body, r.err)
	}

	proxy.SetDelay(delay)
	id := uuid.NewString()
	var slowest time.Duration
	for _, rt := range []struct {
		method, path string
		status       int
	}{
		{"PUT", "/object/" + id, 504},
		{"GET", "/object/" + id, 504},
		{"DELETE", "/object/" + id, 504},
		{"GET", "/objects", 504},
		{"DELETE", "/objects", 504},
		{"GET", "/readyz", 503}, // not ready, whatever the cause
	} {
		r := a.do(rt.method, rt.path)
		wantError(t, rt.method+" "+rt.path+" with a slow backend", r, rt.status, "did not answer within 1s (DDB_TIMEOUT)")
		if r.took < timeout || r.took > bound {
			t.Fatalf("%s %s answered after %s; want between DDB_TIMEOUT %s and %s", rt.method, rt.path, r.took, timeout, bound)
		}
		slowest = max(slowest, r.took)
	}

	burst := pick(64, 256)
	sampling := make(chan struct{})
	peak := goroutines(sampling)
	var wg sync.WaitGroup
	replies := make([]reply, burst)
	start := time.Now()
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = a.do("PUT", "/object/"+uuid.NewString())
		}()
	}
	wg.Wait()
	burstTook := time.Since(start)
	close(sampling)
	burstPeak := <-peak
	for i, r := range replies {
		if msg, err := r.errorMessage(); err != nil || r.status != 504 {
			t.Fatalf("burst request %d: %d %q %v; want 504 JSON", i, r.status, msg, err)
		}
	}
	// Every request is answered from its own timeout; they do not queue behind each other.
	if burstTook > bound {
		t.Fatalf("%d concurrent PUTs took %s; want all answered within %s", burst, burstTook, bound)
	}
	// The test's own idle keep-alive connections hold goroutines on both ends; drop them so the
	// count is what the API kept.
	a.client.CloseIdleConnections()
	settled := waitGoroutines(base+40, 15*time.Second)

	proxy.SetDelay(0)
	if r := a.do("PUT", "/object/"+id); r.status != 201 {
		t.Fatalf("PUT once the delay is gone: %d %s %v; want 201", r.status, r.body, r.err)
	}
	a.stop(t)
	proxy.Close()
	if err := leaks(); err != nil {
		t.Fatalf("goroutines left after the API stopped: %v", err)
	}
	if settled > base+40 {
		t.Fatalf("%d goroutines 15s after the burst (%d before the API started): requests that timed out left work behind", settled, base)
	}
	report.Record(t, report.BackendFaults, "Slow backend",
		fmt.Sprintf("a proxy delays every DynamoDB call by %s; DDB_TIMEOUT %s; call every route, then %d concurrent PUTs; remove the delay; goleak", delay, timeout, burst),
		fmt.Sprintf("every route 504 JSON \"did not answer within 1s (DDB_TIMEOUT)\" (readyz 503), slowest %s; burst: %d×504 in %s, peak %d goroutines, %d working ones after it settled (%d before the API started); PUT 201 once the delay was gone; no goroutine left",
			slowest.Round(time.Millisecond), burst, burstTook.Round(time.Millisecond), burstPeak, settled, base))
}

// waitGoroutines waits up to d for the count of working goroutines to fall to n and returns
// the last count.
func waitGoroutines(n int, d time.Duration) int {
	deadline := time.Now().Add(d)
	for {
		c := workingGoroutines()
		if c <= n || time.Now().After(deadline) {
			return c
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// workingGoroutines counts goroutines except fasthttp's idle pooled workers: after a burst
// fasthttp keeps one worker per recent connection parked for up to 10s (MaxIdleWorkerDuration)
// to reuse it. Those hold no request; a worker serving a connection is counted.
func workingGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "fasthttp.(*workerPool).workerFunc") && !strings.Contains(g, "serveConn") {
			continue
		}
		count++
	}
	return count
}
