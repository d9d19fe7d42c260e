package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/acme/objects-api/src/http1"
	"github.com/acme/objects-api/src/internal/contract"
	"github.com/acme/objects-api/src/internal/testutil"
)

var _ Store = (*testutil.MemStore)(nil)

// fixture is the API on an in-memory store.
type fixture struct {
	app   *fiber.App
	store *testutil.MemStore
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, testutil.NewMemStore())
}

func newFixtureWith(t *testing.T, st *testutil.MemStore) *fixture {
	t.Helper()
	return &fixture{app: NewServer(st, quietLogger()), store: st}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }

// response is a finished response with its body read.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request in process with app.Test.
func (f *fixture) do(t *testing.T, method, target string) response {
	t.Helper()
	return f.doReq(t, httptest.NewRequest(method, target, nil))
}

// doReq sends req in process and checks the exchange against the OpenAPI document.
func (f *fixture) doReq(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := f.app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	contract.Check(t, req, resp, b)
	wantNosniff(t, resp.Header)
	return response{resp.StatusCode, resp.Header, string(b)}
}

// listen serves the app on a loopback port, as main does, and returns its address (host:port).
func (f *fixture) listen(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, f.app, ln, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// wrapConn wraps conn as http1.WrapListener wraps the connections main serves.
func wrapConn(t testing.TB, conn net.Conn) net.Conn {
	t.Helper()
	wrapped, err := http1.WrapListener(oneConnListener{conn}).Accept()
	if err != nil {
		t.Fatal(err)
	}
	return wrapped
}

// oneConnListener is a listener whose Accept returns its connection.
type oneConnListener struct{ conn net.Conn }

func (l oneConnListener) Accept() (net.Conn, error) { return l.conn, nil }
func (l oneConnListener) Close() error              { return nil }
func (l oneConnListener) Addr() net.Addr            { return l.conn.LocalAddr() }

// wantJSONError checks that r is status with a JSON body {"error": "..."} containing substr.
func wantJSONError(t *testing.T, r response, status int, substr string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d (body %s)", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, want application/json (body %s)", ct, r.body)
	}
	var body struct {
		Error string `json:"error"`
	}
	var keys map[string]json.RawMessage
	_ = json.Unmarshal([]byte(r.body), &keys)
	delete(keys, "deleted_at_least") // DELETE /objects' failures also say how many they deleted
	if err := json.Unmarshal([]byte(r.body), &body); err != nil || len(keys) != 1 || body.Error == "" {
		t.Fatalf("body %q is not {\"error\": \"...\"}", r.body)
	}
	if !strings.Contains(body.Error, substr) {
		t.Fatalf("error %q does not contain %q", body.Error, substr)
	}
}

// wantNosniff checks X-Content-Type-Options, which every response carries.
func wantNosniff(t *testing.T, h http.Header) {
	t.Helper()
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Fatalf("X-Content-Type-Options %q, want nosniff", got)
	}
}
