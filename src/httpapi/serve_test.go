package httpapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/goleak"

	"github.com/acme/objects-api/src/internal/testutil"
)

// TestServeShutsDownGracefully: when Serve's context ends (SIGTERM in main) with a PUT waiting
// for the store, an idle keep-alive connection and a connection that never sent a request, the
// PUT is answered and stored, the unused connection is closed, Serve returns nil as soon as
// the PUT is done, and no goroutine is left behind.
func TestServeShutsDownGracefully(t *testing.T) {
	defer goleak.VerifyNone(t,
		goleak.IgnoreCurrent(),
		// fasthttp's Date-header clock and idle-worker cleaner: one per process, ending on their own.
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"))
	st := testutil.NewMemStore()
	release := make(chan struct{})
	inPut := make(chan struct{})
	st.Hook = func(_ context.Context, op, _ string) error {
		if op == "Put" {
			close(inPut)
			<-release
		}
		return nil
	}
	app := NewServer(st, quietLogger())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, app, ln, 10*time.Second) }()
	base := "http://" + ln.Addr().String()

	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(base + "/healthz") // leaves an idle keep-alive connection
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	unused, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()
	id := uuid.NewString()
	put := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("PUT", base+"/object/"+id, nil)
		r, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
		if err != nil {
			put <- 0
			return
		}
		r.Body.Close()
		put <- r.StatusCode
	}()
	<-inPut

	cancel()
	const hold = 300 * time.Millisecond
	time.Sleep(hold)
	start := time.Now()
	close(release)
	if status := <-put; status != 201 {
		t.Fatalf("the PUT in flight at shutdown: %d, want 201", status)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return within 3s of the last request's end")
	}
	t.Logf("Serve returned %s after the PUT was released", time.Since(start).Round(time.Millisecond))
	if _, err := st.Get(context.Background(), id); err != nil {
		t.Fatalf("the PUT acknowledged during shutdown is not stored: %v", err)
	}
	_ = unused.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := unused.Read(make([]byte, 1)); err == nil || isTimeout(err) {
		t.Fatalf("the unused connection is still open after shutdown (read %d, %v)", n, err)
	}
	client.CloseIdleConnections()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
