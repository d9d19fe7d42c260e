package httpapi

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// heldScans is a Store whose every Scan has pages pages of one object each. The second page
// waits until release is closed, so a GET /objects holds its scan open in the body stream,
// after its handler has returned; waiting counts the scans blocked there.
type heldScans struct {
	*testutil.MemStore
	pages   int
	release chan struct{}
	waiting atomic.Int64
}

func newHeldScans(pages int) *heldScans {
	return &heldScans{MemStore: testutil.NewMemStore(), pages: pages, release: make(chan struct{})}
}

func (h *heldScans) Scan() store.Pages { return &heldPages{h: h} }

type heldPages struct {
	h    *heldScans
	read int
}

func (p *heldPages) More() bool { return p.read < p.h.pages }

func (p *heldPages) Next(ctx context.Context, dst []object.Object) ([]object.Object, error) {
	if p.read++; p.read == 2 {
		p.h.waiting.Add(1)
		select {
		case <-p.h.release:
		case <-ctx.Done():
			return dst[:0], ctx.Err()
		}
		p.h.waiting.Add(-1)
	}
	return append(dst[:0], object.Object{UUID: uuid.NewString(), TS: "2022-08-25T12:06:56.563581"}), nil
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 5 s for %s", what)
		}
	}
}

// status GETs target in process, reads the whole body, and returns the status (0 when the
// request failed); unlike do, it may run on any goroutine.
func (f *fixture) status(target string) int {
	resp, err := f.app.Test(httptest.NewRequest("GET", target, nil), 30_000)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// TestListsAreCapped: with LIST_MAX_CONCURRENT lists streaming, one more GET /objects is a
// JSON 503 with Retry-After, counted in the metrics; once they have finished, a list succeeds.
func TestListsAreCapped(t *testing.T) {
	const limit = 3
	st := newHeldScans(2)
	logs := &testutil.SyncBuffer{}
	f := &fixture{app: NewServer(st, slog.New(slog.NewJSONHandler(logs, nil)), WithListMaxConcurrent(limit)), store: st.MemStore}
	statuses := make(chan int, limit)
	for range limit {
		go func() { statuses <- f.status("/objects") }()
	}
	waitFor(t, fmt.Sprintf("%d lists to stream", limit), func() bool { return st.waiting.Load() == limit })

	r := f.do(t, "GET", "/objects")
	wantJSONError(t, r, 503, "retry shortly")
	if r.header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	// A refusal any client can cause is a WARN, never an ERROR that pages someone.
	for _, line := range logs.Lines() {
		if strings.Contains(line, `"level":"ERROR"`) {
			t.Fatalf("the list cap's 503 logged at ERROR: %s", line)
		}
	}
	if !strings.Contains(strings.Join(logs.Lines(), "\n"), `"msg":"request refused"`) {
		t.Fatalf("the list cap's 503 left no WARN line: %q", logs.Lines())
	}

	close(st.release)
	for range limit {
		if s := <-statuses; s != 200 {
			t.Fatalf("a held list ended with status %d, want 200", s)
		}
	}
	if r := f.do(t, "GET", "/objects"); r.status != 200 {
		t.Fatalf("GET /objects after the lists finished: %d %s; want 200", r.status, r.body)
	}
	want := `objects_api_http_requests_total{method="GET",route="/objects",status="503"} 1`
	if body := f.do(t, "GET", "/metrics").body; !strings.Contains(body, want) {
		t.Fatalf("/metrics lacks %s", want)
	}
}

// TestListSlotFreedWhenClientGoes: a list whose client closes the connection mid-stream frees
// its slot, and an HTTP/1.0 list (sent on a hijacked connection) frees it once sent.
func TestListSlotFreedWhenClientGoes(t *testing.T) {
	st := newHeldScans(5000)
	f := &fixture{app: NewServer(st, quietLogger(), WithListMaxConcurrent(1)), store: st.MemStore}
	addr := f.listen(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(conn, "GET /objects HTTP/1.1\r\nHost: api\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the list to stream", func() bool { return st.waiting.Load() == 1 })
	conn.Close()
	close(st.release) // the stream goes on writing to a closed connection, and fails

	base := "http://" + addr
	waitFor(t, "a list to be served after its client went away", func() bool {
		resp, err := http.Get(base + "/objects")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode == 200
	})

	// read until the server closes the connection
	if x := testutil.SendRaw(t, addr, "GET", "GET /objects HTTP/1.0\r\n\r\n", 10*time.Second); x.First == nil || !x.Closed {
		t.Fatalf("an HTTP/1.0 list: %+v closed=%v", x.First, x.Closed)
	}
	if r := f.do(t, "GET", "/objects"); r.status != 200 {
		t.Fatalf("GET /objects after an HTTP/1.0 list: %d %s; want 200", r.status, r.body)
	}
}
