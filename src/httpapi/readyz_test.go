package httpapi

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/store"
)

// countReady counts the store's Ready calls (DescribeTable), each failing with fail() when it
// is non-nil, and each waiting for gate first.
func countReady(st *testutil.MemStore, gate <-chan struct{}, fail func() error) *atomic.Int64 {
	var calls atomic.Int64
	st.Hook = func(_ context.Context, op, _ string) error {
		if op != "Ready" {
			return nil
		}
		calls.Add(1)
		<-gate
		if fail != nil {
			return fail()
		}
		return nil
	}
	return &calls
}

// TestReadyzConcurrentProbesMakeOneCall: probes that arrive together, and probes within
// READY_CACHE_TTL after them, get their answer from one DescribeTable.
func TestReadyzConcurrentProbesMakeOneCall(t *testing.T) {
	const probes = 20
	st := testutil.NewMemStore()
	gate := make(chan struct{})
	calls := countReady(st, gate, nil)
	f := &fixture{app: NewServer(st, quietLogger(), WithReadyCacheTTL(time.Minute)), store: st}
	statuses := make(chan int, probes)
	var wg sync.WaitGroup
	for range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- f.status("/readyz")
		}()
	}
	waitFor(t, "the first DescribeTable", func() bool { return calls.Load() > 0 })
	time.Sleep(50 * time.Millisecond) // let the other probes arrive while it is in flight
	close(gate)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 {
			t.Fatalf("a probe got %d, want 200", s)
		}
	}
	if r := f.do(t, "GET", "/readyz"); r.status != 200 {
		t.Fatalf("a later probe within the TTL: %d %s", r.status, r.body)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d probes made %d DescribeTable calls, want 1", probes+1, n)
	}
}

// TestReadyzAnswerExpires: an answer is reused for READY_CACHE_TTL, not longer: a table that
// becomes ready is seen as ready after it.
func TestReadyzAnswerExpires(t *testing.T) {
	const ttl = 500 * time.Millisecond
	st := testutil.NewMemStore()
	gate := make(chan struct{})
	close(gate)
	var missing atomic.Bool
	missing.Store(true)
	calls := countReady(st, gate, func() error {
		if missing.Load() {
			return &store.Error{Kind: store.Unavailable, Op: "DescribeTable", Msg: "the service's DynamoDB table does not exist"}
		}
		return nil
	})
	f := &fixture{app: NewServer(st, quietLogger(), WithReadyCacheTTL(ttl)), store: st}
	start := time.Now()
	wantJSONError(t, f.do(t, "GET", "/readyz"), 503, "not ready")
	missing.Store(false)
	r := f.do(t, "GET", "/readyz")
	if time.Since(start) >= ttl {
		t.Skipf("the second probe came %s after the first, past the TTL: this machine is too slow for the test", time.Since(start))
	}
	if r.status != 503 || calls.Load() != 1 {
		t.Fatalf("within the TTL: %d %s after %d DescribeTable calls; want the cached 503 from 1", r.status, r.body, calls.Load())
	}
	time.Sleep(ttl)
	if r := f.do(t, "GET", "/readyz"); r.status != 200 || calls.Load() != 2 {
		t.Fatalf("after the TTL: %d %s after %d DescribeTable calls; want 200 from a second one", r.status, r.body, calls.Load())
	}
}
