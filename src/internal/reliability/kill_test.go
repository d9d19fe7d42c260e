package reliability

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/reliability/report"
)

// TestBackendKilledUnderLoad kills dynalite while workers PUT and GET, keeps the load on while
// it is down, restarts it (empty, like DynamoDB Local -inMemory) and recreates the table. Every
// answer must be a success or a 5xx JSON with a reason; the API must never fail to answer,
// never answer 500 (a recovered panic), come back without a restart, and leak no goroutines.
func TestBackendKilledUnderLoad(t *testing.T) {
	backend := dynalitetest.Own(t)
	dynalitetest.CreateNamedTable(t, dynalitetest.Client(t, backend.Endpoint()), "objects", "uuid")
	leaks := leakCheck()
	base := runtime.NumGoroutine()
	a := startAPI(t, backend.Endpoint(), "objects", 2*time.Second)
	workers := pick(8, 32)
	l := startLoad(a, workers, pick(4000, 20000))
	t.Cleanup(func() {
		select {
		case <-l.stop:
		default:
			l.stopLoad()
		}
	})

	if !l.waitAcked(200, 30*time.Second) {
		t.Fatalf("the load did not get 200 successes in 30s before the fault: %s", l.summary("up"))
	}
	sampling := make(chan struct{})
	peak := goroutines(sampling)
	l.setPhase("down")
	l.restarted() // dynalite keeps its data in memory: what was written before is gone
	backend.Stop()
	time.Sleep(time.Duration(pick(2, 5)) * time.Second)
	close(sampling)
	downPeak := <-peak
	l.setPhase("restarting")
	if err := backend.Start(); err != nil {
		t.Fatal(err)
	}
	dynalitetest.CreateNamedTable(t, dynalitetest.Client(t, backend.Endpoint()), "objects", "uuid")
	l.setPhase("recovered")
	if !l.waitAcked(200, 30*time.Second) {
		t.Fatalf("no recovery: fewer than 200 successes in 30s after the restart: %s", l.summary("recovered"))
	}
	l.stopLoad()
	if v := l.violations(); len(v) > 0 {
		t.Fatalf("answers that are neither a success nor a 5xx JSON with a reason: %v\nper phase: down %s; recovered %s",
			v, l.summary("down"), l.summary("recovered"))
	}
	down := l.summary("down")
	if l.tally["down"]["503 unreachable"] == 0 {
		t.Fatalf("no 503 \"unreachable\" while the backend was down: %s", down)
	}
	// Each worker has one request in flight; each request holds a few goroutines (server
	// connection, SDK transport). A pile-up would grow with time, not with the worker count.
	if limit := base + 20*workers + 50; downPeak > limit {
		t.Fatalf("%d goroutines while the backend was down (%d before the API started); want at most %d", downPeak, base, limit)
	}
	a.stop(t)
	backend.Stop()
	if err := leaks(); err != nil {
		t.Fatalf("goroutines left after the API stopped: %v", err)
	}
	report.Record(t, report.BackendFaults, "Backend killed under load",
		fmt.Sprintf("%d workers PUT then GET new ids; kill dynalite mid-load, keep the load on for %ds, restart it, recreate the table; stop the API; goleak",
			workers, pick(2, 5)),
		fmt.Sprintf("while down: %s; peak %d goroutines (%d before the API started); restarted, before the table: %s; after: %s; no answer missing, no 500, no goroutine left",
			down, downPeak, base, l.summary("restarting"), l.summary("recovered")))
}
