package httpapi

import (
	"bytes"
	"io"
	"log/slog"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/objects-api/src/internal/testutil"
	"github.com/acme/objects-api/src/object"
)

// The wire path's cost per request, in process: fasthttp reading and parsing the request line
// and headers, the transport's framing checks (package http1), the app, and writing the
// response on a WrapListener connection, for requests pipelined on one connection. bench_test.go's
// benchmarks start after the parsing; this one includes it, so that it compares fasthttp
// versions and the framing checks.
//
//	go test -run '^$' -bench 'Wire' -benchmem -count 6 ./src/httpapi

// repeatConn reads req n times, then EOF; writes are counted and dropped.
type repeatConn struct {
	testutil.PipeConn // the rest of net.Conn
	req               []byte
	left              int
	pending           []byte
	written           int
	first             []byte // the start of the first response
}

func (c *repeatConn) Read(p []byte) (int, error) {
	if len(c.pending) == 0 {
		if c.left == 0 {
			return 0, io.EOF
		}
		c.left--
		c.pending = c.req
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func (c *repeatConn) Write(p []byte) (int, error) {
	if c.first == nil {
		c.first = append([]byte(nil), p[:min(len(p), 12)]...)
	}
	c.written += len(p)
	return len(p), nil
}

func benchWire(b *testing.B, method string) {
	b.Helper()
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	id := uuid.NewString()
	app := NewServer(testutil.NewMemStore(object.Object{UUID: id, TS: "2022-08-25T12:06:56.563581"}), logger)
	_ = app.Handler()
	req := []byte(method + " /object/" + id + " HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")
	conn := &repeatConn{req: req, left: b.N}
	wrapped := wrapConn(b, conn)
	b.ReportAllocs()
	b.ResetTimer()
	if err := app.Server().ServeConn(wrapped); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if !bytes.HasPrefix(conn.first, []byte("HTTP/1.1 2")) {
		b.Fatalf("first response %q, want a 2xx", conn.first)
	}
}

func BenchmarkWirePutObject(b *testing.B) { benchWire(b, "PUT") }
func BenchmarkWireGetObject(b *testing.B) { benchWire(b, "GET") }
