package http1

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// bigClient sends GET /big on a connection with a receive buffer of rcvbuf bytes (0: the
// system's, which grows with the reading) and does not read the answer.
func bigClient(t *testing.T, addr string, rcvbuf int) net.Conn {
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
	if _, err := io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: api\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	return conn
}

// waitClosed waits until the server holds no connection, and fails after within.
func (s *stubServer) waitClosed(t *testing.T, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for s.srv.GetOpenConnectionsCount() > 0 {
		if time.Since(start) > within {
			t.Fatalf("the stalled connection is still open after %s", within)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// TestStalledReaderCutOff: a client that stops reading a long response is disconnected once
// the server's writes make no progress for the stall timeout. (Had the response fit in the
// socket buffers, the connection would stay open as an idle keep-alive one: IdleTimeout 75s.)
func TestStalledReaderCutOff(t *testing.T) {
	s := newStub()
	bigClient(t, s.listen(t, 300*time.Millisecond), 4<<10)
	time.Sleep(100 * time.Millisecond) // the request is read and the response under way
	took := s.waitClosed(t, 10*time.Second)
	t.Logf("closed %s after the request", took)
}

// TestSlowReaderGetsAll: a client that reads slowly, but keeps reading, gets the whole response
// although the server's writes wait for it, in all, many times the stall timeout. (The client
// drains a third of the send buffer in ~0.07 s; the stall timeout is about ten times that, so
// that a loaded machine's scheduling, -race included, does not pass for a stalled client.)
func TestSlowReaderGetsAll(t *testing.T) {
	s := newStub()
	const stall = 600 * time.Millisecond
	conn := bigClient(t, s.listen(t, stall), 0)
	x := readSlowly(t, conn, 32<<10, 12*time.Millisecond)
	if x.took < 4*stall {
		t.Fatalf("read in %s: not slow enough to outlast the stall timeout", x.took)
	}
	if len(x.body) != bigBodyBytes {
		t.Fatalf("got %d bytes in %s, want %d", len(x.body), x.took, bigBodyBytes)
	}
	t.Logf("%d bytes in %s", len(x.body), x.took)
}

// TestShutdownWithStalledReader: a graceful shutdown (SIGTERM in main) returns within its
// timeout although a client has stopped reading a long response: closing WrapListener's
// listener shortens the stalled write's deadline to drainStallTimeout.
func TestShutdownWithStalledReader(t *testing.T) {
	s := newStub()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(WrapListener(ln)) }()
	bigClient(t, ln.Addr().String(), 4<<10)
	time.Sleep(300 * time.Millisecond)
	if s.srv.GetOpenConnectionsCount() != 1 {
		t.Fatal("the stalled client's connection is not open")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.srv.ShutdownWithContext(ctx); err != nil {
		t.Fatalf("Shutdown: %v after %s", err, time.Since(start))
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	t.Logf("Shutdown returned %s after it began", time.Since(start).Round(time.Millisecond))
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
