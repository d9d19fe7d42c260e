package reliability

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/dynalitetest"
	"github.com/acme/objects-api/src/internal/reliability/report"
)

// TestBackendDownAtStartup: the API starts while DynamoDB is down, serves /healthz, answers every
// route 503 JSON without waiting for DDB_TIMEOUT, then reports the missing table, and recovers
// when the table appears, all without a restart and without leaking goroutines.
func TestBackendDownAtStartup(t *testing.T) {
	backend := dynalitetest.Own(t)
	backend.Stop()
	leaks := leakCheck()
	const timeout = 5 * time.Second
	// "Fast" is well under DDB_TIMEOUT: the API did not sit out a timeout on a refused connection.
	const fast = timeout / 2
	a := startAPI(t, backend.Endpoint(), "objects", timeout)

	if r := a.do("GET", "/healthz"); r.status != 200 {
		t.Fatalf("healthz with the backend down: %d %s %v", r.status, r.body, r.err)
	}
	id := uuid.NewString()
	var slowest time.Duration
	for _, rt := range []struct{ method, path, want string }{
		{"GET", "/readyz", "unreachable"},
		{"PUT", "/object/" + id, "unreachable"},
		{"GET", "/object/" + id, "unreachable"},
		{"DELETE", "/object/" + id, "unreachable"},
		{"GET", "/objects", "unreachable"},
		{"DELETE", "/objects", "unreachable"},
	} {
		r := a.do(rt.method, rt.path)
		wantError(t, rt.method+" "+rt.path+" with the backend down", r, 503, rt.want)
		if r.header.Get("Retry-After") == "" {
			t.Fatalf("%s %s: 503 without Retry-After", rt.method, rt.path)
		}
		if r.took > fast {
			t.Fatalf("%s %s took %s with the backend down; want under %s (DDB_TIMEOUT %s)", rt.method, rt.path, r.took, fast, timeout)
		}
		slowest = max(slowest, r.took)
	}
	report.Record(t, report.BackendFaults, "Backend down at startup",
		"start the API against a stopped dynalite; call /healthz, /readyz and all five object routes",
		fmt.Sprintf("/healthz 200; /readyz and every route 503 JSON \"unreachable\" with Retry-After, slowest %s (DDB_TIMEOUT %s)", slowest.Round(time.Millisecond), timeout))

	if err := backend.Start(); err != nil {
		t.Fatal(err)
	}
	ready := wantError(t, "readyz without the table", a.do("GET", "/readyz"), 503, `table "objects" does not exist`)
	put := wantError(t, "PUT without the table", a.do("PUT", "/object/"+id), 503, "terraform job creates it")
	report.Record(t, report.BackendFaults, "Table missing",
		"start dynalite without the table under the running API; call /readyz and PUT",
		fmt.Sprintf("/readyz 503 %q; PUT 503 %q", ready, put))

	dynalitetest.CreateNamedTable(t, dynalitetest.Client(t, backend.Endpoint()), "objects", "uuid")
	if r := a.do("GET", "/readyz"); r.status != 200 {
		t.Fatalf("readyz once the table exists: %d %s; want 200 without a restart", r.status, r.body)
	}
	if r := a.do("PUT", "/object/"+id); r.status != 201 {
		t.Fatalf("PUT after recovery: %d %s", r.status, r.body)
	}
	if r := a.do("GET", "/object/"+id); r.status != 200 {
		t.Fatalf("GET after recovery: %d %s", r.status, r.body)
	}
	a.stop(t)
	backend.Stop()
	if err := leaks(); err != nil {
		t.Fatalf("goroutines left after the API stopped: %v", err)
	}
	report.Record(t, report.BackendFaults, "Backend comes up after the API",
		"create the table while the API runs; call /readyz, PUT, GET; stop the API; look for leaked goroutines (goleak)",
		"/readyz 200, PUT 201, GET 200 with no restart; no goroutine left after shutdown")
}
