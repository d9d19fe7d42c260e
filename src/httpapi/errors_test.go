package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
	"github.com/acme/objects-api/src/store"
)

// Test5xxBodyForClientsDetailsForLogs: a backend failure's body says what failed and what to
// do, with the request id; the endpoint, the dial error and the SDK's text are only in the log
// line that carries the same id.
func Test5xxBodyForClientsDetailsForLogs(t *testing.T) {
	const detail = "dial tcp 10.0.0.7:8000: connect: connection refused"
	logs := &testutil.SyncBuffer{}
	st := testutil.NewMemStore()
	st.Hook = func(context.Context, string, string) error {
		return &store.Error{Kind: store.Unavailable, Op: "GetItem", Msg: "DynamoDB is unreachable; retry later", Err: errors.New(detail)}
	}
	f := &fixture{app: NewServer(st, slog.New(slog.NewJSONHandler(logs, nil))), store: st}
	r := f.do(t, "GET", "/object/"+uuid.NewString())
	id := r.header.Get("X-Request-ID")
	wantJSONError(t, r, 503, "DynamoDB is unreachable; retry later (request id "+id+")")
	if strings.Contains(r.body, "10.0.0.7") || strings.Contains(r.body, "dial") {
		t.Fatalf("the body carries internals: %s", r.body)
	}
	var logged bool
	for _, line := range logs.Lines() {
		if strings.Contains(line, `"msg":"request failed"`) && strings.Contains(line, `"request_id":"`+id+`"`) && strings.Contains(line, detail) {
			logged = true
		}
	}
	if !logged {
		t.Fatalf("no log line with request id %s and the detail:\n%s", id, logs)
	}
}

// partialStore's DeleteAll, when it fails, says it deleted n objects before that, as the
// store's does when DynamoDB fails or the request's time runs out mid-way.
type partialStore struct {
	*testutil.MemStore
	n int
}

func (p *partialStore) DeleteAll(ctx context.Context) (int, error) {
	n, err := p.MemStore.DeleteAll(ctx)
	if err != nil {
		return p.n, err
	}
	return n, nil
}

// deleteAllHook makes the store's DeleteAll wait until its context ends, and reports the cause.
func deleteAllHook(st *testutil.MemStore) <-chan error {
	cause := make(chan error, 1)
	st.Hook = func(ctx context.Context, op, _ string) error {
		if op != "DeleteAll" {
			return nil
		}
		<-ctx.Done()
		cause <- context.Cause(ctx)
		return &store.Error{Kind: store.Timeout, Op: "DeleteAll", Msg: "stopped; 7 objects were deleted before that", Err: ctx.Err()}
	}
	return cause
}

func TestDeleteAllStops(t *testing.T) {
	t.Run("after DELETE_ALL_TIMEOUT", func(t *testing.T) {
		st := testutil.NewMemStore()
		cause := deleteAllHook(st)
		// The 5xx body also carries, as a number, the lower bound on what was deleted.
		f := &fixture{app: NewServer(&partialStore{st, 7}, quietLogger(), WithDeleteAll(true, 50*time.Millisecond)), store: st}
		r := f.do(t, "DELETE", "/objects")
		wantJSONError(t, r, 504, "7 objects were deleted")
		if err := <-cause; !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("cause %v, want the deadline", err)
		}
		var body struct {
			DeletedAtLeast *int `json:"deleted_at_least"`
		}
		if err := json.Unmarshal([]byte(r.body), &body); err != nil || body.DeletedAtLeast == nil || *body.DeletedAtLeast != 7 {
			t.Fatalf("body %s; want deleted_at_least 7", r.body)
		}
	})
	t.Run("when the server shuts down", func(t *testing.T) {
		st := testutil.NewMemStore()
		cause := deleteAllHook(st)
		stopping, stop := context.WithCancel(context.Background())
		f := &fixture{app: NewServer(st, quietLogger(), WithStopping(stopping)), store: st}
		time.AfterFunc(50*time.Millisecond, stop)
		wantJSONError(t, f.do(t, "DELETE", "/objects"), 504, "7 objects were deleted")
		if err := <-cause; !errors.Is(err, errStopping) {
			t.Fatalf("cause %v, want errStopping", err)
		}
	})
	t.Run("when the client goes away", func(t *testing.T) {
		f := newFixture(t)
		cause := deleteAllHook(f.store)
		conn, err := net.Dial("tcp", f.listen(t))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(conn, "DELETE /objects HTTP/1.1\r\nHost: api\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		conn.Close()
		select {
		case err := <-cause:
			if !errors.Is(err, errClientGone) {
				t.Fatalf("cause %v, want errClientGone", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("DELETE /objects still running 5s after its client closed the connection")
		}
	})
}

func TestDeleteAllSwitchedOff(t *testing.T) {
	st := testutil.NewMemStore(object.Object{UUID: uuid.NewString()})
	f := &fixture{app: NewServer(st, quietLogger(), WithDeleteAll(false, time.Minute)), store: st}
	wantJSONError(t, f.do(t, "DELETE", "/objects"), 403, "switched off")
	if st.Len() != 1 {
		t.Fatal("a refused DELETE /objects deleted objects")
	}
}

func TestStoreKindsToStatuses(t *testing.T) {
	for kind, status := range map[store.Kind]int{store.Unavailable: 503, store.Timeout: 504, store.Rejected: 502} {
		st := testutil.NewMemStore()
		st.Hook = func(context.Context, string, string) error { return &store.Error{Kind: kind, Op: "PutItem", Msg: "m"} }
		wantJSONError(t, newFixtureWith(t, st).do(t, "PUT", "/object/"+uuid.NewString()), status, "m (request id ")
	}
}

// TestDeleteAllKeepsTheConnection: watching for the client's departure leaves a keep-alive
// connection usable for the next request.
func TestDeleteAllKeepsTheConnection(t *testing.T) {
	f := newFixture(t)
	f.seed(t, 1)
	conn, err := net.Dial("tcp", f.listen(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for _, req := range []string{"DELETE /objects", "GET /healthz"} {
		if _, err := io.WriteString(conn, req+" HTTP/1.1\r\nHost: api\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("%s on the kept-alive connection: %v", req, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", req, resp.StatusCode, body)
		}
	}
}
