package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/contract"
	"github.com/acme/objects-api/src/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.Run(m)) }

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// apiBinary compiles the command once per test run: these tests exercise the real binary.
func apiBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "api-e2e")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "api")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// proc is a running API binary.
type proc struct {
	*testutil.Proc
	base string
	out  *testutil.SyncBuffer
}

func startAPI(t *testing.T, env ...string) *proc {
	t.Helper()
	port := testutil.FreePort(t)
	cmd := exec.Command(apiBinary(t))
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), fmt.Sprintf("PORT=%d", port),
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=localkey", "AWS_SECRET_ACCESS_KEY=localsecret"}, env...)
	p := &proc{base: fmt.Sprintf("http://127.0.0.1:%d", port), out: &testutil.SyncBuffer{}}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	var err error
	if p.Proc, err = testutil.StartProc(cmd); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(0) })
	if err := p.WaitHTTP(context.Background(), p.base+"/healthz", 0, 10*time.Second); err != nil {
		t.Fatalf("API: %v; output:\n%s", err, p.out)
	}
	return p
}

// startAPIOnTable starts the binary on a fresh table (hash key uuid) of the shared test backend.
func startAPIOnTable(t *testing.T) *proc {
	t.Helper()
	ep := testutil.Endpoint(t)
	table := testutil.CreateTable(t, testutil.Client(t, ep), "uuid")
	return startAPI(t, "DDB_ENDPOINT_URL="+ep, "DDB_TABLE_NAME="+table)
}

func (p *proc) call(t *testing.T, method, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, p.base+path, nil)
	resp, err := contract.Client(t).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	t.Logf("%s %s -> %d %s", method, path, resp.StatusCode, b)
	return resp.StatusCode, string(b)
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.Done:
		if p.Err != nil {
			t.Fatalf("exit after SIGTERM: %v; output:\n%s", p.Err, p.out)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit within 15s of SIGTERM")
	}
	if !strings.Contains(p.out.String(), `"msg":"shutting down"`) {
		t.Fatalf("no shutdown log line; output:\n%s", p.out)
	}
}

// TestBinaryFlow runs the compiled binary against the test backend, as the README's curl flow does.
func TestBinaryFlow(t *testing.T) {
	p := startAPIOnTable(t)
	id := uuid.NewString()
	steps := []struct {
		method, path string
		status       int
		body         string // exact, or a prefix when it ends in "*"
	}{
		{"GET", "/readyz", 200, `{"status":"ready"}`},
		{"PUT", "/object/" + id, 201, `{"object":"` + id + `"}`},
		{"PUT", "/object/" + id, 200, `{"object":"` + id + `"}`},
		{"GET", "/object/" + id, 200, `{"object":{"uuid":"` + id + `","ts":"*`},
		{"GET", "/objects", 200, `{"objects":[{"uuid":"` + id + `","ts":"*`},
		{"GET", "/object/not-a-uuid", 400, `{"error":"invalid object id *`},
		{"DELETE", "/object/" + id, 204, ``},
		{"GET", "/object/" + id, 404, `{"error":"object ` + id + ` not found"}`},
		{"DELETE", "/objects", 200, `{"msg":"Objects deleted","deleted":0}`},
	}
	for _, s := range steps {
		status, body := p.call(t, s.method, s.path)
		ok := body == s.body
		if prefix, isPrefix := strings.CutSuffix(s.body, "*"); isPrefix {
			ok = strings.HasPrefix(body, prefix)
		}
		if status != s.status || !ok {
			t.Fatalf("%s %s = %d %s; want %d %s", s.method, s.path, status, body, s.status, s.body)
		}
	}
	if out := p.out.String(); !strings.Contains(out, `"msg":"request","method":"PUT","route":"/object/:id"`) {
		t.Fatalf("no access log line for the PUT in the output:\n%s", out)
	}
	// main hands the server's metrics to the store's instrumentation.
	if _, body := p.call(t, "GET", "/metrics"); !strings.Contains(body, `objects_api_dynamodb_calls_total{operation="PutItem",outcome="ok"} 2`) {
		t.Fatalf("/metrics does not count the PUTs' PutItem calls:\n%.2000s", body)
	}
	if out, err := runHealthcheck(t, p.port()); err != nil {
		t.Fatalf("api healthcheck against a ready API: %v\n%s", err, out)
	}
	p.stop(t)
}

// TestBinaryStartsBeforeBackendAndRecovers: the API serves while DynamoDB is down, answers 503
// quickly, and recovers without a restart once the backend and table exist (Tilt starts
// services without waiting for compose's conditions).
func TestBinaryStartsBeforeBackendAndRecovers(t *testing.T) {
	backend := testutil.OwnDynalite(t) // this test stops and starts its own backend
	backend.Stop()
	// READY_CACHE_TTL=0: each /readyz below must see the backend's state at that moment.
	p := startAPI(t, "DDB_ENDPOINT_URL="+backend.Endpoint(), "DDB_TABLE_NAME=objects", "DDB_TIMEOUT=2s", "READY_CACHE_TTL=0s")

	start := time.Now()
	if status, body := p.call(t, "GET", "/readyz"); status != 503 || !strings.Contains(body, "unreachable") {
		t.Fatalf("readyz with the backend down = %d %s; want 503 naming the cause", status, body)
	}
	if status, _ := p.call(t, "PUT", "/object/"+uuid.NewString()); status != 503 {
		t.Fatalf("PUT with the backend down = %d, want 503", status)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("two requests against a down backend took %s; they must fail fast", d)
	}

	if err := backend.Start(); err != nil {
		t.Fatal(err)
	}
	if status, body := p.call(t, "GET", "/readyz"); status != 503 || !strings.Contains(body, "table does not exist") {
		t.Fatalf("readyz without the table = %d %s; want 503 naming the cause", status, body)
	}
	c := testutil.Client(t, backend.Endpoint())
	testutil.CreateNamedTable(t, c, "objects", "uuid")
	if status, body := p.call(t, "GET", "/readyz"); status != 200 {
		t.Fatalf("readyz after the table appeared = %d %s; want 200 without a restart", status, body)
	}
	if status, _ := p.call(t, "PUT", "/object/"+uuid.NewString()); status != 201 {
		t.Fatalf("PUT after recovery = %d, want 201", status)
	}
	p.stop(t)
}

// TestBinaryConfigErrorsExit2: a bad configuration stops the binary with exit code 2 and
// config's message (which names every bad variable: src/config's TestLoadNamesEveryBadVariable).
func TestBinaryConfigErrorsExit2(t *testing.T) {
	cmd := exec.Command(apiBinary(t))
	cmd.Env = []string{"PORT=http"}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "PORT") {
		t.Fatalf("exit = %v, want status 2 naming PORT; output:\n%s", err, out)
	}
}

// runHealthcheck runs `api healthcheck args...` against the API on port.
func runHealthcheck(t *testing.T, port string, args ...string) ([]byte, error) {
	cmd := exec.Command(apiBinary(t), append([]string{"healthcheck"}, args...)...)
	cmd.Env = []string{"PORT=" + port}
	return cmd.CombinedOutput()
}

func (p *proc) port() string { return strings.TrimPrefix(p.base, "http://127.0.0.1:") }

// TestHealthcheckLiveness: with DynamoDB unreachable, `api healthcheck` (readiness) fails while
// `api healthcheck -liveness` passes: a DynamoDB outage must not make a scheduler replace every
// task. With nothing listening both fail (against a ready API: TestBinaryFlow); a wrong flag
// exits 2.
func TestHealthcheckLiveness(t *testing.T) {
	p := startAPI(t, "DDB_ENDPOINT_URL=http://127.0.0.1:1", "DDB_TABLE_NAME=objects", "DDB_TIMEOUT=1s")
	if out, err := runHealthcheck(t, p.port()); err == nil || !strings.Contains(string(out), "/readyz: 503") {
		t.Fatalf("readiness healthcheck with DynamoDB unreachable: %v %s; want a failure naming /readyz's 503", err, out)
	}
	if out, err := runHealthcheck(t, p.port(), "-liveness"); err != nil {
		t.Fatalf("healthcheck -liveness with DynamoDB unreachable: %v %s; want exit 0", err, out)
	}
	var exit *exec.ExitError
	if out, err := runHealthcheck(t, p.port(), "-livenes"); !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("healthcheck -livenes: %v %s; want exit 2", err, out)
	}
	p.stop(t)
	if _, err := runHealthcheck(t, p.port(), "-liveness"); err == nil {
		t.Fatal("healthcheck -liveness with nothing listening exited 0")
	}
}
