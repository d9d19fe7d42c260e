package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// bigList is a fixture whose GET /objects is ~7 MB over many Scan pages: more than the
// loopback socket buffers hold, so a client that does not read stalls the server's writes.
func bigList(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.store.PageSize = 1000
	f.seed(t, 100_000)
	return f
}

// serveStall serves f's app on WrapListener's connections with a write stall timeout of stall.
func (f *fixture) serveStall(t *testing.T, stall time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.app.Listener(wrapListener(ln, stall)) }()
	t.Cleanup(func() { _ = f.app.ShutdownWithTimeout(5 * time.Second) })
	return ln.Addr().String()
}

// listClient sends GET /objects on a connection with a receive buffer of rcvbuf bytes (0: the
// system's, which grows with the reading) and does not read the answer.
func listClient(t *testing.T, addr string, rcvbuf int) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if rcvbuf > 0 {
		if err := conn.(*net.TCPConn).SetReadBuffer(rcvbuf); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.WriteString(conn, "GET /objects HTTP/1.1\r\nHost: api\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	return conn
}

// waitClosed waits until the server holds no connection, and fails after within.
func (f *fixture) waitClosed(t *testing.T, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for f.app.Server().GetOpenConnectionsCount() > 0 {
		if time.Since(start) > within {
			t.Fatalf("the stalled connection is still open after %s", within)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// TestStalledReaderCutOff: a client that stops reading a long GET /objects is disconnected once
// the server's writes make no progress for the stall timeout. (Had the response fit in the
// socket buffers, the connection would stay open as an idle keep-alive one: IdleTimeout 75s.)
func TestStalledReaderCutOff(t *testing.T) {
	f := bigList(t)
	listClient(t, f.serveStall(t, 300*time.Millisecond), 4<<10)
	time.Sleep(100 * time.Millisecond) // the request is read and the response under way
	took := f.waitClosed(t, 10*time.Second)
	t.Logf("closed %s after the request", took)
}

// TestSlowReaderGetsAll: a client that reads slowly, but keeps reading, gets the whole list
// although the server's writes wait for it, in all, many times the stall timeout.
func TestSlowReaderGetsAll(t *testing.T) {
	f := bigList(t)
	const stall = 300 * time.Millisecond
	conn := listClient(t, f.serveStall(t, stall), 0)
	x := readSlowly(t, conn, 64<<10, 15*time.Millisecond)
	if x.took < 4*stall {
		t.Fatalf("read in %s: not slow enough to outlast the stall timeout", x.took)
	}
	if n := countObjects(t, x.body); n != f.store.Len() {
		t.Fatalf("got %d objects in %s, want %d", n, x.took, f.store.Len())
	}
	t.Logf("%d bytes in %s", len(x.body), x.took)
}

// TestStalledReaderLong: the same with the real WriteStallTimeout, as main serves.
func TestStalledReaderLong(t *testing.T) {
	if testing.Short() {
		t.Skip("long: waits WriteStallTimeout (30s); make check runs it")
	}
	f := bigList(t)
	listClient(t, f.listen(t), 4<<10)
	time.Sleep(100 * time.Millisecond)
	if took := f.waitClosed(t, WriteStallTimeout+10*time.Second); took < WriteStallTimeout-5*time.Second {
		t.Fatalf("cut off after %s, well before WriteStallTimeout (%s)", took, WriteStallTimeout)
	}
}

// TestShutdownWithStalledReader: SIGTERM's Serve returns nil (main exits 0) within the shutdown
// timeout although a client has stopped reading a long list.
func TestShutdownWithStalledReader(t *testing.T) {
	f := bigList(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, f.app, ln, 10*time.Second) }()
	listClient(t, ln.Addr().String(), 4<<10)
	time.Sleep(300 * time.Millisecond)
	if f.app.Server().GetOpenConnectionsCount() != 1 {
		t.Fatal("the stalled client's connection is not open")
	}
	start := time.Now()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v after %s", err, time.Since(start))
		}
		t.Logf("Serve returned nil %s after the cancel", time.Since(start).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within the shutdown timeout (10s)")
	}
}

// slowReader reads at most chunk bytes per Read and waits every before each.
type slowReader struct {
	r     io.Reader
	chunk int
	every time.Duration
}

func (s slowReader) Read(p []byte) (int, error) {
	time.Sleep(s.every)
	return s.r.Read(p[:min(len(p), s.chunk)])
}

// readSlowly reads one response from conn, chunk bytes every interval.
func readSlowly(t *testing.T, conn net.Conn, chunk int, every time.Duration) (x struct {
	body []byte
	took time.Duration
}) {
	t.Helper()
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReaderSize(slowReader{conn, chunk, every}, chunk), nil)
	if err != nil {
		t.Fatalf("after %s: %v", time.Since(start), err)
	}
	defer resp.Body.Close()
	if x.body, err = io.ReadAll(resp.Body); err != nil {
		t.Fatalf("after %s and %d bytes: %v", time.Since(start), len(x.body), err)
	}
	x.took = time.Since(start)
	return x
}

// countObjects is how many objects a GET /objects body lists (it must be valid).
func countObjects(t *testing.T, body []byte) int {
	t.Helper()
	var list struct{ Objects []struct{ UUID string } }
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("body of %d bytes: %v", len(body), err)
	}
	return len(list.Objects)
}
